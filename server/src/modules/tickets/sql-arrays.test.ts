import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../open-database.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { isoTimestamp } from './iso-timestamp.js';
import { booleanArray, integerArray, textArray, timestampArray } from './sql-arrays.js';

let testDb: TestDatabase;
let db: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase(testDb.target);
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('SQL array literals', () => {
  it('reach the database as the same values: quotes, backslashes, braces, empty text, "NULL", any script', async () => {
    // Setup
    const texts = ['plain', '', 'NULL', 'null', 'a "quoted" word', 'back\\slash\\', '{braces}, commas', ' spaced ', 'tab\tand\nnewline', 'Ärger 😀', null, undefined];

    // Action
    const [row] = await db.dataSource.query(`SELECT CAST($1 AS text[]) AS t, CAST($2 AS boolean[]) AS b, CAST($3 AS bigint[]) AS i`, [
      textArray(texts),
      booleanArray([true, false, null]),
      integerArray([0, 1745127180000, undefined]),
    ]);

    // Assert
    expect(row.t).toEqual(texts.map((t) => t ?? null));
    expect(row.b).toEqual([true, false, null]);
    expect(row.i).toEqual(['0', '1745127180000', null]);
  });

  it('send timestamps exactly, to the millisecond', async () => {
    // Setup
    const dates = [new Date('2025-04-20T05:33:00.000Z'), new Date('1900-01-01T00:00:00.001Z'), new Date('2199-12-31T23:59:59.999Z'), null];

    // Action
    const [row] = await db.dataSource.query(`SELECT CAST($1 AS timestamptz[]) AS d`, [timestampArray(dates)]);

    // Assert
    expect((row.d as (Date | null)[]).map((d) => d?.getTime() ?? null)).toEqual(dates.map((d) => d?.getTime() ?? null));
  });
});

describe('ISO timestamps', () => {
  it('equal toISOString for any date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(-62e12), max: new Date(4e14), noInvalidDate: true }), (d) => {
        expect(isoTimestamp(d)).toBe(d.toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});
