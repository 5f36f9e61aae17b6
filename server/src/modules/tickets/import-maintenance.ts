import type { DataSource } from 'typeorm';
import { errorFields, logger } from '../../observability/logger.js';

/** Rows a committed batch wrote (inserted or updated) in each table it keeps. */
export interface BatchWrites {
  tickets: number;
  groups: number;
  groupDays: number;
}

interface Table {
  name: keyof BatchWrites;
  table: string;
  /**
   * VACUUM (ANALYZE) or only ANALYZE, and of which columns. Tickets are inserted far more than updated, so
   * their table needs fresh statistics but rarely vacuuming; every batch updates a row per group it touches, and
   * the group tables fill with dead row versions.
   */
  command: string;
}

const TABLES: Table[] = [
  // Only the columns the import looks rows up by: the row count comes with any, and the other (text)
  // columns would cost ten times more to analyse.
  { name: 'tickets', table: 'ticket', command: 'ANALYZE ticket (organisation_id, source, external_id)' },
  { name: 'groups', table: 'ticket_group', command: 'VACUUM (ANALYZE) ticket_group' },
  { name: 'groupDays', table: 'ticket_group_day', command: 'VACUUM (ANALYZE) ticket_group_day' },
];

/** A table is looked after once the rows written since it last was reach this many plus its size then. */
const MIN_WRITES = 5000;

/**
 * Keeps the ticket tables fit for the import's statements while a large import runs, after each committed
 * batch, the way autovacuum would if it could be relied on. It cannot: it is off on some servers (the
 * benchmark's among them), never runs in the embedded PGlite, and otherwise wakes only once a minute.
 *
 * - Statistics: the planner plans each statement from them, and during a first import of a large export the
 *   ticket table looked empty to it for the whole run; it then read every ticket of the organisation per
 *   batch (an unchanged re-import of 100,000 rows right after the import took 22 s instead of 10).
 * - Dead rows: each batch updates the row of every group it touches, about 4,000 of them in a batch of a
 *   million-row export. Unvacuumed, ticket_group grew to 130 MB for 5,362 groups and every batch read it
 *   through, twice (a third of the database time of the million-row import).
 *
 * Each table is looked after once the rows written to it since it last was reach MIN_WRITES plus its size
 * then, so the work stays proportional to the import (each run reads what changed since the one before).
 */
export class ImportMaintenance {
  private readonly sizes = new Map<string, number>();
  private readonly writes = new Map<string, number>();
  /** The care scheduled so far, one run after the other; it never rejects. */
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * After a batch committed: schedules the tables' care and returns at once. It runs on a connection of its
   * own while the import writes its next batch (VACUUM and ANALYZE take a lock that lets rows be written
   * meanwhile), so PostgreSQL does it on the second core instead of the import waiting for it: a tenth of the
   * million-row import's database time had been spent waiting here. With one connection (PGlite) it simply
   * runs before the next batch, as before. Never fails: the batch is committed, and the next one can do without.
   */
  afterBatch(batch: BatchWrites): void {
    this.running = this.running.then(async () => {
      try {
        for (const t of TABLES) await this.lookAfter(t, batch[t.name]);
      } catch (e) {
        logger.error(errorFields(e), 'maintaining the ticket tables failed');
      }
    });
  }

  /** Resolves once the care scheduled so far is done: an import awaits it before it reports. */
  settled(): Promise<void> {
    return this.running;
  }

  private async lookAfter(t: Table, written: number): Promise<void> {
    let size = this.sizes.get(t.table);
    if (size === undefined) {
      // First batch of this process: a table never analysed (reltuples -1) is looked after at once.
      size = await this.rowsOf(t.table);
      this.sizes.set(t.table, Math.max(size, 0));
      if (size < 0) return this.run(t);
    }
    const total = (this.writes.get(t.table) ?? 0) + written;
    this.writes.set(t.table, total);
    if (total >= MIN_WRITES + size) await this.run(t);
  }

  private async run(t: Table): Promise<void> {
    await this.dataSource.query(t.command);
    this.sizes.set(t.table, Math.max(await this.rowsOf(t.table), 0));
    this.writes.set(t.table, 0);
  }

  private async rowsOf(table: string): Promise<number> {
    const [{ rows }] = await this.dataSource.query(`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = CAST($1 AS regclass)`, [table]);
    return rows;
  }
}
