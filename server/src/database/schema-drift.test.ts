import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { databaseShapes, entityShapes, schemaDrift, type TableShapes } from '../testing/schema-snapshot.js';
import { openDatabase, type Database } from '../open-database.js';

/**
 * Tables the migrations create that no entity maps, on purpose: each is read and written only by raw SQL or by
 * the database itself. A new table belongs here only with its reason.
 */
const TABLES_WITHOUT_ENTITY = new Set([
  'schema_migration', // TypeORM's own record of the migrations that ran
  'gate_review_participant', // written and read with its review in raw SQL (gate-reviews.service)
  'measure_history', // appended by the measure services in raw SQL; read by the DoI bridge in SQL
  'audit_chain_head', // moved by the database (audit_chain_lock, audit_chain_advance), never by the application
  'audit_checkpoint', // append-only signed heads, written and read in raw SQL
  'ticket_group_day', // per-day counts kept by the import's SQL
  'ticket_group_link', // links of ticket groups to measures, in raw SQL
  'ticket_import', // the record of import runs, in raw SQL
  'login_throttle', // upserted in one statement by LoginThrottle
  'oidc_login', // a single sign-on under way, written and read in raw SQL by OidcSignIn
  'password_link', // one-time set-password links, written and read in raw SQL by IdentityService
  'scope_doi_rollup', // kept by triggers (PortfolioRollups migration)
  'scope_month_rollup', // kept by triggers (PortfolioRollups migration)
  'scope_status_rollup', // kept by triggers (StatusRollup migration)
  'measure_actual_editor', // kept by triggers on measure_value (SegregationOfDuties migration); read by the gate facts in SQL
]);

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

describe('the entities and the migrations', () => {
  it('agree on every table, column, column type and nullability of a freshly migrated database', async () => {
    const drift = schemaDrift(entityShapes(db.dataSource), await databaseShapes((sql) => db.dataSource.query(sql)), TABLES_WITHOUT_ENTITY);
    expect(drift).toEqual([]);
  });
});

describe('schemaDrift', () => {
  const shapes = (tables: Record<string, Record<string, [string, boolean]>>): TableShapes =>
    new Map(Object.entries(tables).map(([t, cols]) => [t, new Map(Object.entries(cols).map(([c, [type, nullable]]) => [c, { type, nullable }]))]));
  const database = shapes({ thing: { id: ['uuid', false], amount: ['numeric(15,2)', false], note: ['text', true] }, thing_log: { id: ['bigint', false] } });

  it('finds nothing when both sides agree', () => {
    const entities = shapes({ thing: { id: ['uuid', false], amount: ['numeric(15,2)', false], note: ['text', true] } });
    expect(schemaDrift(entities, database, new Set(['thing_log']))).toEqual([]);
  });

  it('names a column missing on either side, a wrong type, a wrong nullability and an unlisted or unknown table', () => {
    const entities = shapes({
      thing: { id: ['uuid', false], amount: ['numeric', false], note: ['text', false], extra: ['text', true] },
      ghost: { id: ['uuid', false] },
    });
    expect(schemaDrift(entities, database, new Set(['gone']))).toEqual([
      'thing.amount: the entity says numeric, the database has numeric(15,2)',
      'thing.note: the entity says NOT NULL, the database has nullable',
      'thing.extra: declared by the entity, not in the database',
      'table ghost: declared by an entity, not created by the migrations',
      'table thing_log: created by the migrations, has no entity and is not listed as such',
      'table gone: listed as a table without an entity, but the migrations do not create it',
    ]);
    const fewer = shapes({ thing: { id: ['uuid', false], amount: ['numeric(15,2)', false] } });
    expect(schemaDrift(fewer, database, new Set(['thing_log']))).toEqual(['thing.note: in the database, not declared by the entity']);
  });
});
