import { conflict, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import type { Tx } from '../../common/transaction.js';
import type { EventBus, MeasureEventKind } from '../../events/event-bus.js';
import type { AuditRecord } from '../../database/audit-writer.js';
import { Measure } from './measure.entity.js';
import { RECOMPUTE_NEXT_DUE_SQL, RECOMPUTE_TOTALS_SQL } from './measure-status.sql.js';

/** A timestamp column written as the database's `now()`: the transaction's time, like `updated_at`. */
export const NOW = Symbol('now');

/** The columns a change may write; totals, next due date, version and the updated_ stamp follow by themselves. */
type SettableField =
  | 'title'
  | 'description'
  | 'businessCase'
  | 'lever'
  | 'ownerId'
  | 'sponsorId'
  | 'controllerId'
  | 'roughPotential'
  | 'doi'
  | 'state'
  | 'nextGateDueOn'
  | 'implementationStatusOverride'
  | 'implementationStatusOverrideReason'
  | 'potentialStatusOverride'
  | 'potentialStatusOverrideReason'
  | 'potentialValidatedAt'
  | 'potentialValidatedBy'
  | 'potentialValidationNote'
  | 'closedAt';

export type MeasureFields = { [K in SettableField]?: Measure[K] | (Date extends Measure[K] ? typeof NOW : never) };

export interface MeasureChange {
  /** The columns the change writes (none when only something below the measure changed). */
  set?: MeasureFields;
  /** The version the caller read: any other current version refuses the change with CONFLICT. */
  expectedVersion?: number;
  /** What changed below the measure, so its derived columns follow: its values (totals) or due dates (milestones, conditions). */
  below?: readonly ('values' | 'dueDates')[];
  /** The history event, recorded when the change moved the DoI, the state or the annual potential. */
  history?: string;
  /** The audit entry of the change; it is about this measure unless it names another entity. */
  audit?: Omit<AuditRecord, 'entityType' | 'entityId' | 'measureId'> & Partial<Pick<AuditRecord, 'entityType' | 'entityId'>>;
  /** The measureChanged event, published once the transaction has committed. */
  event: MeasureEventKind;
}

type MeasureRef = Pick<Measure, 'id' | 'organisationId' | 'path' | 'ownerId' | 'sponsorId' | 'controllerId'>;

/** Who may read a measure through a relation rather than a role. */
export function measurePeople(m: MeasureRef): string[] {
  return [m.ownerId, m.sponsorId, m.controllerId].filter((id): id is string => id !== null);
}

/**
 * The one owner of every change of a measure row. Whatever module changes a measure (its own edits, gate
 * decisions, closure, milestones, conditions) locks it here and applies the change here, so the rules that go
 * with every change hold in one place: the version moves (and a stale one is refused), the denormalised totals
 * and next due date follow, the DoI history is appended, the change is audited and announced after commit.
 */
export class MeasureTransitions {
  constructor(private readonly bus: EventBus) {}

  /**
   * Locks the measure row until the transaction ends and answers it as it is now. Every change locks the measure
   * first (and anything below it after), always in that order, so concurrent changes queue instead of deadlocking.
   */
  async lock(tx: Tx, id: string, field = 'measureId'): Promise<Measure> {
    const measure = await tx.manager.getRepository(Measure).findOne({ where: { id: assertId(id, field) }, lock: { mode: 'pessimistic_write' } });
    if (!measure || measure.organisationId !== tx.actor.organisationId) throw notFound('Measure');
    return measure;
  }

  /** Applies one change to a measure read by `lock` in this transaction; answers the measure as it is after. */
  async apply(tx: Tx, measure: Measure, change: MeasureChange): Promise<Measure> {
    const { manager } = tx;
    const metadata = manager.connection.getMetadata(Measure);
    const set = change.set ?? {};
    const params: unknown[] = [measure.id, tx.actor.userId];
    const assignments = Object.entries(set)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => {
        const column = metadata.findColumnWithPropertyName(field);
        if (!column) throw new Error(`Measure has no column ${field}`);
        if (value === NOW) return `${column.databaseName} = now()`;
        params.push(value);
        return `${column.databaseName} = $${params.length}`;
      });
    let where = 'id = $1';
    if (change.expectedVersion !== undefined) {
      params.push(change.expectedVersion);
      where += ` AND version = $${params.length}`;
    }
    // The only place a measure's version moves. Of two writers on one version exactly one matches; the other
    // gets CONFLICT and its transaction rolls back whole.
    const [, affected]: [unknown[], number] = await manager.query(
      `UPDATE measure SET ${[...assignments, 'version = version + 1', 'updated_at = now()', 'updated_by = $2'].join(', ')} WHERE ${where}`,
      params,
    );
    if (affected === 0) {
      const [current]: { version: number }[] = await manager.query(`SELECT version FROM measure WHERE id = $1`, [measure.id]);
      if (!current) throw notFound('Measure');
      throw conflict(`The measure was changed by someone else (you read version ${change.expectedVersion}, it is now ${current.version})`, {
        currentVersion: current.version,
      });
    }
    const below = change.below ?? [];
    if (below.includes('values') || 'roughPotential' in set) await manager.query(RECOMPUTE_TOTALS_SQL, [measure.id]);
    if (below.includes('dueDates') || 'doi' in set || 'state' in set || 'nextGateDueOn' in set) await manager.query(RECOMPUTE_NEXT_DUE_SQL, [measure.id]);
    const after = await manager.getRepository(Measure).findOneByOrFail({ id: measure.id });
    const moved = after.doi !== measure.doi || after.state !== measure.state || after.annualPotential !== measure.annualPotential;
    if (change.history && moved) await recordHistory(tx, measure.id, change.history);
    if (change.audit) tx.audit({ entityType: 'Measure', entityId: measure.id, ...change.audit, measureId: measure.id });
    this.announce(tx, after, change.event);
    return after;
  }

  /** The start of a measure just inserted in this transaction: its first history row, audit entry and event. */
  async created(tx: Tx, measureId: string): Promise<Measure> {
    await recordHistory(tx, measureId, 'CREATED');
    const created = await tx.manager.getRepository(Measure).findOneByOrFail({ id: measureId });
    tx.audit({ action: 'measure.created', entityType: 'Measure', entityId: created.id, measureId: created.id, after: measureSnapshot(created) });
    this.announce(tx, created, 'CREATED');
    return created;
  }

  /**
   * Publishes measureChanged once the transaction has committed, for something that happened beside the measure
   * without changing its row (evidence, comments, gate requests, ticket links).
   */
  announce(tx: Tx, measure: MeasureRef, kind: MeasureEventKind): void {
    tx.afterCommit(() =>
      this.bus.publish({
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
}

/**
 * Appends the measure's DoI, state and value as they are now to its history, which the DoI bridge reads to know
 * the portfolio at any past date.
 */
async function recordHistory(tx: Tx, measureId: string, event: string): Promise<void> {
  await tx.manager.query(
    `INSERT INTO measure_history (measure_id, organisation_id, path, doi, state, value, event)
     SELECT id, organisation_id, path, doi, state, annual_potential, $2 FROM measure WHERE id = $1`,
    [measureId, event],
  );
}

/** The fields of a measure an audit entry shows. */
function measureSnapshot(m: Measure): Record<string, unknown> {
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
