import { isRowRejection, isTicketDone, type RowRejection, type TicketRecord, type TicketSignature, type TicketSource } from '@gatehouse/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { inTransaction, type Tx, type TxActor } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { collapseRevisions } from './parsing/collapse-revisions.js';
import { ImportMaintenance } from './import-maintenance.js';
import { SignatureCache } from './signature-cache.js';
import { SlaPolicies, slaOutcome } from './sla.js';
import { ensureGroups, refreshGroupWindows, type GroupDelta, type GroupKey } from './ticket-groups.js';
import { upsertTickets, type PreparedTicket } from './ticket-upsert.js';
import { isoTimestamp } from './iso-timestamp.js';
import { boundedTicketEvent, loadTicketScopes } from './ticket-scope.js';

/** At most this many tickets per call and per transaction. */
export const MAX_IMPORT_BATCH = 5000;

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: RowRejection[];
  slaDisagreements: number;
  groupIds: string[];
}

/** A batch checked and computed as far as it can be without the database (see prepareBatch). */
export interface PreparedBatch {
  source: TicketSource;
  rejected: RowRejection[];
  tickets: { record: TicketRecord; signature: TicketSignature }[];
}

/** Tickets written per ticket scope (its path), for the live event. */
type ScopeCount = { path: string[]; inserted: number; updated: number };

const dayOf = (d: Date) => isoTimestamp(d).slice(0, 10);

/**
 * Idempotent ticket import. Each batch is one transaction: tickets are upserted by (source, external id), a
 * newer revision (or the same revision with different content) replaces the stored ticket and anything older is
 * ignored, so importing an export twice, or an audit log in any row order, converges to one ticket per id in
 * its latest state. Recurring groups are updated from the batch's deltas, never recomputed from all tickets.
 */
export class TicketImportService {
  private readonly signatures = new SignatureCache();
  private readonly maintenance: ImportMaintenance;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {
    this.maintenance = new ImportMaintenance(dataSource);
  }

  async importBatch(actor: TxActor, source: TicketSource, rows: (TicketRecord | RowRejection)[], origin: string): Promise<BatchResult> {
    return this.writeBatch(actor, this.prepareBatch(source, rows), origin);
  }

  /**
   * The part of a batch's import that needs no database: rejections apart, one record per ticket (its latest
   * revision in the batch) with its group key and content hash. The command line prepares the next batch
   * while the database writes this one.
   */
  prepareBatch(source: TicketSource, rows: (TicketRecord | RowRejection)[]): PreparedBatch {
    if (rows.length > MAX_IMPORT_BATCH) throw badInput(`At most ${MAX_IMPORT_BATCH} tickets per call`, { field: 'tickets' });
    const rejected = rows.filter(isRowRejection);
    // A copy only where the source differs: a batch's records outlive many young-generation collections, and
    // a second copy of each doubled what the import promoted to the old generation.
    const records = collapseRevisions(rows.filter((r): r is TicketRecord => !isRowRejection(r)).map((r) => (r.source === source ? r : { ...r, source })));
    const tickets = records.map((record) => ({ record, signature: this.signatures.of(record) }));
    return { source, rejected, tickets };
  }

  /** Writes a prepared batch in one transaction. */
  async writeBatch(actor: TxActor, batch: PreparedBatch, origin: string): Promise<BatchResult> {
    const result = await inTransaction(this.dataSource, actor, (tx) => this.writeIn(tx, batch, origin));
    const { daysWritten, scopes: _scopes, ...counts } = result;
    await this.maintenance.afterBatch({ tickets: counts.inserted + counts.updated, groups: counts.groupIds.length, groupDays: daysWritten });
    return { ...counts, rejected: batch.rejected };
  }

  /** A prepared batch written in the caller's transaction (the demo's ticket history is loaded with the demo). */
  async writeIn(tx: Tx, batch: PreparedBatch, origin: string) {
    const { source, rejected, tickets } = batch;
    const { actor } = tx;
    if (tickets.length === 0) return { inserted: 0, updated: 0, unchanged: 0, slaDisagreements: 0, groupIds: [] as string[], daysWritten: 0, scopes: [] as ScopeCount[] };
    const counts = await this.upsert(tx.manager, actor.organisationId, source, tickets);
    tx.audit({
      action: 'tickets.imported',
      entityType: 'TicketImport',
      entityId: `${source}:${origin}`,
      after: { source, origin, inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged, rejected: rejected.length },
    });
    await tx.manager.query(
      `INSERT INTO ticket_import (organisation_id, source, origin, actor_id, inserted, updated, unchanged, rejected) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [actor.organisationId, source, origin.slice(0, 500), actor.userId, counts.inserted, counts.updated, counts.unchanged, rejected.length],
    );
    if (counts.inserted + counts.updated > 0) {
      tx.afterCommit(() =>
        this.bus.publish(boundedTicketEvent({
          topic: 'ticketGroupsChanged',
          organisationId: actor.organisationId,
          // Ids only, at most 100: the event must fit a PostgreSQL NOTIFY payload.
          groupIds: counts.groupIds.slice(0, 100),
          inserted: counts.inserted,
          updated: counts.updated,
          // Who may hear of it: the scopes of the tickets written (ticket-scope.ts).
          scopeIds: [...new Set(counts.scopes.flatMap((c) => c.path))],
          counts: counts.scopes,
          at: new Date().toISOString(),
        })),
      );
    }
    return counts;
  }

  private async upsert(manager: EntityManager, organisationId: string, source: TicketSource, prepared: PreparedBatch['tickets']) {
    const policies = await SlaPolicies.load(manager, organisationId);
    const scopes = await loadTicketScopes(manager, organisationId);
    const now = new Date();

    // The groups of this batch, created on first sight.
    const groupKeys = new Map<string, GroupKey>();
    for (const { record, signature: s } of prepared) {
      if (!groupKeys.has(s.signature)) groupKeys.set(s.signature, { signature: s.signature, title: s.title, basis: s.basis, category: record.category ?? null });
    }
    const groupOf = await ensureGroups(manager, organisationId, [...groupKeys.values()]);

    const tickets: PreparedTicket[] = prepared.map(({ record, signature }) => ({
      record,
      groupId: groupOf.get(signature.signature)!,
      sla: slaOutcome(record, policies),
      orgUnitId: scopes.rules.scopeOf(record),
    }));
    const changed = await upsertTickets(manager, organisationId, source, now, tickets);

    // Group deltas: +1 for the new version of every changed ticket, -1 for the stored version it replaced.
    const byId = new Map(tickets.map((t) => [t.record.externalId, t]));
    const deltas = new Map<string, GroupDelta>();
    const delta = (groupId: string) => {
      let d = deltas.get(groupId);
      if (!d) deltas.set(groupId, (d = { groupId, tickets: 0, open: 0, days: new Map() }));
      return d;
    };
    let inserted = 0;
    let slaDisagreements = 0;
    const byScope = new Map<string | null, ScopeCount>();
    for (const row of changed) {
      const t = byId.get(row.external_id)!;
      if (row.inserted) inserted++;
      let scope = byScope.get(t.orgUnitId);
      if (!scope) byScope.set(t.orgUnitId, (scope = { path: t.orgUnitId ? scopes.paths.get(t.orgUnitId)! : [organisationId], inserted: 0, updated: 0 }));
      scope[row.inserted ? 'inserted' : 'updated']++;
      if (t.sla.disagrees) slaDisagreements++;
      if (row.old_group_id !== null && row.old_day !== null) {
        const d = delta(row.old_group_id);
        d.tickets--;
        if (row.old_open) d.open--;
        d.days.set(row.old_day, (d.days.get(row.old_day) ?? 0) - 1);
      }
      const d = delta(t.groupId);
      d.tickets++;
      if (!isTicketDone(t.record)) d.open++;
      // The day the table itself gives the new version: coalesce(opened_at, first_seen_at).
      const day = t.record.openedAt ? dayOf(t.record.openedAt) : (row.first_seen_day ?? dayOf(now));
      d.days.set(day, (d.days.get(day) ?? 0) + 1);
    }
    const groupIds = [...deltas.keys()];
    const { daysWritten } = groupIds.length > 0 ? await refreshGroupWindows(manager, organisationId, [...deltas.values()]) : { daysWritten: 0 };
    return { inserted, updated: changed.length - inserted, unchanged: tickets.length - changed.length, slaDisagreements, groupIds, daysWritten, scopes: [...byScope.values()] };
  }
}
