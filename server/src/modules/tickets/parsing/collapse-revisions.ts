import type { TicketRecord } from '@gatehouse/shared';

/**
 * Whether `candidate` is a later state of the same ticket than `current`, given that it comes after it (later in
 * the batch, or imported after it was stored).
 */
export function supersedes(candidate: Pick<TicketRecord, 'revision' | 'updatedAt'>, current: Pick<TicketRecord, 'revision' | 'updatedAt'>): boolean {
  if (candidate.revision !== current.revision) return candidate.revision > current.revision;
  // Equal revisions happen in real audit logs (one incident of the ServiceNow excerpt has two rows with
  // sys_mod_count 7, an Active one and a Closed one five days later): the later update decides, so the
  // result does not depend on the order of the rows. Only when that ties too does the later row win.
  const a = candidate.updatedAt?.getTime() ?? -Infinity;
  const b = current.updatedAt?.getTime() ?? -Infinity;
  return a >= b;
}

/**
 * One record per ticket (source and external id), the one with the highest revision: an export with several
 * rows per ticket, such as an audit log of updates, becomes the tickets' latest states. Ties go to the later
 * update time, then to the later row. The tickets keep the order in which they first appear.
 *
 * Across batches the same rule applies in the database: an incoming record replaces a stored one only when it
 * supersedes it, which is what makes a re-import idempotent.
 */
export function collapseRevisions(records: Iterable<TicketRecord>): TicketRecord[] {
  const latest = new Map<string, TicketRecord>();
  for (const record of records) {
    const key = `${record.source}\u0000${record.externalId}`;
    const current = latest.get(key);
    if (current === undefined || supersedes(record, current)) latest.set(key, record);
  }
  return [...latest.values()];
}
