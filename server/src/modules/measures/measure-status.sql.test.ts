import { deriveImplementationStatus, derivePotentialStatus } from '@gatehouse/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../open-database.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { IMPLEMENTATION_STATUS_SQL, POTENTIAL_STATUS_SQL } from './measure-status.sql.js';

let testDb: TestDatabase;
let db: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase(testDb.target);
  await db.migrate();
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const DAY = 86_400_000;

describe('status rules in SQL', () => {
  it('agree with the shared TypeScript rules on every boundary', async () => {
    // Setup: due dates around the 14-day edges and forecasts around the 95 % / 80 % edges
    const now = Date.now();
    const dueOffsets = [null, -30, -15, -14.9, -1, 0.5, 13.9, 14.1, 40];
    const forecasts = ['0.00', '799.99', '800.00', '949.99', '950.00', '1200.00'];
    const cases = dueOffsets.flatMap((d) => forecasts.map((f) => ({ due: d === null ? null : new Date(now + d * DAY), plan: '1000.00', forecast: f })));
    cases.push({ due: null, plan: '0.00', forecast: '5.00' });
    // Action: evaluate the SQL for every case in one statement
    const rows: { impl: string; pot: string }[] = await db.dataSource.query(
      `SELECT ${IMPLEMENTATION_STATUS_SQL} AS impl, ${POTENTIAL_STATUS_SQL} AS pot
         FROM (SELECT u.*, NULL::text AS implementation_status_override, NULL::text AS potential_status_override
                 FROM unnest(CAST($1 AS timestamptz[]), CAST($2 AS numeric[]), CAST($3 AS numeric[])) WITH ORDINALITY
                      AS u(next_due_on, plan_total, forecast_total, n)) AS m
         CROSS JOIN (SELECT 95 AS potential_green_percent, 80 AS potential_amber_percent) AS o
        ORDER BY n`,
      [cases.map((c) => c.due), cases.map((c) => c.plan), cases.map((c) => c.forecast)],
    );
    // Assert
    cases.forEach((c, i) => {
      expect(rows[i].impl, `due ${c.due?.toISOString()}`).toBe(deriveImplementationStatus(c.due, new Date(now)).status);
      expect(rows[i].pot, `forecast ${c.forecast}`).toBe(derivePotentialStatus(c.plan, c.forecast).status);
    });
  });
});
