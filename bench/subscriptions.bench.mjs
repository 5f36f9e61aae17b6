import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { createDatabase } from './lib/databases.mjs';
import { summarise } from './lib/results.mjs';
import { startServerProcess } from './lib/server-process.mjs';

const QUERY = `subscription { measureChanged { kind at measure { id title version doi state } } }`;

function clients(options) {
  const child = fork(path.join(import.meta.dirname, 'lib/ws-clients.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => {
    child.once('message', (m) => resolve({ ready: m.ready, collect: () => new Promise((r) => { child.once('message', (x) => r(x.latencies)); child.send('stop'); }) }));
    child.send(options);
  });
}

function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) * 1024;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `count` sessions of the user, as tokens. */
async function sessionsOf(url, userId, count) {
  const tokens = Array.from({ length: count }, () => randomBytes(32).toString('base64url'));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO user_session (token_hash, user_id, expires_at) SELECT h, $2, now() + interval '1 day' FROM unnest(CAST($1 AS text[])) h`,
      [tokens.map((t) => createHash('sha256').update(t).digest('hex')), userId],
    );
  } finally {
    await client.end();
  }
  return tokens;
}

/** 10 measure updates a second through instance `via`, for `seconds`. */
async function drive(server, token, measures, seconds) {
  const until = Date.now() + seconds * 1000;
  let i = 0;
  while (Date.now() < until) {
    const started = Date.now();
    const m = measures[i++ % measures.length];
    const res = await server.gql(`mutation($id: ID!, $v: Int!, $t: String!) { updateMeasure(id: $id, version: $v, input: { title: $t }) { version } }`, { id: m.id, v: m.version, t: `Update ${i}` }, token);
    m.version = res.data.updateMeasure.version;
    await sleep(Math.max(0, 100 - (Date.now() - started)));
  }
}

/** A bare ws server broadcasting the same bytes to every client, 10 times a second: the floor of the transport. */
async function bareBroadcast(count, seconds, sample) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const c = await clients({ kind: 'ws', url: `ws://127.0.0.1:${wss.address().port}`, count });
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const bytes = JSON.stringify({ ...sample, at: Date.now() });
    for (const ws of wss.clients) ws.send(bytes);
    await sleep(100);
  }
  await sleep(300);
  const latencies = await c.collect();
  wss.close();
  return summarise(latencies);
}

export async function subscriptionsBenchmark(results, { quick }) {
  const count = quick ? 200 : 1000;
  const seconds = quick ? 5 : 15;
  const database = await createDatabase();
  // Production refuses the demo (published passwords): a development instance loads it, then both run in production.
  const loader = await startServerProcess({ DATABASE_URL: database.url, DEMO_DATA: 'on', NODE_ENV: 'development' });
  await loader.stop();
  const a = await startServerProcess({ DATABASE_URL: database.url });
  const b = await startServerProcess({ DATABASE_URL: database.url });
  try {
    const token = await a.login('owner@northwind.example');
    const me = (await a.gql(`{ me { id } }`, {}, token)).data.me.id;
    // A dashboard per client, each with a session of its own (a session may hold 10 connections): written straight
    // into the database, as a thousand sign-ins would.
    const tokens = await sessionsOf(database.url, me, count);
    const measures = (await a.gql(`query($o: ID!) { measures(first: 20, filter: { ownerId: $o, state: ACTIVE }) { edges { node { id version } } } }`, { o: me }, token)).data.measures.edges.map((e) => e.node);

    // Same instance: clients on A, changes through A.
    const rssBefore = rssOf(a.pid);
    const local = await clients({ kind: 'graphql', url: a.url.replace('http', 'ws') + '/graphql', count, tokens, query: QUERY });
    await sleep(1000);
    const perConnection = (rssOf(a.pid) - rssBefore) / local.ready;
    await drive(a, token, measures, seconds);
    await sleep(500);
    const sameInstance = summarise(await local.collect());

    // Across instances: clients on B, changes through A.
    const remote = await clients({ kind: 'graphql', url: b.url.replace('http', 'ws') + '/graphql', count, tokens, query: QUERY });
    await sleep(1000);
    await drive(a, token, measures, seconds);
    await sleep(500);
    const crossInstance = summarise(await remote.collect());

    const bare = await bareBroadcast(count, seconds, { data: { measureChanged: { kind: 'UPDATED', measure: { id: measures[0].id, title: 'Update', version: 1, doi: 1, state: 'ACTIVE' } } } });
    results.add({ figure: `subscription delivery p99, ${count} clients, 10 events/s`, value: sameInstance.p99, unit: 'ms', baseline: bare.p99, target: '<= 25 ms and <= 2 x plain ws', pass: sameInstance.p99 <= 25 && sameInstance.p99 <= 2 * Math.max(bare.p99, 1), note: `p50 ${sameInstance.p50} ms, ${sameInstance.n} deliveries of ${local.ready} clients` });
    results.add({ figure: 'server memory per subscribed connection', value: perConnection / 1024, unit: 'KB', target: '<= 60 KB', pass: perConnection <= 60 * 1024 });
    results.add({ figure: 'cross-instance delivery p99 (LISTEN/NOTIFY)', value: crossInstance.p99, unit: 'ms', baseline: sameInstance.p99, target: '<= same-instance p99 + 5 ms', pass: crossInstance.p99 <= sameInstance.p99 + 5, note: `p50 ${crossInstance.p50} ms, ${crossInstance.n} deliveries` });
  } finally {
    await a.stop();
    await b.stop();
    await database.drop();
  }
}
