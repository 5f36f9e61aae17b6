import type { MigrationInterface } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaSnapshot } from '../../testing/schema-snapshot.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { openDatabase, type Database } from '../../open-database.js';
import { migrations } from './index.js';

/**
 * Every migration's `down` returns the schema to what it was before its `up` — tables, columns with types,
 * nullability and defaults, constraints, indexes, triggers, functions, sequences, extensions — and `up` works
 * again after it. On an empty database, one migration at a time, each up and down in its own transaction as
 * `npm run migrate` runs them; then every down in reverse order, back to the empty schema. (The migrations create
 * no roles and no extensions; the application role's grants are given after migrating, outside them.)
 */
let testDb: TestDatabase;
let db: Database;
/** before[i]: the schema before migration i; before[migrations.length]: after the last. */
const before: string[][] = [];

const snapshot = () => schemaSnapshot((sql) => db.dataSource.query(sql));

async function run(migration: MigrationInterface, step: 'up' | 'down'): Promise<void> {
  const runner = db.dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await migration[step](runner);
    await runner.commitTransaction();
  } catch (e) {
    await runner.rollbackTransaction();
    throw e;
  } finally {
    // Released before the next snapshot: the embedded database has a single connection.
    await runner.release();
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase(testDb.target);
});
afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('every migration', () => {
  it.each(migrations.map((m, i) => [m.name, i] as const))('%s: down restores the schema before it, and up runs again', async (_name, i) => {
    const migration = new migrations[i]();
    before[i] = await snapshot();

    await run(migration, 'up');
    const after = await snapshot();
    expect(after, 'the migration changes the schema').not.toEqual(before[i]);

    await run(migration, 'down');
    expect(await snapshot()).toEqual(before[i]);

    await run(migration, 'up');
    expect(await snapshot()).toEqual(after);
    before[i + 1] = after;
  });

  it('goes down all the way, last first, to the empty schema', async () => {
    expect(before).toHaveLength(migrations.length + 1);
    const kinds = new Set(before[migrations.length].map((line) => line.split(' ')[0]));
    expect([...kinds].sort()).toEqual(['column', 'constraint', 'extension', 'function', 'index', 'relation', 'trigger']);
    for (let i = migrations.length - 1; i >= 0; i--) {
      await run(new migrations[i](), 'down');
      expect(await snapshot(), `after the down of ${migrations[i].name}`).toEqual(before[i]);
    }
    expect(before[0].filter((line) => !line.startsWith('extension '))).toEqual([]);
  });

  it('would notice a down that leaves an index, a trigger, a function, a constraint or a default behind', async () => {
    await db.dataSource.query(`CREATE TABLE probe (id integer PRIMARY KEY, note text DEFAULT 'x' CHECK (note <> ''))`);
    await db.dataSource.query(`CREATE FUNCTION probe_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`);
    const base = await snapshot();
    const changes: [string, string][] = [
      ['CREATE INDEX probe_note_idx ON probe (note)', 'DROP INDEX probe_note_idx'],
      ['CREATE TRIGGER probe_trg AFTER INSERT ON probe FOR EACH STATEMENT EXECUTE FUNCTION probe_fn()', 'DROP TRIGGER probe_trg ON probe'],
      ['CREATE FUNCTION probe_other() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$', 'DROP FUNCTION probe_other()'],
      ['ALTER TABLE probe DROP CONSTRAINT probe_note_check', `ALTER TABLE probe ADD CONSTRAINT probe_note_check CHECK (note <> '')`],
      ['ALTER TABLE probe ALTER COLUMN note DROP DEFAULT', `ALTER TABLE probe ALTER COLUMN note SET DEFAULT 'x'`],
      ['ALTER TABLE probe ALTER COLUMN note SET NOT NULL', 'ALTER TABLE probe ALTER COLUMN note DROP NOT NULL'],
    ];
    for (const [change, undo] of changes) {
      await db.dataSource.query(change);
      expect(await snapshot(), change).not.toEqual(base);
      await db.dataSource.query(undo);
      expect(await snapshot(), undo).toEqual(base);
    }
  });
});
