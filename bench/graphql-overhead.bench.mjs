import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createDatabase } from './lib/databases.mjs';
import { benchUser, openBenchDatabase, startBenchApp } from './lib/app.mjs';

const QUERY = `{ organisation { name currency } }`;

/** Drives `url` from a separate process for `seconds` with `connections` keep-alive clients; answers requests/s. */
function load(url, body, headers, seconds, connections) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'lib/load-generator.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => {
      child.kill();
      resolve(m);
    });
    child.once('error', reject);
    child.send({ url, body, headers, seconds, connections });
  });
}

export async function graphqlOverheadBenchmark(results, { quick }) {
  const seconds = quick ? 3 : 10;
  const database = await createDatabase();
  const { db, orgId } = await openBenchDatabase({ kind: 'postgres', url: database.url, poolSize: 10 });
  const app = await startBenchApp(db);
  const admin = await benchUser(db, orgId, 'ADMIN');
  // The bare endpoint answers the same JSON the GraphQL server does, without GraphQL, auth or a database.
  const answer = JSON.stringify((await (await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` }, body: JSON.stringify({ query: QUERY }) })).json()));
  const bare = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(JSON.parse(answer)));
    });
  });
  await new Promise((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${bare.address().port}/graphql`;
  try {
    const body = JSON.stringify({ query: QUERY });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` };
    const base = await load(bareUrl, body, headers, seconds, 16);
    const gql = await load(`${app.url}/graphql`, body, headers, seconds, 16);
    results.add({
      figure: 'GraphQL small query throughput vs bare node:http',
      value: gql.rps,
      unit: 'req/s',
      baseline: base.rps,
      target: '>= 0.35 x bare',
      pass: gql.rps >= 0.35 * base.rps,
      note: `errors ${gql.errors}`,
    });
  } finally {
    bare.close();
    await app.stop();
    await db.close();
    await database.drop();
  }
}
