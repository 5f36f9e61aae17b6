import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../testing/governance-helpers.js';
import { serverUrl } from '../testing/test-database.js';
import { stalledUpdate } from '../testing/stalled-update.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { waitFor } from '../testing/wait-for.js';

/**
 * Database faults on a PostgreSQL server: every connection of the test database is terminated while a mutation
 * is inside its transaction, and the database stops accepting connections. (A restart of the server itself runs
 * on a private cluster: database-restart.test.ts.)
 */
const url = serverUrl();
const suite = url ? describe : describe.skip;

suite(`database faults${url ? '' : ' (skipped: set TEST_DATABASE_URL to a PostgreSQL server to run them)'}`, () => {
  let t: TestApp;
  let admin: pg.Client;
  let databaseName: string;
  beforeAll(async () => {
    t = await startTestApp();
    databaseName = (await t.db.dataSource.query(`SELECT current_database() AS name`))[0].name;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  it('answers a mutation cut off by terminated connections with a retryable SERVICE_UNAVAILABLE, writes nothing and recovers', async () => {
    // Setup: an update of a measure waiting inside its transaction for a row lock another session holds
    const g = governance(t);
    const stalled = await stalledUpdate(t, 'Fault target');
    const { measureId, version, auditsBefore } = stalled;
    // Action: every connection of the database is terminated while the update waits
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [databaseName]);
    const res = await stalled.answer;
    await stalled.release();
    // Assert: a retryable error without internals, nothing written, and the server serves again
    console.info(`terminated ${killed.rowCount} connections; the mutation answered ${JSON.stringify(res.errors?.[0]?.extensions)}`);
    expect(killed.rowCount).toBeGreaterThanOrEqual(2);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(JSON.stringify(res)).not.toMatch(/terminating|57P01|pg_|SELECT|\n\s+at /);
    await waitFor(async () => (await request(t.app.httpServer).get('/healthz')).status === 200);
    expect((await g.must(`query($id: ID!) { measure(id: $id) { title version } }`, { id: measureId }, t.tokens.admin)).measure).toEqual({ title: 'Fault target', version });
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`))[0].n).toBe(auditsBefore);
    const retried = await t.gql(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Written on retry" }) { title } }`, { id: measureId, v: version }, t.tokens.owner);
    expect(retried.data?.updateMeasure.title).toBe('Written on retry');
    expect((await g.must(`{ verifyAuditTrail { ok } }`, {}, t.tokens.admin)).verifyAuditTrail.ok).toBe(true);
  });

  it('answers /healthz 503 while the database refuses connections and 200 once it is back', async () => {
    // Setup: the test database stops accepting connections and its open ones are ended
    await admin.query(`ALTER DATABASE ${databaseName} WITH ALLOW_CONNECTIONS false`);
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [databaseName]);
      // Action and assert: the server stays up and says it is unavailable; a mutation is retryable
      expect((await request(t.app.httpServer).get('/healthz')).status).toBe(503);
      const res = await t.gql(`{ me { id } }`, {}, t.tokens.admin);
      expect(res.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await admin.query(`ALTER DATABASE ${databaseName} WITH ALLOW_CONNECTIONS true`);
    }
    await waitFor(async () => (await request(t.app.httpServer).get('/healthz')).status === 200);
    expect((await t.gql(`{ me { id } }`, {}, t.tokens.admin)).data?.me).toBeTruthy();
  });
});
