import { isRowRejection, isTicketDone, type ImportCounts, type RowRejection, type TicketRecord, type TicketSignature, type TicketSource } from '@gatehouse/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { inTransaction, type Tx, type TxActor } from '../../common/transaction.js';
import type { EventBus } from '../../events/event-bus.js';
import { collapseRevisions } from './parsing/collapse-revisions.js';
import { ImportMaintenance } from './import-maintenance.js';
import { SignatureCache } from './signature-cache.js';
import { SlaPolicies, slaOutcome } from './sla.js';
import { ensureGroups, refreshGroupWindows, type GroupDelta, type GroupKey } from './ticket-groups.js';
import { recordColumnArrays, upsertTickets, type PreparedTicket } from './ticket-upsert.js';
import { isoTimestamp } from './iso-timestamp.js';
import { boundedTicketEvent, loadTicketScopes } from './ticket-scope.js';
import { importRows } from '../../observability/metrics.js';

function countImportRows(inserted: number, updated: number, unchanged: number, rejected: number): void {
  importRows.inc({ outcome: 'inserted' }, inserted);
  importRows.inc({ outcome: 'updated' }, updated);
  importRows.inc({ outcome: 'unchanged' }, unchanged);
  importRows.inc({ outcome: 'rejected' }, rejected);
}

/** At most this many tickets per call and per transaction. */
export const MAX_IMPORT_BATCH = 5000;

/** One row as the import loop takes it: a parsed file's row, or an API input's. */
export interface ImportRow {
  /** Bytes of the file read up to this row, for progress; 0 when there is no file. */
  bytes?: number;
  result: TicketRecord | RowRejection;
}

/** What one run of the import loop counted. */
export interface ImportTotals extends ImportCounts {
  /** Distinct recurring groups the run's changes touched. */
  groupsTouched: number;
}

export interface ImportRunOptions {
  /** Where the rows came from (file name, "api"): recorded with each batch. */
  origin: string;
  /** Rows per batch, and so per transaction: 1 to MAX_IMPORT_BATCH. */
  batchSize: number;
  /** Rejections kept for the answer (the first ones); all are counted. */
  keepRejections: number;
  /** After each chunk of rows is read: the totals so far and the bytes read. */
  onRows?: (totals: Readonly<ImportTotals>, bytes: number) => void;
  /** After each batch is committed. */
  onBatch?: (totals: Readonly<ImportTotals>) => void;
}

export interface ImportRun {
  totals: ImportTotals;
  rejections: RowRejection[];
}

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
  /**
   * The statement's array literals of the columns the records alone decide (recordColumnArrays), written here
   * rather than in the transaction: the command line prepares a batch while the database writes the one before,
   * and these literals were the larger part of the JavaScript a batch kept the database waiting for.
   */
  recordArrays: string[];
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
    const result = await this.writeBatch(actor, this.prepareBatch(source, rows), origin);
    await this.maintenance.settled();
    return result;
  }

  /** importTickets' rows: at most one batch, every rejection answered. */
  async importList(actor: TxActor, source: TicketSource, rows: (TicketRecord | RowRejection)[], origin: string): Promise<ImportRun> {
    if (rows.length > MAX_IMPORT_BATCH) throw badInput(`At most ${MAX_IMPORT_BATCH} tickets per call`, { field: 'tickets' });
    const chunk = rows.map((result) => ({ result }));
    return this.importRows(actor, source, [chunk], { origin, batchSize: MAX_IMPORT_BATCH, keepRejections: MAX_IMPORT_BATCH });
  }

  /**
   * The import loop every way in shares (the command line, the upload route, importTickets): rows in file
   * order, cut into batches of `batchSize` rows, each written in its own transaction. Pipelined: the next batch
   * is read and prepared while the database writes the one before (from its INSERT on), and at most one batch
   * waits for it, so memory stays bounded. Batches are written in order and none after one that failed: the
   * error is thrown once the batch being written has finished, and every batch before it stays committed.
   */
  async importRows(
    actor: TxActor,
    source: TicketSource,
    chunks: AsyncIterable<readonly ImportRow[]> | Iterable<readonly ImportRow[]>,
    options: ImportRunOptions,
  ): Promise<ImportRun> {
    const { origin, batchSize, keepRejections } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_IMPORT_BATCH) throw badInput(`The batch size must be 1 to ${MAX_IMPORT_BATCH}`, { field: 'batch' });
    const totals: ImportTotals = { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 0, groupsTouched: 0 };
    const groups = new Set<string>();
    const rejections: RowRejection[] = [];
    // Rejections travel in their batch so that its audit entry counts them; they are not stored.
    let batch: (TicketRecord | RowRejection)[] = [];
    let writing: Promise<void> | undefined;
    const flush = async () => {
      if (batch.length === 0) return;
      const prepared = this.prepareBatch(source, batch);
      batch = [];
      const before = writing ?? Promise.resolve();
      let sent!: () => void;
      const inFlight = new Promise<void>((resolve) => (sent = resolve));
      const written = before.then(async () => {
        const r = await this.writeBatch(actor, prepared, origin, sent);
        totals.inserted += r.inserted;
        totals.updated += r.updated;
        totals.unchanged += r.unchanged;
        totals.slaDisagreements += r.slaDisagreements;
        for (const id of r.groupIds) groups.add(id);
        totals.groupsTouched = groups.size;
        options.onBatch?.(totals);
      });
      // Handled when awaited; without this a failure noticed before then would be an unhandled rejection.
      written.catch(() => undefined);
      writing = written;
      // Reading goes on once this batch's INSERT is on its way (or the batch is done): the statements before it
      // are short round trips, and parsing in between held each of them up; the INSERT and those after it
      // keep the database busy while the next batch is read.
      await Promise.race([inFlight, written.catch(() => undefined)]);
      await before;
    };
    try {
      for await (const rows of chunks) {
        for (const row of rows) {
          totals.rows++;
          if (isRowRejection(row.result)) {
            totals.rejected++;
            if (rejections.length < keepRejections) rejections.push(row.result);
          }
          batch.push(row.result);
          if (batch.length >= batchSize) await flush();
        }
        options.onRows?.(totals, rows.at(-1)?.bytes ?? 0);
      }
      await flush();
      await writing;
    } finally {
      // A batch still being written after a failure elsewhere is let finish (or fail) before the caller goes on,
      // and so is the tables' care after the last batch (it runs while the next batch is written).
      await writing?.catch(() => undefined);
      await this.maintenance.settled();
    }
    return { totals, rejections };
  }

  /**
   * The part of a batch's import that needs no database: rejections apart, one record per ticket (its latest
   * revision in the batch) with its group key and content hash. The command line prepares the next batch
   * while the database writes this one.
   */
  prepareBatch(source: TicketSource, rows: (TicketRecord | RowRejection)[]): PreparedBatch {
    const rejected = rows.filter(isRowRejection);
    if (rows.length - rejected.length > MAX_IMPORT_BATCH) throw badInput(`At most ${MAX_IMPORT_BATCH} tickets per call`, { field: 'tickets' });
    // A copy only where the source differs: a batch's records outlive many young-generation collections, and
    // a second copy of each doubled what the import promoted to the old generation.
    const records = collapseRevisions(rows.filter((r): r is TicketRecord => !isRowRejection(r)).map((r) => (r.source === source ? r : { ...r, source })));
    const tickets = records.map((record) => ({ record, signature: this.signatures.of(record) }));
    return { source, rejected, tickets, recordArrays: recordColumnArrays(records) };
  }

  /** Writes a prepared batch in one transaction; `sent` is called once its tickets' INSERT is on its way. */
  async writeBatch(actor: TxActor, batch: PreparedBatch, origin: string, sent?: () => void): Promise<BatchResult> {
    const result = await inTransaction(this.dataSource, actor, (tx) => this.writeIn(tx, batch, origin, sent));
    const { daysWritten, scopes: _scopes, ...counts } = result;
    this.maintenance.afterBatch({ tickets: counts.inserted + counts.updated, groups: counts.groupIds.length, groupDays: daysWritten });
    countImportRows(counts.inserted, counts.updated, counts.unchanged, batch.rejected.length);
    return { ...counts, rejected: batch.rejected };
  }

  /** A prepared batch written in the caller's transaction (the demo's ticket history is loaded with the demo). */
  async writeIn(tx: Tx, batch: PreparedBatch, origin: string, sent?: () => void) {
    const { source, rejected, tickets } = batch;
    const { actor } = tx;
    if (tickets.length === 0) return { inserted: 0, updated: 0, unchanged: 0, slaDisagreements: 0, groupIds: [] as string[], daysWritten: 0, scopes: [] as ScopeCount[] };
    const counts = await this.upsert(tx.manager, actor.organisationId, source, tickets, batch.recordArrays, sent);
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

  private async upsert(manager: EntityManager, organisationId: string, source: TicketSource, prepared: PreparedBatch['tickets'], recordArrays: string[], sent?: () => void) {
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
    const changed = await upsertTickets(manager, organisationId, source, now, tickets, { recordArrays, sent });

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
      if (row.sla_disagrees) slaDisagreements++;
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
