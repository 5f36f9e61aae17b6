import { rolesOnPath, type Role } from '@gatehouse/shared';
import type { Actor } from '../access/index.js';

/** The rules' view of the actor on this measure: their id and the roles they hold on its scope. */
export function gateActor(actor: Actor, path: readonly string[]): { userId: string; roles: Set<Role> } {
  return { userId: actor.userId, roles: rolesOnPath(actor, path) };
}
