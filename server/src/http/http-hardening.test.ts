import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../app.js';
import { QUERY_LIMITS } from '../graphql/query-limits.js';
import { startTestApp, testAppConfig, type TestApp } from '../testing/test-app.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';
import { logger } from '../observability/logger.js';

let t: TestApp;
let production: App;
let productionWithIntrospection: App;
beforeAll(async () => {
  t = await startTestApp();
  // Two more apps on the same database, configured as in production.
  production = await createApp(testAppConfig({ NODE_ENV: 'production' }), t.db);
  productionWithIntrospection = await createApp(testAppConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'on', GRAPHQL_FIELD_SUGGESTIONS: 'on' }), t.db);
});
afterAll(async () => {
  await production?.stop();
  await productionWithIntrospection?.stop();
  await t?.close();
});

const post = (body: unknown, server = t.app.httpServer, token = t.tokens.admin) =>
  request(server).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).send(body as object);

const deepQuery = `{ orgUnits { ${'parent { '.repeat(QUERY_LIMITS.depth)}id${' }'.repeat(QUERY_LIMITS.depth)} } }`;
const aliasQuery = `{ ${Array.from({ length: QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: orgUnits { id }`).join(' ')} }`;
const tokenQuery = `{ orgUnits { ${Array.from({ length: QUERY_LIMITS.tokens }, () => 'id').join(' ')} } }`;

/** One graphql-ws subscription's first answer: its events or its errors. */
async function wsFirst(query: string, token = t.tokens.admin): Promise<{ errors?: any; data?: any }> {
  const client = createClient({ url: t.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0 });
  try {
    return await new Promise((resolve) => {
      client.subscribe({ query }, { next: (v) => resolve(v as any), error: (e) => resolve({ errors: e }), complete: () => resolve({}) });
    });
  } finally {
    await client.dispose();
  }
}

describe('GraphQL request limits over HTTP', () => {
  it('refuses a too deep, too aliased or too long document with 400 before any resolver runs', async () => {
    // Setup: a spy on the service the resolver would call
    const spy = vi.spyOn(t.app.services.hierarchy, 'orgUnits');
    // Action
    const deep = await post({ query: deepQuery });
    const aliases = await post({ query: aliasQuery });
    const tokens = await post({ query: tokenQuery });
    // Assert
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(deep.body.errors[0].message).toMatch(/depth limit/i);
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors[0].message).toMatch(/aliases limit/i);
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(spy).not.toHaveBeenCalled();
    // The same service answers an ordinary query, so the spy would have seen a call.
    expect((await post({ query: '{ orgUnits { id } }' })).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('refuses twenty aliased pages of 1,000 measures with per-row permissions, priced by the page size its variables ask for, before any resolver runs', async () => {
    // Setup: the review's attack (cost 2,080 of 10,000 under the old ×10-per-list rule), with the page size in a variable
    const spy = vi.spyOn(t.app.services.measures, 'list');
    const pages = Array.from({ length: 20 }, (_, i) => `m${i}: measures(first: $n) { edges { node { id viewerCan { update } nextGate { toDoi canRequest } } } }`).join(' ');
    // Action
    const attack = await post({ query: `query($n: Int) { ${pages} }`, variables: { n: 1000 }}, t.app.httpServer, t.tokens.viewer);
    const small = await post({ query: `query($n: Int) { ${pages} }`, variables: { n: 2 }}, t.app.httpServer, t.tokens.viewer);
    // Assert
    expect(attack.status).toBe(400);
    expect(attack.body.errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(attack.body.errors[0].message).toMatch(/cost limit of 10000 exceeded/i);
    expect(spy).toHaveBeenCalledTimes(20);
    expect(small.status).toBe(200);
    expect(small.body.data.m19.edges).toHaveLength(2);
    spy.mockRestore();
  });

  it('charges an unpaged list for the rows it holds beyond its usual length, stopping the request once over the limit', async () => {
    // Setup: a measure with 2,000 milestones, where a measure usually has a few (priced at 10); 2,000 cost about 2,600,
    // and a running request may reach 30,000
    const [{ id }] = await t.db.dataSource.query(`SELECT id FROM measure ORDER BY seq LIMIT 1`);
    await t.db.dataSource.query(`INSERT INTO milestone (measure_id, title, due_on) SELECT $1, 'Step ' || i, now() + make_interval(days => i) FROM generate_series(1, 2000) i`, [id]);
    const aliases = (n: number) => `query($id: ID!) { ${Array.from({ length: n }, (_, i) => `a${i}: measure(id: $id) { milestones { id title dueOn } }`).join(' ')} }`;
    try {
      // Action
      const one = await post({ query: aliases(1), variables: { id } });
      const twenty = await post({ query: aliases(20), variables: { id } });
      // Assert: one list of 2,000 is within the limit; twenty are stopped once they went over it
      expect(one.body.errors).toBeUndefined();
      expect(one.body.data.a0.milestones.length).toBeGreaterThanOrEqual(2000);
      expect(twenty.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(twenty.body.errors[0].message).toMatch(/Query cost limit of 30000 exceeded at \d+/);
      const answered = Object.values(twenty.body.data ?? {}).filter((m: any) => m?.milestones);
      expect(answered.length).toBeLessThan(15);
    } finally {
      await t.db.dataSource.query(`DELETE FROM milestone WHERE measure_id = $1 AND title LIKE 'Step %'`, [id]);
    }
  });

  it('refuses batched requests, mutations over GET and GET without a CSRF preflight header', async () => {
    const batch = await post([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
    expect(batch.status).toBe(400);
    const getMutation = await request(t.app.httpServer)
      .get('/graphql')
      .query({ query: 'mutation { logout }' })
      .set('apollo-require-preflight', 'true')
      .set('authorization', `Bearer ${t.tokens.viewer}`);
    expect(getMutation.status).toBe(405);
    const simpleGet = await request(t.app.httpServer).get('/graphql').query({ query: '{ me { id } }' });
    expect(simpleGet.status).toBe(400);
    expect(simpleGet.text).toMatch(/CSRF/);
    const textPlain = await request(t.app.httpServer).post('/graphql').set('content-type', 'text/plain').send('{"query":"{ me { id } }"}');
    expect(textPlain.status).toBe(400);
    // The viewer's session survived the refused GET logout.
    expect((await t.gql('{ me { email } }', {}, t.tokens.viewer)).data!.me.email).toBe('viewer@northwind.example');
  });

  it('answers a body over the limit with 413 and a JSON error, without parsing it', async () => {
    const spy = vi.spyOn(t.app.services.auth, 'authenticate');
    const huge = { query: '{ me { id } }', variables: { pad: 'x'.repeat(8192 * 1024 + 1) } };
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toBe('The request body is too large');
    expect(res.text).not.toMatch(/at .*\.js|stack/i);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const malformed = await request(t.app.httpServer).post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(malformed.status).toBe(400);
    expect(malformed.text).not.toMatch(/at .*\.js|SyntaxError/);
  });

  it('turns introspection and field suggestions off in production unless configured on', async () => {
    const introspection = { query: '{ __schema { queryType { name } } }' };
    const typo = { query: '{ measuress { totalCount } }' };
    expect((await post(introspection)).body.data.__schema.queryType.name).toBe('Query');
    expect((await post(typo)).body.errors[0].message).toMatch(/Did you mean "measures"/);
    const refused = await post(introspection, production.httpServer);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typoProd = await post(typo, production.httpServer);
    expect(typoProd.body.errors[0].message).toBe('Cannot query field "measuress" on type "Query".');
    expect((await post(introspection, productionWithIntrospection.httpServer)).body.data.__schema.queryType.name).toBe('Query');
    expect((await post(typo, productionWithIntrospection.httpServer)).body.errors[0].message).toMatch(/Did you mean/);
  });

  it('names no field of the schema through a variable’s errors in production ("did you mean" scopeId)', async () => {
    const misspelt = { query: 'query($f: MeasureFilter) { measures(filter: $f) { totalCount } }', variables: { f: { scopID: 'x' } } };
    expect((await post(misspelt)).body.errors[0].message).toMatch(/Did you mean "scopeId"/);
    const res = await post(misspelt, production.httpServer);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.body.errors[0].message).toMatch(/Field "scopID" is not defined by type "MeasureFilter"/);
    expect(res.text).not.toMatch(/scopeId|Did you mean/);
  });

  it('answers a cursor that is not one of the list with BAD_USER_INPUT, whatever the sort', async () => {
    const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const uuid = '00000000-0000-4000-8000-000000000000';
    const bad = [cursor(['x', 'y']), cursor([1, 2]), cursor(['x', uuid]), cursor(['99999999999999999999999', uuid]), cursor(['2026-13-45 99:00:00+00', uuid]), cursor(['1', 'x\u0000'])];
    const lists = [
      ...['CODE', 'DOI', 'PLAN_TOTAL', 'NEXT_DUE_ON', 'UPDATED_AT'].map((field) => ({
        query: `query($a: String) { measures(after: $a, sort: { field: ${field} }) { totalCount } }`,
      })),
      { query: 'query($a: String) { tickets(after: $a) { totalCount } }' },
      { query: 'query($a: String) { ticketGroups(after: $a) { totalCount } }' },
    ];
    const spy = vi.spyOn(logger, 'error');
    for (const { query } of lists) {
      for (const a of bad) {
        const res = await post({ query, variables: { a } });
        expect(res.body.errors?.[0]?.extensions?.code, `${query} after ${a}`).toBe('BAD_USER_INPUT');
      }
    }
    // Any text is a title: only a cursor that is no cursor at all is refused there
    for (const a of [cursor([1, 2]), cursor(['Title', 'x'])]) {
      expect((await post({ query: 'query($a: String) { measures(after: $a, sort: { field: TITLE }) { totalCount } }', variables: { a } })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    for (const a of [cursor(['1']), cursor([1e300]), cursor([1.5])]) {
      expect((await post({ query: 'query($a: String) { auditTrail(after: $a) { totalCount } }', variables: { a } })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('refuses persisted queries, a mismatched hash included, without logging anything before sign-in', async () => {
    const spy = vi.spyOn(logger, 'error');
    const res = await request(t.app.httpServer)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    // Apollo's protocol answer, so that a client falls back to sending the query itself
    expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect(res.text).not.toMatch(/at .*\.js|stack/i);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('marks every GraphQL answer Cache-Control: no-store, signed in or not', async () => {
    expect((await post({ query: '{ me { id } }' })).headers['cache-control']).toBe('no-store');
    expect((await request(t.app.httpServer).post('/graphql').set('content-type', 'application/json').send({ query: '{ me { id } }' })).headers['cache-control']).toBe('no-store');
    const get = await request(t.app.httpServer).get('/graphql').query({ query: '{ me { id } }' }).set('apollo-require-preflight', 'true').set('authorization', `Bearer ${t.tokens.viewer}`);
    expect(get.headers['cache-control']).toBe('no-store');
  });
});

describe('the ticket upload', () => {
  const upload = (server: http.Server, path: string, chunks: Iterable<string>) =>
    new Promise<{ status: number; lines: any[] }>((resolve, reject) => {
      // No Content-Length: the body goes out chunked, as a streaming client sends it.
      const address = server.address() as { port: number };
      const req = http.request({ host: '127.0.0.1', port: address.port, path, method: 'POST', headers: { authorization: `Bearer ${t.tokens.admin}`, 'x-gatehouse-import': '1', 'content-type': 'text/csv' } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, lines: text.trim().split('\n').map((l) => JSON.parse(l)) }));
      });
      req.on('error', (e) => (e.message.includes('EPIPE') || e.message.includes('ECONNRESET') ? undefined : reject(e)));
      (async () => {
        for (const chunk of chunks) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        req.end();
      })().catch(() => undefined);
    });

  it('stops a chunked upload at the size limit: no Content-Length is no way around it', async () => {
    // Setup: an app with a 1 MB upload limit, and a 3 MB file sent without a length
    const limited = await createApp(testAppConfig({ TICKET_UPLOAD_LIMIT_MB: '1' }), t.db);
    await limited.listen(0, '127.0.0.1');
    function* file() {
      yield 'Issue key,Summary,Created,Status,Priority\n';
      for (let i = 0; i < 3 * 1024; i++) yield Array.from({ length: 16 }, (_, j) => `CHUNK-${i * 16 + j},Printer jam ${'x'.repeat(30)},2024-01-01 10:00,Open,High\n`).join('');
    }
    try {
      // Action
      const res = await upload(limited.httpServer, '/imports/tickets?format=jira&name=chunked.csv', file());
      // Assert
      expect(res.lines.at(-1)).toMatchObject({ type: 'error', code: 'BAD_USER_INPUT' });
      expect(res.lines.at(-1).message).toMatch(/larger than 1 MB/);
      expect(res.lines.some((l) => l.type === 'done')).toBe(false);
    } finally {
      await limited.stop();
    }
  });

  it('answers a NUL character in the import’s name with BAD_USER_INPUT, storing nothing', async () => {
    const before = await t.checksum();
    const res = await upload(t.app.httpServer, '/imports/tickets?format=jira&name=a%00b.csv', ['Issue key,Summary,Created,Status,Priority\nNUL-1,Printer jam,2024-01-01 10:00,Open,High\n']);
    expect(res.status).toBe(400);
    expect(res.lines).toEqual([{ type: 'error', code: 'BAD_USER_INPUT', message: 'name must not contain NUL characters', reason: null }]);
    expect(await t.checksum()).toBe(before);
  });
});

describe('GraphQL request limits over WebSocket', () => {
  it('applies the same limits to subscriptions before anything subscribes to the event bus', async () => {
    // Setup
    const spy = vi.spyOn(t.app.services.bus, 'on');
    const aliases = Array.from({ length: QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: kind`).join(' ');
    // Action
    const tooManyAliases = await wsFirst(`subscription { measureChanged { ${aliases} } }`);
    const tooLong = await wsFirst(`subscription { measureChanged { ${Array.from({ length: QUERY_LIMITS.tokens }, () => 'kind').join(' ')} } }`);
    const tooDeep = await wsFirst(`subscription { measureChanged { measure { program { orgUnit { ${'parent { '.repeat(QUERY_LIMITS.depth)}id${' }'.repeat(QUERY_LIMITS.depth)} } } } } }`);
    // Assert
    expect(tooManyAliases.errors[0].message).toMatch(/aliases limit/i);
    expect(tooLong.errors[0].message).toMatch(/tokens/);
    expect(tooDeep.errors[0].message).toMatch(/depth limit/i);
    expect(spy.mock.calls.filter(([topic]) => topic === 'measureChanged')).toEqual([]);
    spy.mockRestore();
  });

  /** A raw WebSocket on /graphql: what it was closed with, after sending `messages` once open. */
  const closedWith = (messages: (string | Buffer)[]) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      ws.once('open', () => messages.forEach((m) => ws.send(m)));
      ws.once('close', (code) => resolve(code));
      ws.once('error', () => undefined);
    });

  it('closes a connection on a message over 64 KiB, before sign-in too (1009)', async () => {
    const big = JSON.stringify({ type: 'connection_init', payload: { token: t.tokens.viewer, pad: 'x'.repeat(65 * 1024) } });
    expect(await closedWith([big])).toBe(1009);
  });

  it('closes a connection whose first message is not connection_init (4400), and a silent one after 3 s (4408)', async () => {
    expect(await closedWith([JSON.stringify({ type: 'ping' })])).toBe(4400);
    expect(await closedWith([JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { measureChanged { kind } }' } })])).toBe(4400);
    const started = Date.now();
    expect(await closedWith([])).toBe(4408);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses an eleventh connection of one session with 1013, and lets the others live', async () => {
    // Setup: a session of its own, ten connections open on it
    const token = await t.login('viewer@northwind.example');
    const url = t.url.replace('http', 'ws') + '/graphql';
    const closes: number[] = [];
    const connect = () =>
      new Promise<Client>((resolve) => {
        const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined,
          on: { connected: () => resolve(client), closed: (e) => { closes.push((e as CloseEvent).code); resolve(client); } } });
      });
    const clients: Client[] = [];
    try {
      for (let i = 0; i < 10; i++) clients.push(await connect());
      expect(closes).toEqual([]);
      // Action
      clients.push(await connect());
      // Assert
      expect(closes).toEqual([1013]);
      const first = await new Promise((resolve) => {
        clients[0].subscribe({ query: 'subscription { measureChanged { kind } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') });
        setTimeout(() => resolve('open'), 300);
      });
      expect(first).toBe('open');
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });

  it('caps the subscriptions of a connection at ten, and their costs together at one request’s', async () => {
    const connection = () => createClient({ url: t.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { token: t.tokens.admin }, retryAttempts: 0 });
    /** A subscription's answer within 400 ms: its refusal, or 'open' while it waits for events. */
    const outcome = (client: Client, query: string) =>
      new Promise<string>((resolve) => {
        client.subscribe({ query }, { next: () => resolve('event'), error: (e: any) => resolve(e[0]?.message ?? String(e)), complete: () => resolve('complete') });
        setTimeout(() => resolve('open'), 400);
      });
    const first = connection();
    try {
      // Ten cheap subscriptions fit; the eleventh does not
      const cheap = await Promise.all(Array.from({ length: 10 }, (_, i) => outcome(first, `subscription S${i} { measureChanged { kind } }`)));
      expect(cheap).toEqual(Array(10).fill('open'));
      expect(await outcome(first, 'subscription { measureChanged { kind } }')).toMatch(/At most 10 subscriptions on one connection/);
    } finally {
      await first.dispose();
    }
    const second = connection();
    try {
      // Three portfolio summaries (a scan each per event for partial visibility) fit; a fourth is over the budget
      const summaries = await Promise.all([1, 2, 3].map((i) => outcome(second, `subscription P${i} { portfolioSummaryChanged { measureCount overdueCount } }`)));
      expect(summaries).toEqual(['open', 'open', 'open']);
      expect(await outcome(second, 'subscription { portfolioSummaryChanged { measureCount } }')).toMatch(/may cost 10000 together/);
      // One subscription whose selection alone costs more than a request may: refused like the query would be
      expect(await outcome(second, 'subscription { ticketGroupsChanged { groups { id trend { month tickets } measures { id values { amount } } } } }')).toMatch(/cost limit of 10000 exceeded/i);
    } finally {
      await second.dispose();
    }
  });

  it('serves only subscriptions over WebSocket: queries and mutations go over HTTP', async () => {
    const spy = vi.spyOn(t.app.services.auth, 'logout');
    const mutation = await wsFirst('mutation { logout }', t.tokens.viewer);
    expect(mutation.errors[0].message).toMatch(/Only subscriptions/);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('refuses an upgrade from a foreign page origin with 403, and allows our own, configured and non-browser clients', async () => {
    const upgrade = (origin?: string, port = new URL(t.url).port) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', origin ? { headers: { origin } } : {});
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(-1));
      });
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade('null')).toBe(403);
    expect(await upgrade(`http://127.0.0.1:${new URL(t.url).port}`)).toBe(101);
    expect(await upgrade(undefined)).toBe(101);
    const configured = await createApp(testAppConfig({ ALLOWED_ORIGINS: 'https://dashboard.example' }), t.db);
    const url = await configured.listen(0, '127.0.0.1');
    try {
      expect(await upgrade('https://dashboard.example', new URL(url).port)).toBe(101);
      expect(await upgrade('https://evil.example', new URL(url).port)).toBe(403);
    } finally {
      await configured.stop();
    }
  });
});

describe('web app headers', () => {
  it('sends a Content-Security-Policy and the security headers with the app’s HTML and assets', async () => {
    const html = await request(t.app.httpServer).get('/measures');
    expect(html.status).toBe(200);
    const asset = fs.readdirSync(path.resolve(import.meta.dirname, '../../../web/dist/assets')).find((f) => f.endsWith('.js'))!;
    const js = await request(t.app.httpServer).get(`/assets/${asset}`);
    for (const res of [html, js, await post({ query: '{ me { id } }' })]) {
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    const prod = await request(production.httpServer).get('/measures');
    expect(prod.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('ships no inline script in the built index.html (script-src \'self\' would block it)', () => {
    const index = fs.readFileSync(path.resolve(import.meta.dirname, '../../../web/dist/index.html'), 'utf8');
    const scripts = [...index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body.trim()).toBe('');
    }
    expect(index).not.toMatch(/\son[a-z]+=/i);
  });

  it('renders no text through v-html anywhere in the web app', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(vue|ts|tsx|js|html)$/.test(e.name) && /v-html|innerHTML\s*=/.test(fs.readFileSync(p, 'utf8'))) offenders.push(p);
      }
    };
    walk(path.resolve(import.meta.dirname, '../../../web/src'));
    expect(offenders).toEqual([]);
  });
});
