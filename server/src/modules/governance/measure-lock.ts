import { rolesOnPath, type Role } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import { notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import type { Actor } from '../access/actor.js';
import { Measure } from '../measures/measure.entity.js';

/**
 * Locks the measure row until the transaction ends. Every governance change locks the measure first (and any
 * gate request after it), always in that order, so concurrent changes queue instead of deadlocking.
 */
export async function lockMeasure(manager: EntityManager, actor: Actor, id: string, field = 'measureId'): Promise<Measure> {
  const measure = await manager.getRepository(Measure).findOne({ where: { id: assertId(id, field) }, lock: { mode: 'pessimistic_write' } });
  if (!measure || measure.organisationId !== actor.organisation.id) throw notFound('Measure');
  return measure;
}

/** The rules' view of the actor on this measure: their id and the roles they hold on its scope. */
export function gateActor(actor: Actor, path: readonly string[]): { userId: string; roles: Set<Role> } {
  return { userId: actor.userId, roles: rolesOnPath(actor, path) };
}
