import { auditHash } from '../database/audit-hash.js';

/** Runs one SQL statement and gives its rows (pg.Client or a TypeORM manager, adapted by the caller). */
export type RowQuery = (sql: string, params?: unknown[]) => Promise<any[]>;

/**
 * What an attacker holding the table owner's credentials can do, inside the caller's transaction: switch the
 * audit triggers off, change one entry (`change` is the SET clause), re-hash it and every later entry with the
 * published algorithm, point the head at the new last hash, optionally drop the signed checkpoints, and switch the
 * triggers on again. Afterwards the chain is consistent with itself.
 */
export async function rewriteAuditChain(q: RowQuery, entryId: string, change: string, options: { dropCheckpoints: boolean }): Promise<void> {
  await q(`ALTER TABLE audit_entry DISABLE TRIGGER USER`);
  await q(`ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`);
  const [target] = await q(`SELECT organisation_id, seq FROM audit_entry WHERE id = $1`, [entryId]);
  await q(`UPDATE audit_entry SET ${change} WHERE id = $1`, [entryId]);
  const [previous] = await q(`SELECT hash FROM audit_entry WHERE organisation_id = $1 AND seq = $2`, [target.organisation_id, Number(target.seq) - 1]);
  let prevHash: string = previous.hash;
  for (const e of await q(`SELECT * FROM audit_entry WHERE organisation_id = $1 AND seq >= $2 ORDER BY seq`, [target.organisation_id, target.seq])) {
    const hash = auditHash(prevHash, {
      organisationId: e.organisation_id,
      seq: Number(e.seq),
      at: e.at,
      actorId: e.actor_id,
      action: e.action,
      entityType: e.entity_type,
      entityId: e.entity_id,
      measureId: e.measure_id,
      before: e.before,
      after: e.after,
      reason: e.reason,
    });
    await q(`UPDATE audit_entry SET prev_hash = $2, hash = $3 WHERE id = $1`, [e.id, prevHash, hash]);
    prevHash = hash;
  }
  await q(`UPDATE audit_chain_head SET hash = $2 WHERE organisation_id = $1`, [target.organisation_id, prevHash]);
  if (options.dropCheckpoints) await q(`DELETE FROM audit_checkpoint WHERE organisation_id = $1`, [target.organisation_id]);
  await q(`ALTER TABLE audit_entry ENABLE TRIGGER USER`);
  await q(`ALTER TABLE audit_checkpoint ENABLE TRIGGER USER`);
}
