import type { KeyObject } from 'node:crypto';
import { isAllowed } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import { badInput, conflict } from '../../common/domain-error.js';
import { decodeSeqCursor, encodeCursor, pageSize } from '../../common/cursor.js';
import { assertId, isUuid } from '../../common/ids.js';
import { type Actor, authorize, grantedScopeIds, navigableScopeIds } from '../access/index.js';
import { walkChain } from './audit-chain.js';
import { AuditCheckpoints, CheckpointError, signedHashes, storedCheckpoints, type CheckpointExport } from './audit-checkpoints.js';
import type { SignedCheckpoint } from './audit-signing.js';
import { AuditEntry } from './audit-entry.entity.js';

export interface AuditFilter {
  entityId?: string | null;
  action?: string | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface AuditVerificationResult {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  firstBrokenSeq: number | null;
  problem: string | null;
  /** Signed checkpoints the recomputed chain reached. */
  checkpoints: number;
  lastCheckpoint: SignedCheckpoint | null;
}

const EXPORT_BATCH = 500;
const MEASURE_CODE = /^M-\d+$/i;

/** Reads and verifies the organisation's hash-chained audit trail. */
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  /**
   * Entries newest first. For a measure, its own entries and those of everything on it (milestones, gate
   * requests, evidence). An entry is visible to whoever may read what it is about (a measure, a review, a node
   * of the hierarchy); every entry (users, roles, settings, tickets too) to admins and controllers of the
   * organisation. A user without any role reads nothing. `totalCount` counts every entry that matches the filters, whatever
   * the page.
   */
  async trail(actor: Actor, filter: AuditFilter, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const qb = await this.matching(actor, filter);
    // Counted without the cursor: the total of the whole list, the same on every page.
    const unpaged = qb.clone();
    const count = () => unpaged.getCount();
    if (after) qb.andWhere('a.seq < :seq', { seq: decodeSeqCursor(after) });
    const entries = await qb.orderBy('a.seq', 'DESC').limit(limit + 1).getMany();
    const nodes = entries.slice(0, limit);
    return { nodes, cursors: nodes.map((n) => encodeCursor([n.seq])), hasNextPage: entries.length > limit, totalCount: count };
  }

  /** Every matching entry, newest first, a page at a time (the CSV export). */
  async *all(actor: Actor, filter: AuditFilter, batch = EXPORT_BATCH): AsyncGenerator<AuditEntry[]> {
    const qb = await this.matching(actor, filter);
    let before: number | null = null;
    for (;;) {
      const page = qb.clone().orderBy('a.seq', 'DESC').limit(batch);
      if (before !== null) page.andWhere('a.seq < :before', { before });
      const entries = await page.getMany();
      if (entries.length) yield entries;
      if (entries.length < batch) return;
      before = entries[entries.length - 1].seq;
    }
  }

  /** The entries the caller may read that match the filters; an entity is an id or a measure's code (M-0015). */
  private async matching(actor: Actor, filter: AuditFilter) {
    const qb = this.dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .leftJoin('measure', 'm', 'm.id = a.measure_id')
      .addSelect(['m.path', 'm.owner_id', 'm.sponsor_id', 'm.controller_id'])
      .where('a.organisation_id = :org', { org: actor.organisation.id });
    const entity = filter.entityId?.trim().slice(0, 100);
    if (entity) {
      const id = MEASURE_CODE.test(entity) ? await this.measureIdOf(actor, entity) : entity;
      qb.andWhere('(a.entity_id = :id OR a.measure_id = CAST(:uuid AS uuid))', { id: id ?? '', uuid: isUuid(id) ? id : null });
    }
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action.slice(0, 100) });
    if (filter.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: assertId(filter.actorId, 'actorId') });
    if (filter.from) qb.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.at <= :to', { to: filter.to });
    if (!isAllowed('audit.readAll', actor, { path: [actor.organisation.id] })) {
      // Access policy, audit.read: an entry is readable with the entity it is about. A measure's (and everything on
      // it) with a role on its path or as one of its people (canRead); a review's when the review is readable
      // (GateReviewsService.readable); a hierarchy node's with a role on its path. Nothing else.
      qb.andWhere(
        `(CASE WHEN a.measure_id IS NOT NULL THEN m.path && CAST(:granted AS uuid[]) OR m.owner_id = :me OR m.sponsor_id = :me OR m.controller_id = :me
               WHEN a.entity_type = 'GateReview' THEN EXISTS (SELECT 1 FROM gate_review r WHERE r.id::text = a.entity_id
                      AND (r.scope_path && CAST(:granted AS uuid[]) OR r.scope_id = ANY(CAST(:around AS uuid[]))))
               WHEN a.entity_type IN ('OrgUnit', 'Program', 'MeasurePackage') THEN EXISTS (SELECT 1 FROM (
                      SELECT id, path FROM org_unit UNION ALL SELECT id, path FROM program UNION ALL SELECT id, path FROM measure_package) n
                      WHERE n.id::text = a.entity_id AND n.path && CAST(:granted AS uuid[]))
               ELSE false END)`,
        { granted: grantedScopeIds(actor), around: [...navigableScopeIds(actor)], me: actor.userId },
      );
    }
    return qb;
  }

  private async measureIdOf(actor: Actor, code: string): Promise<string | null> {
    const [row]: { id: string }[] = await this.dataSource.query(`SELECT id FROM measure WHERE organisation_id = $1 AND code = $2`, [actor.organisation.id, code.toUpperCase()]);
    return row?.id ?? null;
  }

  /**
   * Recomputes the chain from the first entry: each entry's hash over its predecessor's hash and its own content,
   * consecutive sequence numbers, the chain head pointing at the last entry, and the chain reaching the hash of
   * every checkpoint signed with the configured key. Names the first entry that fails. Someone able to rewrite
   * every table (checkpoints included) defeats this; the offline verification against an exported file does not
   * trust the database (`npm run audit -- verify --checkpoints FILE`).
   */
  async verify(actor: Actor): Promise<AuditVerificationResult> {
    authorize(actor, 'audit.verify', { path: [actor.organisation.id] });
    return verifyStoredChain(this.dataSource, actor.organisation.id, this.checkpoints.signer?.publicKey ?? null);
  }

  /** Signs the chain head now (besides the interval timer). */
  async checkpoint(actor: Actor): Promise<SignedCheckpoint> {
    authorize(actor, 'audit.verify', { path: [actor.organisation.id] });
    try {
      const written = await this.checkpoints.write(actor.organisation.id);
      if (!written) throw badInput('The audit trail has no entries to sign yet');
      return written;
    } catch (e) {
      if (e instanceof CheckpointError) throw conflict(e.message);
      throw e;
    }
  }

  /** The export file of the signed checkpoints (GET /audit/checkpoints.json). */
  async exportCheckpoints(actor: Actor): Promise<CheckpointExport> {
    authorize(actor, 'audit.verify', { path: [actor.organisation.id] });
    try {
      return await this.checkpoints.export(actor.organisation.id);
    } catch (e) {
      if (e instanceof CheckpointError) throw conflict(e.message);
      throw e;
    }
  }
}

/**
 * The chain as the database holds it, checked against the checkpoints `publicKey` signed (none without a key); the
 * server's verifyAuditTrail and `npm run audit -- verify` without a file.
 */
export async function verifyStoredChain(dataSource: DataSource, org: string, publicKey: KeyObject | null): Promise<AuditVerificationResult> {
  const signed = publicKey ? signedHashes(await storedCheckpoints(dataSource, org), publicKey) : new Map<number, SignedCheckpoint>();
  const walk = await walkChain(dataSource, org, {
    expectedHash: (seq) => signed.get(seq)?.hash,
    mismatch: (seq) => checkpointMismatch(signed.get(seq)!),
  });
  const reached = [...signed.values()].filter((c) => c.seq <= walk.end.seq);
  const base = { checked: walk.checked, checkpoints: reached.length, lastCheckpoint: reached.at(-1) ?? null };
  if (walk.broken) return { ...base, ok: false, firstBrokenId: walk.broken.entry?.id ?? null, firstBrokenSeq: walk.broken.seq, problem: walk.broken.problem };
  const beyond = [...signed.values()].find((c) => c.seq > walk.end.seq);
  if (beyond) {
    return { ...base, ok: false, firstBrokenId: null, firstBrokenSeq: walk.end.seq + 1, problem: `entry ${walk.end.seq + 1} is missing: a checkpoint was signed at entry ${beyond.seq}` };
  }
  const [head]: { seq: string; hash: string }[] = await dataSource.query(`SELECT seq, hash FROM audit_chain_head WHERE organisation_id = $1`, [org]);
  if (head && (Number(head.seq) !== walk.checked || head.hash !== walk.end.hash)) {
    return { ...base, ok: false, firstBrokenId: null, firstBrokenSeq: null, problem: `the chain ends at entry ${walk.checked} but its head records entry ${head.seq}: entries were removed` };
  }
  return { ...base, ok: true, firstBrokenId: null, firstBrokenSeq: null, problem: null };
}

/** A signed checkpoint covers a stretch of entries; the recomputed chain missing it means one of them changed. */
export function checkpointMismatch(c: SignedCheckpoint): string {
  return `the chain no longer reaches the checkpoint signed ${c.signedAt.toISOString()} at this entry: this entry or one since the checkpoint before was changed`;
}
