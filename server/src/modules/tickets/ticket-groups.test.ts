import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Priority, TicketSource, type TicketRecord, TicketStateCategory } from '@gatehouse/shared';
import { bootstrapOrganisation } from '../../bootstrap.js';
import { openDatabase, type Database } from '../../open-database.js';
import { LocalEventBus } from '../../events/event-bus.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { TicketImportService } from './ticket-import.service.js';

let testDb: TestDatabase;
let db: Database;
let organisationId: string;
let importer: TicketImportService;
beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase(testDb.target);
  await db.migrate();
  await bootstrapOrganisation(db, { demoData: false, bootstrap: { orgName: 'Groups', currency: 'EUR', adminEmail: 'groups@example.com', adminPassword: 'groups-password-1' } });
  [{ id: organisationId }] = await db.dataSource.query(`SELECT id FROM organisation`);
  // A small threshold and window, so that random imports cross them both ways.
  await db.dataSource.query(`UPDATE organisation SET recurring_threshold = 3, recurring_window_days = 3`);
  importer = new TicketImportService(db.dataSource, new LocalEventBus());
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

/** Versions of a few tickets that move between groups, days and states, in any order and batching. */
const version = fc.record({
  id: fc.integer({ min: 1, max: 8 }),
  category: fc.constantFrom('Network', 'Email', 'Printing'),
  opened: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
  resolved: fc.boolean(),
  revision: fc.integer({ min: 0, max: 3 }),
  summary: fc.constantFrom('Down', 'Slow'),
});

type Version = typeof version extends fc.Arbitrary<infer T> ? T : never;

function record(run: number, v: Version): TicketRecord {
  return {
    source: TicketSource.CSV,
    externalId: `R${run}-${v.id}`,
    summary: v.summary,
    category: v.category,
    subcategory: 'Any',
    priority: Priority.LOW,
    stateCategory: TicketStateCategory.OPEN,
    openedAt: v.opened === undefined ? undefined : new Date(START + v.opened * DAY),
    resolvedAt: v.resolved ? new Date(START + 20 * DAY) : undefined,
    revision: v.revision,
  };
}

/** Every group's counts, histogram, days and peak as kept by the imports, and as recounted from the tickets. */
async function keptAndRecounted() {
  const kept: { id: string; ticket_count: number; open_count: number; first_day: string | null; last_day: string | null; peak_window_count: number; recurring: boolean }[] =
    await db.dataSource.query(`SELECT id, ticket_count, open_count, first_day, last_day, peak_window_count, recurring FROM ticket_group ORDER BY id`);
  const days: { group_id: string; day: string; count: number }[] = await db.dataSource.query(`SELECT group_id, day, count FROM ticket_group_day ORDER BY group_id, day`);
  const tickets: { group_id: string; day: string; open: boolean }[] = await db.dataSource.query(
    `SELECT group_id, to_char(coalesce(opened_at, first_seen_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, (resolved_at IS NULL AND closed_at IS NULL) AS open FROM ticket`,
  );
  const recounted = kept.map((g) => {
    const mine = tickets.filter((t) => t.group_id === g.id);
    const histogram = new Map<string, number>();
    for (const t of mine) histogram.set(t.day, (histogram.get(t.day) ?? 0) + 1);
    const sorted = [...histogram].sort(([a], [b]) => a.localeCompare(b));
    // The most tickets within any 3 consecutive days (a window ends on a day that has tickets).
    const peak = Math.max(0, ...sorted.map(([end]) => sorted.filter(([d]) => d <= end && Date.parse(d) > Date.parse(end) - 3 * DAY).reduce((n, [, c]) => n + c, 0)));
    return {
      id: g.id,
      ticket_count: mine.length,
      open_count: mine.filter((t) => t.open).length,
      first_day: sorted[0]?.[0] ?? null,
      last_day: sorted.at(-1)?.[0] ?? null,
      peak_window_count: peak,
      recurring: peak >= 3,
      days: sorted.map(([day, count]) => ({ day, count })),
    };
  });
  return {
    kept: kept.map((g) => ({ ...g, days: days.filter((d) => d.group_id === g.id).map(({ day, count }) => ({ day, count })) })),
    recounted,
  };
}

describe('recurring groups kept from batch deltas', () => {
  it('match a recount from the tickets after any sequence of batches, whatever moves between groups and days', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(version, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        run++;
        for (const batch of batches) await importer.importBatch({ userId: null, organisationId }, TicketSource.CSV, batch.map((v) => record(run, v)), 'test');
        const { kept, recounted } = await keptAndRecounted();
        expect(kept).toEqual(recounted);
      }),
      { numRuns: 25 },
    );
  });
});
