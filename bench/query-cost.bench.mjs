import { fork } from 'node:child_process';
import path from 'node:path';
import { parse } from 'graphql';
import { buildGatehouseSchema } from '../server/dist/schema.js';
import { operationCost } from '../server/dist/graphql/query-cost.js';
import { QUERY_LIMITS } from '../server/dist/graphql/query-limits.js';
import { benchUser, openBenchDatabase } from './lib/app.mjs';
import { createDatabase } from './lib/databases.mjs';
import { summarise } from './lib/results.mjs';
import { seedPortfolio } from './lib/seed.mjs';
import { startServerProcess } from './lib/server-process.mjs';

/**
 * Whether the cost limit keeps every request within its budget: each candidate shape below is scaled to the largest
 * size the limit still lets through, and timed on a seeded organisation; the slowest of them is then run again and
 * again while other users browse, whose latency is measured in a process of their own.
 */
const ROW = `id code title doi state owner { name } program { name } package { name } implementationStatus potentialStatus planTotal forecastTotal actualTotal nextDueOn overdue`;
const PERMISSIONS = `viewerCan { update setValues addMilestone addEvidence comment requestGate validatePotential signOff reopen moveBack resume linkTicketGroup reason }`;
const NEXT_GATE = `nextGate { toDoi automaticPassed canRequest cannotRequestReason criteria { id kind label passed detail } }`;
const REQUEST = `id status fromDoi toDoi note requestedBy { name } criteria { label passed detail } viewerCanDecide viewerCannotDecideReason conditions { text } measure { ${ROW} }`;

/** Each shape: its document for a size `n`, and the largest size there is (a page's 1,000 rows, 20 aliases). */
const SHAPES = [
  { name: 'measures page with per-row permissions and next gate', max: 1000, doc: (n) => `{ measures(first: ${n}) { totalCount edges { node { ${ROW} ${PERMISSIONS} ${NEXT_GATE} } } } }` },
  { name: '20 aliased measures pages with permissions and next gate', max: 1000, doc: (n) => `{ ${Array.from({ length: 20 }, (_, i) => `m${i}: measures(first: ${n}) { edges { node { id ${PERMISSIONS} ${NEXT_GATE} } } }`).join(' ')} }` },
  { name: 'measures page with every monthly value', max: 1000, doc: (n) => `{ measures(first: ${n}) { edges { node { ${ROW} values { kind month amount } milestones { title dueOn } } } } }` },
  { name: 'aliased gate requests with criteria and measures', max: 20, doc: (n) => `{ ${Array.from({ length: n }, (_, i) => `r${i}: gateRequests(status: PENDING) { ${REQUEST} }`).join(' ')} }` },
  { name: 'aliased portfolio summaries', max: 20, doc: (n) => `{ ${Array.from({ length: n }, (_, i) => `s${i}: portfolioSummary { measureCount byDoi { doi count plan } byImplementationStatus { status count } valueByMonth { month plan forecast actual } overdueCount }`).join(' ')} }` },
  { name: 'ticket groups with trend and effects', max: 1000, doc: (n) => `{ ticketGroups(first: ${n}) { totalCount edges { node { id title ticketCount breachedCount annualRate trend { month tickets breached } effects { measureId ratePer30DaysBefore } measures { id } } } } }` },
  { name: 'audit trail page with actors and changes', max: 1000, doc: (n) => `{ auditTrail(first: ${n}) { totalCount edges { node { seq action at actor { name } before after } } } }` },
];

/** The largest size of `shape` whose cost the limit lets through (0 when none). */
function largestWithin(schema, shape) {
  let lo = 0;
  let hi = shape.max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (operationCost(schema, parse(shape.doc(mid))) <= QUERY_LIMITS.cost) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Other users browsing: a measures page, a measure and the organisation, as viewers of the whole organisation. */
function otherUsers(url, tokens) {
  const child = fork(path.join(import.meta.dirname, 'lib/latency-load.mjs'));
  const requests = tokens.flatMap((token) =>
    [
      { query: `{ measures(first: 25) { totalCount edges { node { ${ROW} } } } }` },
      { query: `{ organisation { name currency } me { name } }` },
    ].map((body) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } })),
  );
  const started = new Promise((resolve) => child.once('message', resolve));
  child.send({ url: `${url}/graphql`, requests, connections: tokens.length });
  return {
    started,
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (m) => {
          child.kill();
          resolve(m);
        });
        child.send('stop');
      }),
  };
}

export async function queryCostBenchmark(results, { quick }) {
  const scale = quick ? { measures: 5_000, tickets: 20_000, groups: 500 } : { measures: 50_000, tickets: 200_000, groups: 5_000 };
  const seconds = quick ? 5 : 15;
  const database = await createDatabase();
  const { db, orgId } = await openBenchDatabase({ kind: 'postgres', url: database.url, poolSize: 4 });
  let server;
  try {
    const t0 = Date.now();
    const seeded = await seedPortfolio(db.dataSource, orgId, scale);
    console.log(`   seeded ${seeded.measures} measures, ${scale.tickets} tickets in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    // The attacker holds the least a session can hold: the VIEWER role on the organisation (sees every measure).
    const attacker = await benchUser(db, orgId, 'VIEWER');
    const others = await Promise.all(Array.from({ length: 4 }, () => benchUser(db, orgId, 'VIEWER')));
    await db.close();
    server = await startServerProcess({ DATABASE_URL: database.url });
    const schema = await buildGatehouseSchema();

    // Every shape at the largest size within the limit, alone
    const timings = [];
    for (const shape of SHAPES) {
      const n = largestWithin(schema, shape);
      if (n === 0) {
        console.log(`   ${shape.name}: refused at any size`);
        continue;
      }
      const query = shape.doc(n);
      const cost = operationCost(schema, parse(query));
      const answer = await server.gql(query, {}, attacker.token);
      // Unpaged lists longer than priced are charged as they resolve: such a shape may be stopped at run time
      const stopped = answer.errors?.some((e) => /cost limit/i.test(e.message));
      if (answer.errors && !stopped) throw new Error(`${shape.name}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await timed(() => server.gql(query, {}, attacker.token)));
      const ms = summarise(runs).p50;
      console.log(`   ${shape.name}: size ${n}, cost ${Math.round(cost)}, ${Math.round(ms)} ms${stopped ? ' (stopped at run time: its lists held more rows than priced)' : ''}`);
      timings.push({ shape, n, query, cost, ms });
    }
    const worst = timings.reduce((a, b) => (b.ms > a.ms ? b : a));

    // Other users alone, then while the worst shape runs back to back, two at a time (the review's attack)
    const quiet = otherUsers(server.url, others.map((o) => o.token));
    await quiet.started;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const baseline = summarise((await quiet.stop()).latencies);
    const loaded = otherUsers(server.url, others.map((o) => o.token));
    await loaded.started;
    const attackTimes = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      [0, 1].map(async () => {
        while (Date.now() < until) attackTimes.push(await timed(() => server.gql(worst.query, {}, attacker.token)));
      }),
    );
    const during = await loaded.stop();
    const underAttack = summarise(during.latencies);
    const attack = summarise(attackTimes);
    const label = `${seeded.measures} measures`;
    results.add({ figure: `most expensive query within the cost limit (${worst.shape.name}, size ${worst.n}), p99 (${label})`, value: attack.p99, unit: 'ms', target: '< 2000 ms', pass: attack.p99 < 2000, note: `cost ${Math.round(worst.cost)} of ${QUERY_LIMITS.cost}, alone ${Math.round(worst.ms)} ms, two at a time` });
    results.add({ figure: `other users' p99 while it runs twice at a time (${label})`, value: underAttack.p99, unit: 'ms', baseline: baseline.p99, target: '< 100 ms', pass: underAttack.p99 < 100 && during.errors === 0, note: `p50 ${underAttack.p50} ms, ${underAttack.n} requests, ${during.errors} failed` });
  } finally {
    await server?.stop();
    await database.drop();
  }
}
