import net from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/test-database.js';
import { gql, login, startServer, type ServerProcess } from './support/server-process.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) || 6379, timeout: 500 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const transports = [
  { name: 'PostgreSQL LISTEN/NOTIFY', env: {} as Record<string, string> },
  { name: 'Redis pub/sub', env: { REDIS_URL } },
];

/** Two API instances on one PostgreSQL database: an event on instance A reaches a subscriber on instance B. */
describe.runIf(Boolean(process.env.TEST_DATABASE_URL)).each(transports)('scale-out through $name (needs TEST_DATABASE_URL)', ({ name, env }) => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let skip = false;

  beforeAll(async () => {
    if (env.REDIS_URL && !(await reachable(env.REDIS_URL))) {
      skip = true;
      return;
    }
    db = await createTestDatabase();
    a = await startServer({ DATABASE_URL: db.url!, DEMO_DATA: 'on', ...env });
    b = await startServer({ DATABASE_URL: db.url!, ...env });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it(`delivers a change made on instance A to a subscriber on instance B (${name})`, async (ctx) => {
    if (skip) ctx.skip();
    // Setup: a subscriber on B
    const token = await login(a.url, 'owner@northwind.example');
    const client = createClient({ url: b.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0 });
    const events: any[] = [];
    client.subscribe({ query: `subscription { measureChanged { kind measure { id title } } }` }, { next: (e) => events.push(e), error: () => {}, complete: () => {} });
    await new Promise((r) => setTimeout(r, 500));
    const m = (await gql(a.url, `query($o: ID!) { measures(first: 1, filter: { ownerId: $o, state: ACTIVE }) { edges { node { id version } } } }`, { o: (await gql(a.url, `{ me { id } }`, {}, token)).data.me.id }, token)).data.measures.edges[0].node;
    // Action: the change happens on A
    const started = Date.now();
    const res = await gql(a.url, `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Changed on A" }) { id } }`, { id: m.id, v: m.version }, token);
    expect(res.errors).toBeUndefined();
    // Assert: B's subscriber hears of it
    await expect.poll(() => events.length, { timeout: 2000, interval: 10 }).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events[0].data.measureChanged).toMatchObject({ kind: 'UPDATED', measure: { id: m.id, title: 'Changed on A' } });
    await client.dispose();
  });
});
