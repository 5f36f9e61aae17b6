import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../testing/governance-helpers.js';
import { postgresBinDir, startPrivatePostgres, type PrivatePostgres } from '../testing/private-postgres.js';
import { serverUrl } from '../testing/test-database.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { waitFor } from '../testing/wait-for.js';

/**
 * The PostgreSQL server restarts under a running Gatehouse. It runs on a private cluster of its own (initdb on a
 * free port), since the machine's shared cluster must not be restarted under other work; it runs with the
 * PostgreSQL suite (TEST_DATABASE_URL) wherever the server binaries are installed.
 */
const runs = serverUrl() !== undefined && postgresBinDir() !== undefined;
const suite = runs ? describe : describe.skip;

suite(`a PostgreSQL restart${runs ? '' : ' (skipped: needs TEST_DATABASE_URL and the PostgreSQL server binaries)'}`, () => {
  let cluster: PrivatePostgres;
  let t: TestApp;
  beforeAll(async () => {
    cluster = await startPrivatePostgres();
    // This test file runs in its own process: its test database is created on the private cluster.
    process.env.TEST_DATABASE_URL = cluster.url;
    t = await startTestApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await cluster?.destroy();
  });

  it('fails the mutation in flight with a retryable error, writes nothing, keeps serving and recovers /healthz', async () => {
    // Arrange: a measure whose row another session holds locked, so that an update waits inside its transaction
    const g = governance(t);
    const m = await g.newMeasure('Restart target');
    const version = await g.version(m.id);
    const auditsBefore = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`))[0].n;
    const databaseUrl = (t.db.dataSource.options as { url?: string }).url!;
    const locker = new pg.Client({ connectionString: databaseUrl });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM measure WHERE id = $1 FOR UPDATE', [m.id]);
    const observer = new pg.Client({ connectionString: databaseUrl });
    observer.on('error', () => undefined);
    await observer.connect();
    const pending = t.gql(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Half-written?" }) { id } }`, { id: m.id, v: version }, t.tokens.owner);
    await waitFor(async () => (await observer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)).rows[0].n > 0);

    // Act: PostgreSQL shuts down (fast: every session is terminated) while the mutation waits
    await cluster.stop();
    const res = await pending;
    const whileDown = await request(t.app.httpServer).get('/healthz');
    const queryWhileDown = await t.gql(`{ me { id } }`, {}, t.tokens.admin);
    await cluster.start();

    // Assert: a retryable error without internals; the server stayed up and said it was unavailable; after the
    // restart it serves again, nothing of the mutation was written and the retry succeeds
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(JSON.stringify(res)).not.toMatch(/terminating|57P01|ECONNREFUSED|pg_|SELECT|\n\s+at /);
    expect(whileDown.status).toBe(503);
    expect(queryWhileDown.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    await waitFor(async () => (await request(t.app.httpServer).get('/healthz')).status === 200, 30_000);
    expect((await g.must(`query($id: ID!) { measure(id: $id) { title version } }`, { id: m.id }, t.tokens.admin)).measure).toEqual({ title: 'Restart target', version });
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`))[0].n).toBe(auditsBefore);
    const retried = await t.gql(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Written on retry" }) { title } }`, { id: m.id, v: version }, t.tokens.owner);
    expect(retried.data?.updateMeasure.title).toBe('Written on retry');
    expect((await g.must(`{ verifyAuditTrail { ok } }`, {}, t.tokens.admin)).verifyAuditTrail.ok).toBe(true);
    await locker.end().catch(() => undefined);
    await observer.end().catch(() => undefined);
  });
});
