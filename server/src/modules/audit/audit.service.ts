import type { DataSource } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { decodeCursor, encodeCursor, pageSize } from '../../common/cursor.js';
import { assertId } from '../../common/ids.js';
import type { Actor } from '../access/actor.js';
import { authorize } from '../access/authorize.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
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
}

const VERIFY_BATCH = 2000;
const EXPORT_BATCH = 500;
const MEASURE_CODE = /^M-\d+$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads and verifies the organisation's hash-chained audit trail. */
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Entries newest first. For a measure, its own entries and those of everything on it (milestones, gate
   * requests, evidence). Entries about a measure are visible to whoever may read the measure; the rest
   * (structure, users, roles) to admins. `totalCount` counts every entry that matches the filters, whatever
   * the page.
   */
  async trail(actor: Actor, filter: AuditFilter, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const qb = await this.matching(actor, filter);
    // Counted without the cursor: the total of the whole list, the same on every page.
    const unpaged = qb.clone();
    const count = () => unpaged.getCount();
    if (after) {
      const [seq] = decodeCursor(after, 1);
      if (typeof seq !== 'number') throw badInput('after is not a cursor of this list', { field: 'after' });
      qb.andWhere('a.seq < :seq', { seq });
    }
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
    authorize(actor, 'audit.read', { path: [actor.organisation.id] });
    const qb = this.dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .leftJoin('measure', 'm', 'm.id = a.measure_id')
      .addSelect(['m.path', 'm.owner_id', 'm.sponsor_id', 'm.controller_id'])
      .where('a.organisation_id = :org', { org: actor.organisation.id });
    const entity = filter.entityId?.trim().slice(0, 100);
    if (entity) {
      const id = MEASURE_CODE.test(entity) ? await this.measureIdOf(actor, entity) : entity;
      qb.andWhere('(a.entity_id = :id OR a.measure_id = CAST(:uuid AS uuid))', { id: id ?? '', uuid: id && UUID.test(id) ? id : null });
    }
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action.slice(0, 100) });
    if (filter.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: assertId(filter.actorId, 'actorId') });
    if (filter.from) qb.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.at <= :to', { to: filter.to });
    const isAdmin = actor.grants.some((g) => g.role === 'ADMIN' && g.scopeId === actor.organisation.id);
    if (!isAdmin) {
      qb.andWhere('(a.measure_id IS NOT NULL AND (m.path && CAST(:granted AS uuid[]) OR m.owner_id = :me OR m.sponsor_id = :me OR m.controller_id = :me))', {
        granted: actor.grants.map((g) => g.scopeId),
        me: actor.userId,
      });
    }
    return qb;
  }

  private async measureIdOf(actor: Actor, code: string): Promise<string | null> {
    const [row]: { id: string }[] = await this.dataSource.query(`SELECT id FROM measure WHERE organisation_id = $1 AND code = $2`, [actor.organisation.id, code.toUpperCase()]);
    return row?.id ?? null;
  }

  /**
   * Recomputes the chain from the first entry: each entry's hash over its predecessor's hash and its own content,
   * consecutive sequence numbers, and the chain head pointing at the last entry. Names the first entry that fails.
   */
  async verify(actor: Actor): Promise<AuditVerificationResult> {
    authorize(actor, 'audit.verify', { path: [actor.organisation.id] });
    const org = actor.organisation.id;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    const broken = (e: { id: string; seq: number } | null, problem: string): AuditVerificationResult => ({
      ok: false,
      checked,
      firstBrokenId: e?.id ?? null,
      firstBrokenSeq: e?.seq ?? null,
      problem,
    });
    for (;;) {
      const batch = await this.dataSource
        .getRepository(AuditEntry)
        .createQueryBuilder('a')
        .where('a.organisation_id = :org AND a.seq >= :from', { org, from: expectedSeq })
        .orderBy('a.seq', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      for (const e of batch) {
        if (e.seq !== expectedSeq) return broken(e, `entry ${expectedSeq} is missing`);
        if (e.prevHash !== prevHash) return broken(e, 'its link to the previous entry does not match');
        const hash = auditHash(prevHash, {
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
        if (hash !== e.hash) return broken(e, 'its content does not match its hash');
        prevHash = e.hash;
        expectedSeq++;
        checked++;
      }
      if (batch.length < VERIFY_BATCH) break;
    }
    const [head]: { seq: string; hash: string }[] = await this.dataSource.query(`SELECT seq, hash FROM audit_chain_head WHERE organisation_id = $1`, [org]);
    if (head && (Number(head.seq) !== checked || head.hash !== prevHash)) {
      return broken(null, `the chain ends at entry ${checked} but its head records entry ${head.seq}: entries were removed`);
    }
    return { ok: true, checked, firstBrokenId: null, firstBrokenSeq: null, problem: null };
  }
}
