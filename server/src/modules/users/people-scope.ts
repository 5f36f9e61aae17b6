import { mayAdministerPerson, mayOnSomeScope, type Action } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import { forbidden, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import type { Actor } from '../access/index.js';
import { User } from './user.entity.js';

/** For each role grant of the user, the scope ids from the organisation down to its scope. */
export async function personScopePaths(manager: EntityManager, userId: string): Promise<string[][]> {
  const rows: { path: string[] }[] = await manager.query(
    `SELECT coalesce(ou.path, p.path, ARRAY[g.scope_id]) AS path
       FROM role_grant g LEFT JOIN org_unit ou ON ou.id = g.scope_id LEFT JOIN program p ON p.id = g.scope_id
      WHERE g.user_id = $1`,
    [userId],
  );
  return rows.map((r) => r.path);
}

/**
 * The user of the caller's organisation an admin acts on, or NOT_FOUND; FORBIDDEN unless the caller administers
 * them (shared identity/people-policy.ts). Someone who is an admin nowhere is FORBIDDEN before any look-up.
 */
export async function requireAdministeredPerson(manager: EntityManager, actor: Actor, action: Action, userId: string, lock = false): Promise<User> {
  if (!mayOnSomeScope(action, actor)) throw forbidden();
  const user = await manager
    .getRepository(User)
    .findOne({ where: { id: assertId(userId, 'userId'), organisationId: actor.organisation.id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (!user) throw notFound('User');
  if (!mayAdministerPerson(action, actor, actor.organisation.id, await personScopePaths(manager, user.id))) {
    throw forbidden('You administer people only within the scopes where you are an admin');
  }
  return user;
}

