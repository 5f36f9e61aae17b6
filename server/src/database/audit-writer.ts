import type { EntityManager } from 'typeorm';
import { auditHash, type AuditContent } from './audit-hash.js';

/** Who a transaction acts for: a signed-in user, or the system itself (bootstrap, imports) with no user. */
export interface TxActor {
  userId: string | null;
  organisationId: string;
}

/** An audit entry as a service records it; the chain position, time and hashes are added when it is written. */
export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  measureId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /**
   * When it happened and who did it, for history recorded after the fact (the demo's past decisions); else the
   * transaction's time and actor. Entries are chained in the order given, so give them in time order.
   */
  at?: Date;
  actorId?: string | null;
}

/** Plain JSON (dates as ISO strings), exactly what jsonb gives back, so the hash verifies after a round trip. */
function plain(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Appends entries to the organisation's chain. `audit_chain_lock` locks the chain head row FOR UPDATE until
 * COMMIT, so concurrent transactions append one after the other and the chain never forks; the database moves
 * the head itself when the entries are inserted (migration 1765600000000), refusing entries that do not continue it.
 */
export async function appendAuditEntries(manager: EntityManager, actor: TxActor, records: AuditRecord[]): Promise<void> {
  const [head]: { seq: string; hash: string }[] = await manager.query(`SELECT seq, hash FROM audit_chain_lock($1)`, [actor.organisationId]);
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const now = new Date();
  const rows: unknown[][] = [];
  for (const r of records) {
    seq++;
    const content: AuditContent = {
      organisationId: actor.organisationId,
      seq,
      at: r.at ?? now,
      actorId: r.actorId === undefined ? actor.userId : r.actorId,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      measureId: r.measureId ?? null,
      before: plain(r.before),
      after: plain(r.after),
      reason: r.reason ?? null,
    };
    const hash = auditHash(prevHash, content);
    rows.push([content.at, content.actorId, seq, content.action, content.entityType, content.entityId, content.measureId, JSON.stringify(content.before), JSON.stringify(content.after), content.reason, prevHash, hash]);
    prevHash = hash;
  }
  await manager.query(
    `INSERT INTO audit_entry (organisation_id, at, actor_id, seq, action, entity_type, entity_id, measure_id, before, after, reason, prev_hash, hash)
     SELECT $1, r.at, r.actor_id, r.seq, r.action, r.entity_type, r.entity_id, r.measure_id, r.before, r.after, r.reason, r.prev_hash, r.hash
       FROM unnest(CAST($2 AS timestamptz[]), CAST($3 AS uuid[]), CAST($4 AS bigint[]), CAST($5 AS text[]), CAST($6 AS text[]), CAST($7 AS text[]),
                   CAST($8 AS uuid[]), CAST($9 AS jsonb[]), CAST($10 AS jsonb[]), CAST($11 AS text[]), CAST($12 AS text[]), CAST($13 AS text[]))
            AS r(at, actor_id, seq, action, entity_type, entity_id, measure_id, before, after, reason, prev_hash, hash)`,
    [actor.organisationId, ...transpose(rows)],
  );
}

function transpose(rows: unknown[][]): unknown[][] {
  return rows[0].map((_, i) => rows.map((r) => r[i]));
}
