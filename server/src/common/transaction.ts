import type { DataSource, EntityManager } from 'typeorm';
import { appendAuditEntries, type AuditRecord, type TxActor } from '../database/audit-writer.js';
import { errorFields, logger } from '../observability/logger.js';

export type { TxActor };

/**
 * One transaction per mutation. The audit entries it records are appended to the organisation's hash chain
 * just before COMMIT, in the same transaction, so a change and its audit entry exist together or not at all.
 * Work that must only happen once the change is durable (publishing subscription events) is queued with
 * `afterCommit` and runs after COMMIT, never on rollback.
 */
export interface Tx {
  manager: EntityManager;
  actor: TxActor;
  audit(entry: AuditRecord): void;
  afterCommit(task: () => void | Promise<void>): void;
}

export async function inTransaction<T>(dataSource: DataSource, actor: TxActor, work: (tx: Tx) => Promise<T>): Promise<T> {
  const tasks: (() => void | Promise<void>)[] = [];
  const result = await dataSource.transaction(async (manager) => {
    const entries: AuditRecord[] = [];
    const value = await work({ manager, actor, audit: (e) => void entries.push(e), afterCommit: (t) => void tasks.push(t) });
    if (entries.length > 0) await appendAuditEntries(manager, actor, entries);
    return value;
  });
  for (const task of tasks) {
    try {
      await task();
    } catch (e) {
      // The change is committed; a failed notification must not turn it into an error for the caller.
      logger.error(errorFields(e), 'after-commit task failed');
    }
  }
  return result;
}

/** The transaction actor of a signed-in user. */
export function txActor(actor: { userId: string; organisation: { id: string } }): TxActor {
  return { userId: actor.userId, organisationId: actor.organisation.id };
}
