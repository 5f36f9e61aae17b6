import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../testing/governance-helpers.js';
import { postgresBinDir, startPrivatePostgres, type PrivatePostgres } from '../testing/private-postgres.js';
import { serverUrl } from '../testing/test-database.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { stalledUpdate } from '../testing/stalled-update.js';
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
    // Arrange: an update of a measure waiting inside its transaction for a row lock another session holds
    const g = governance(t);
    const stalled = await stalledUpdate(t, 'Restart target');
    const { measureId, version, auditsBefore } = stalled;

    // Act: PostgreSQL shuts down (fast: every session is terminated) while the mutation waits
    await cluster.stop();
    const res = await stalled.answer;
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
    expect((await g.must(`query($id: ID!) { measure(id: $id) { title version } }`, { id: measureId }, t.tokens.admin)).measure).toEqual({ title: 'Restart target', version });
    expect((await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`))[0].n).toBe(auditsBefore);
    const retried = await t.gql(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Written on retry" }) { title } }`, { id: measureId, v: version }, t.tokens.owner);
    expect(retried.data?.updateMeasure.title).toBe('Written on retry');
    expect((await g.must(`{ verifyAuditTrail { ok } }`, {}, t.tokens.admin)).verifyAuditTrail.ok).toBe(true);
    await stalled.release();
  });
});
