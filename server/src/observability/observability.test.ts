import http from 'node:http';
import { createClient } from 'graphql-ws';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../app.js';
import { governance } from '../testing/governance-helpers.js';
import { parsePrometheusText, sampleValue } from '../testing/prometheus-text.js';
import { startTestApp, testAppConfig, type TestApp } from '../testing/test-app.js';
import { createLogger, logger as processLogger, setLogger } from './logger.js';

let t: TestApp;
/** A second app on the test database whose logger writes into `lines`. */
let app: App;
let url: string;
const lines: string[] = [];
const capture = { write: (line: string) => void lines.push(line) };

beforeAll(async () => {
  t = await startTestApp();
  app = await createApp(testAppConfig(), t.db, t.app.services.bus, { logger: createLogger('debug', capture) });
  url = await app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await app?.stop();
  await t?.close();
});

const requestLines = () => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');

/** Sends `count` requests made by `make(i)` over `parallel` keep-alive connections. */
async function send(count: number, parallel: number, make: (i: number) => { path: string; body?: unknown; token?: string }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const r = make(next++);
      const res = await fetch(`${url}${r.path}`, {
        method: r.body ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json', ...(r.token ? { authorization: `Bearer ${r.token}` } : {}) },
        body: r.body ? JSON.stringify(r.body) : undefined,
        // @ts-expect-error undici's dispatcher is not in the DOM types; Node's fetch keeps connections alive anyway
        agent,
      });
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  agent.destroy();
}

async function metrics() {
  const res = await request(app.httpServer).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.text);
}

describe('request logs', () => {
  it('writes one JSON line per request, 5,000 requests leaving 5,000 lines with id, user, operation, duration and codes', async () => {
    // Setup
    lines.length = 0;
    const viewerId = (await t.gql(`{ me { id } }`, {}, t.tokens.viewer)).data!.me.id as string;
    // Action: 4,400 probes (cheap, so the test stays fast), 300 signed-in queries, 150 invalid ones, 150 without a session
    const me = { path: '/graphql', body: { query: 'query Me { me { email } }', operationName: 'Me' }, token: t.tokens.viewer };
    const broken = { path: '/graphql', body: { query: 'query Broken { noSuchField }' } };
    const portfolio = { path: '/graphql', body: { query: 'query Portfolio { measures(first: 1) { totalCount } }' } };
    const mix = [...Array(88).fill({ path: '/livez' }), ...Array(6).fill(me), ...Array(3).fill(broken), ...Array(3).fill(portfolio)];
    await send(5000, 20, (i) => mix[i % 100]);
    // Assert
    const logged = requestLines();
    expect(logged).toHaveLength(5000);
    expect(new Set(logged.map((l) => l.reqId)).size).toBe(5000);
    for (const l of logged) {
      expect(typeof l.durationMs).toBe('number');
      expect(l.level).toBe('info');
      expect(typeof l.time).toBe('string');
    }
    const byPath = (p: string) => logged.filter((l) => l.path === p);
    expect(byPath('/livez')).toHaveLength(4400);
    expect(byPath('/livez').every((l) => l.status === 200 && l.userId === null && l.errorCodes.length === 0)).toBe(true);
    const signedIn = logged.filter((l) => l.operation === 'Me');
    expect(signedIn).toHaveLength(300);
    expect(signedIn.every((l) => l.status === 200 && l.userId === viewerId && l.operationType === 'query' && l.errorCodes.length === 0)).toBe(true);
    const invalid = logged.filter((l) => l.operation === 'Broken');
    expect(invalid).toHaveLength(150);
    expect(invalid.every((l) => l.status === 400 && l.errorCodes[0] === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    const anonymous = logged.filter((l) => l.operation === 'Portfolio');
    expect(anonymous).toHaveLength(150);
    expect(anonymous.every((l) => l.userId === null && l.errorCodes.includes('UNAUTHENTICATED'))).toBe(true);
  }, 120_000);

  it('never writes a password, a session token or a cookie, even at debug level and on errors', async () => {
    // Setup: every line of the process's logger too (errors deep in services go there)
    lines.length = 0;
    const before = processLogger;
    setLogger(createLogger('debug', capture));
    const password = 'Wr0ng-but-secret-password-71';
    const token = t.tokens.admin;
    try {
      // Action: a failed and a successful sign-in, a token in a header, a cookie, a malformed body with a password
      await request(app.httpServer)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: 'mutation SignIn($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: 'admin@northwind.example', p: password } });
      const ok = await request(app.httpServer)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: 'mutation SignIn($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: 'owner@northwind.example', p: 'demo-password' } });
      const issued = ok.body.data.login.token as string;
      await request(app.httpServer).post('/graphql').set('authorization', `Bearer ${token}`).set('content-type', 'application/json').send({ query: '{ me { email } }' });
      await request(app.httpServer).post('/graphql').set('cookie', `gatehouse_session=${token}`).set('content-type', 'application/json').send({ query: '{ me { email } }' });
      await request(app.httpServer).post('/graphql').set('content-type', 'application/json').send(`{"query": "{ me { email } }", "variables": {"password": "${password}"`);
      processLogger.error({ headers: { authorization: `Bearer ${token}`, cookie: `s=${token}` }, variables: { password } }, 'a careless error line');
      // Assert
      const text = lines.join('');
      expect(requestLines().filter((l) => l.operation === 'SignIn')).toHaveLength(2);
      expect(text).toContain('a careless error line');
      for (const secret of [password, 'demo-password', token, issued]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/Bearer|gatehouse_session=/);
    } finally {
      setLogger(before);
    }
  });
});

describe('/metrics', () => {
  it('is Prometheus text format (not the web app) with the named metrics, which move with requests', async () => {
    // Setup
    const families = await metrics();
    for (const name of [
      'gatehouse_request_duration_seconds',
      'gatehouse_errors_total',
      'gatehouse_open_subscriptions',
      'gatehouse_event_fanout_lag_seconds',
      'gatehouse_db_pool_connections',
      'gatehouse_import_rows_total',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(families.get('gatehouse_request_duration_seconds')!.type).toBe('histogram');
    // The embedded database is served through a pool of one; the test PostgreSQL database is opened with ten.
    expect(sampleValue(families, 'gatehouse_db_pool_connections', { state: 'max' })).toBe(process.env.TEST_DATABASE_URL ? 10 : 1);
    const count = (f: typeof families, operation: string) => sampleValue(f, 'gatehouse_request_duration_seconds_count', { operation });
    const before = { me: count(families, 'Me'), unauth: sampleValue(families, 'gatehouse_errors_total', { code: 'UNAUTHENTICATED' }) };
    const lagBefore = sampleValue(families, 'gatehouse_event_fanout_lag_seconds_count', { topic: 'measureChanged' });
    const importedBefore = sampleValue(families, 'gatehouse_import_rows_total', { outcome: 'inserted' });
    const client = createClient({ url: url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { token: t.tokens.viewer }, retryAttempts: 0, lazy: false });
    // Action: 3 queries, 2 refused, 1 subscription, 1 change (an event), 2 imported tickets
    try {
      for (let i = 0; i < 3; i++) await request(app.httpServer).post('/graphql').set('authorization', `Bearer ${t.tokens.viewer}`).send({ query: 'query Me { me { id } }' });
      for (let i = 0; i < 2; i++) await request(app.httpServer).post('/graphql').send({ query: '{ measures { totalCount } }' });
      const dispose = client.subscribe({ query: 'subscription Watch { measureChanged { kind } }' }, { next: () => {}, error: () => {}, complete: () => {} });
      await expect.poll(async () => sampleValue(await metrics(), 'gatehouse_open_subscriptions'), { timeout: 5000 }).toBe(1);
      const g = governance(t);
      const m = await g.newMeasure('Metrics measure');
      await g.must(
        `mutation($t: [TicketInput!]!) { importTickets(source: JIRA, tickets: $t) { inserted } }`,
        { t: [{ externalId: 'MET-1', summary: 'Printer jams' }, { externalId: 'MET-2', summary: 'Printer jams' }] },
        t.tokens.admin,
      );
      const after = await metrics();
      // Assert
      expect(count(after, 'Me') - before.me).toBe(3);
      expect(sampleValue(after, 'gatehouse_errors_total', { code: 'UNAUTHENTICATED' }) - before.unauth).toBe(2);
      expect(sampleValue(after, 'gatehouse_import_rows_total', { outcome: 'inserted' }) - importedBefore).toBe(2);
      expect(m.id).toBeTruthy();
      expect(sampleValue(after, 'gatehouse_event_fanout_lag_seconds_count', { topic: 'measureChanged' })).toBeGreaterThan(lagBefore);
      dispose();
      await expect.poll(async () => sampleValue(await metrics(), 'gatehouse_open_subscriptions'), { timeout: 5000 }).toBe(0);
      // A subscription's log lines: when it starts and when it ends (here with its connection)
      await client.dispose();
      const viewerId = (await t.gql(`{ me { id } }`, {}, t.tokens.viewer)).data!.me.id;
      await expect.poll(() => lines.map((l) => JSON.parse(l)).filter((l) => l.operation === 'Watch').map((l) => [l.msg, l.userId])).toEqual([
        ['subscription started', viewerId],
        ['subscription ended', viewerId],
      ]);
    } finally {
      await client.dispose();
    }
  });
});

describe('health endpoints', () => {
  it('answers /livez and /readyz (and /healthz) with 200 while running, /readyz 503 without migrations or while stopping', async () => {
    // Setup
    expect((await request(app.httpServer).get('/livez')).status).toBe(200);
    expect((await request(app.httpServer).get('/healthz')).status).toBe(200);
    const ready = await request(app.httpServer).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', migrations: true, database: true, shuttingDown: false });
    // Action: a database whose migrations have not run yet
    t.db.migrated = false;
    try {
      // Assert
      expect((await request(app.httpServer).get('/readyz')).status).toBe(503);
      expect((await request(app.httpServer).get('/livez')).status).toBe(200);
    } finally {
      t.db.migrated = true;
    }
  });

  it('answers /readyz 503 once shutting down', async () => {
    const other = await createApp(testAppConfig(), t.db, undefined, { logger: createLogger('silent') });
    await other.listen(0, '127.0.0.1');
    expect((await request(other.httpServer).get('/readyz')).status).toBe(200);
    await other.stop();
    // supertest listens again on the closed server, which still answers as the stopped app would
    const res = await request(other.httpServer).get('/readyz');
    other.httpServer.close();
    expect(res.status).toBe(503);
    expect(res.body.shuttingDown).toBe(true);
  });
});
