import type { EntityManager } from 'typeorm';
import type { EventBus, MeasureEventKind } from '../../events/event-bus.js';
import type { Tx } from '../../common/transaction.js';
import type { Measure } from './measure.entity.js';

/**
 * Appends the measure's DoI, state and value as they are now to its history, which the DoI bridge reads to
 * know the portfolio at any past date. Call it after every change of DoI, state or annual potential.
 */
export async function recordHistory(manager: EntityManager, measureId: string, event: string): Promise<void> {
  await manager.query(
    `INSERT INTO measure_history (measure_id, organisation_id, path, doi, state, value, event)
     SELECT id, organisation_id, path, doi, state, annual_potential, $2 FROM measure WHERE id = $1`,
    [measureId, event],
  );
}

/** Publishes measureChanged once the transaction has committed. */
type MeasureRef = Pick<Measure, 'id' | 'organisationId' | 'path' | 'ownerId' | 'sponsorId' | 'controllerId'>;

/** Who may read a measure through a relation rather than a role. */
export function measurePeople(m: MeasureRef): string[] {
  return [m.ownerId, m.sponsorId, m.controllerId].filter((id): id is string => id !== null);
}

export function publishMeasureChanged(tx: Tx, bus: EventBus, measure: MeasureRef, kind: MeasureEventKind): void {
  tx.afterCommit(() =>
    bus.publish({
      topic: 'measureChanged',
      organisationId: measure.organisationId,
      measureId: measure.id,
      path: measure.path,
      people: measurePeople(measure),
      kind,
      actorId: tx.actor.userId,
      at: new Date().toISOString(),
    }),
  );
}

/** The fields of a measure an audit entry shows. */
export function measureSnapshot(m: Measure): Record<string, unknown> {
  return {
    code: m.code,
    title: m.title,
    description: m.description,
    businessCase: m.businessCase,
    lever: m.lever,
    ownerId: m.ownerId,
    sponsorId: m.sponsorId,
    controllerId: m.controllerId,
    doi: m.doi,
    state: m.state,
    roughPotential: m.roughPotential,
    packageId: m.packageId,
  };
}
