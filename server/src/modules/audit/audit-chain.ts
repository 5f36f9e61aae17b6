import type { DataSource } from 'typeorm';
import { auditHash, GENESIS_HASH } from '../../database/audit-hash.js';
import { AuditEntry } from './audit-entry.entity.js';

const BATCH = 2000;

/** Where a walk starts: the genesis, or a position already trusted (a signed checkpoint). */
export interface ChainPosition {
  seq: number;
  hash: string;
}

export const GENESIS: ChainPosition = { seq: 0, hash: GENESIS_HASH };

export interface ChainBreak {
  entry: AuditEntry | null;
  /** The chain position the problem is at (the missing entry's, when one is missing). */
  seq: number;
  problem: string;
}

export interface ChainWalk {
  /** Entries recomputed before the first problem (all of them when there is none). */
  checked: number;
  /** The last position recomputed without a problem. */
  end: ChainPosition;
  broken: ChainBreak | null;
}

export interface WalkOptions {
  from?: ChainPosition;
  /** Stop after this entry (inclusive); the walk reports it missing if the chain ends before. */
  until?: number;
  /**
   * The hash a position must have, from outside the database: a signed checkpoint, or an exported chain. The
   * first entry whose recomputed hash differs is the first entry that was changed (or whose link was).
   */
  expectedHash?: (seq: number) => string | undefined;
  /** The problem text when a position misses its expected hash. */
  mismatch?: (seq: number) => string;
  /** Called with each entry's position once it verified. */
  onEntry?: (seq: number, hash: string) => void;
}

/** The hash an entry should have: over its predecessor's hash and its own content (audit-hash.ts). */
export function recomputeHash(prevHash: string, e: AuditEntry): string {
  return auditHash(prevHash, {
    organisationId: e.organisationId,
    seq: e.seq,
    at: e.at,
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    measureId: e.measureId,
    before: e.before,
    after: e.after,
    reason: e.reason,
  });
}

/**
 * Recomputes an organisation's chain from `from` in batches: consecutive sequence numbers, each entry linked to the
 * one before and its hash over its own content, and — where known — the hash a position must have. Names the
 * first entry that fails. The server's verification, the checkpoint writer and the offline verification all walk
 * the chain here.
 */
export async function walkChain(dataSource: DataSource, organisationId: string, options: WalkOptions = {}): Promise<ChainWalk> {
  const from = options.from ?? GENESIS;
  let prev = from;
  let checked = 0;
  const broken = (entry: AuditEntry | null, seq: number, problem: string): ChainWalk => ({ checked, end: prev, broken: { entry, seq, problem } });
  for (;;) {
    const qb = dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .where('a.organisation_id = :org AND a.seq > :after', { org: organisationId, after: prev.seq })
      .orderBy('a.seq', 'ASC')
      .limit(BATCH);
    if (options.until !== undefined) qb.andWhere('a.seq <= :until', { until: options.until });
    const batch = await qb.getMany();
    for (const e of batch) {
      if (e.seq !== prev.seq + 1) return broken(e, prev.seq + 1, `entry ${prev.seq + 1} is missing`);
      if (e.prevHash !== prev.hash) return broken(e, e.seq, 'its link to the previous entry does not match');
      const hash = recomputeHash(prev.hash, e);
      const expected = options.expectedHash?.(e.seq);
      if (expected !== undefined && hash !== expected) {
        return broken(e, e.seq, options.mismatch?.(e.seq) ?? 'its hash differs from the one expected');
      }
      if (hash !== e.hash) return broken(e, e.seq, 'its content does not match its hash');
      prev = { seq: e.seq, hash };
      checked++;
      options.onEntry?.(e.seq, hash);
    }
    if (batch.length < BATCH) break;
  }
  if (options.until !== undefined && prev.seq < options.until) return broken(null, prev.seq + 1, `entry ${prev.seq + 1} is missing`);
  return { checked, end: prev, broken: null };
}
