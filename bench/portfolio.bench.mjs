import { createDatabase } from './lib/databases.mjs';
import { benchUser, openBenchDatabase, pgPool, startBenchApp, timeRuns } from './lib/app.mjs';
import { summarise } from './lib/results.mjs';
import { seedPortfolio } from './lib/seed.mjs';

const SUMMARY = `query($s: ID) { portfolioSummary(scopeId: $s) { measureCount byDoi { doi count plan forecast actual riskWeightedPlan }
  byImplementationStatus { status count } byPotentialStatus { status count } valueByMonth { month plan forecast actual } overdueCount pendingGateRequests } }`;
const PAGE = `query($n: Int) { measures(first: $n) { totalCount edges { node { id code title doi state owner { name } package { name } program { name } } } } }`;

/** The portfolio summary as hand-written SQL: the same four aggregates, sent in parallel through pg. */
function handSummary(pool, orgId, scopeId) {
  const where = `m.organisation_id = $1 AND m.path @> ARRAY[$2::uuid]`;
  return Promise.all([
    pool.query(`SELECT doi, state, count(*), sum(plan_total), sum(forecast_total), sum(actual_total), sum(annual_potential), sum(one_off_cost_total)
                  FROM measure m WHERE ${where} GROUP BY doi, state`, [orgId, scopeId]),
    pool.query(`SELECT CASE WHEN m.next_due_on IS NULL THEN 'GREEN' WHEN m.next_due_on < now() - interval '14 days' THEN 'RED'
                            WHEN m.next_due_on <= now() + interval '14 days' THEN 'AMBER' ELSE 'GREEN' END,
                       CASE WHEN m.plan_total <= 0 THEN 'GREEN' WHEN m.forecast_total * 100 >= 95 * m.plan_total THEN 'GREEN'
                            WHEN m.forecast_total * 100 >= 80 * m.plan_total THEN 'AMBER' ELSE 'RED' END,
                       count(*), count(*) FILTER (WHERE m.next_due_on < now())
                  FROM measure m WHERE ${where} AND m.state IN ('ACTIVE', 'ON_HOLD') GROUP BY 1, 2`, [orgId, scopeId]),
    pool.query(`SELECT v.month, sum(v.amount) FILTER (WHERE v.kind = 'PLAN'), sum(v.amount) FILTER (WHERE v.kind = 'FORECAST'), sum(v.amount) FILTER (WHERE v.kind = 'ACTUAL')
                  FROM measure_value v JOIN measure m ON m.id = v.measure_id WHERE ${where} AND m.state <> 'CANCELLED' GROUP BY v.month ORDER BY v.month`, [orgId, scopeId]),
    pool.query(`SELECT count(*) FROM gate_request r JOIN measure m ON m.id = r.measure_id WHERE ${where} AND r.status = 'PENDING'`, [orgId, scopeId]),
  ]);
}

/** The measures page as hand-written SQL: one page with the related names joined, and the count. */
function handPage(pool, orgId, n) {
  return Promise.all([
    pool.query(`SELECT m.id, m.code, m.title, m.doi, m.state, u.name, k.name, p.name FROM measure m
                  JOIN app_user u ON u.id = m.owner_id JOIN measure_package k ON k.id = m.package_id JOIN program p ON p.id = k.program_id
                 WHERE m.organisation_id = $1 ORDER BY m.seq, m.id LIMIT $2`, [orgId, n]),
    pool.query(`SELECT count(*) FROM measure m WHERE m.organisation_id = $1`, [orgId]),
  ]);
}

export async function portfolioBenchmark(results, { quick }) {
  const scale = quick ? { measures: 5_000, tickets: 100_000, groups: 2_000 } : { measures: 50_000, tickets: 1_000_000, groups: 20_000 };
  const runs = quick ? 60 : 200;
  const database = await createDatabase();
  const { db, orgId } = await openBenchDatabase({ kind: 'postgres', url: database.url, poolSize: 10 });
  const pool = pgPool(database.url);
  try {
    const t0 = Date.now();
    const seeded = await seedPortfolio(db.dataSource, orgId, scale);
    console.log(`   seeded ${seeded.measures} measures, ${scale.tickets} tickets in ${scale.groups} groups in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const admin = await benchUser(db, orgId, 'ADMIN');
    const steering = await benchUser(db, orgId, 'STEERING_COMMITTEE');
    const app = await startBenchApp(db);
    try {
      const [{ id: unitId }] = await db.dataSource.query(`SELECT id FROM org_unit WHERE organisation_id = $1 AND parent_id IS NULL ORDER BY name LIMIT 1`, [orgId]);
      for (const [label, scope] of [['organisation', orgId], ['mid-level unit', unitId]]) {
        const api = summarise(await timeRuns(() => app.gql(SUMMARY, { s: scope }, admin.token), runs));
        const sql = summarise(await timeRuns(() => handSummary(pool, orgId, scope), runs));
        results.add({ figure: `portfolioSummary ${label} p50 (${seeded.measures} measures)`, value: api.p50, unit: 'ms', baseline: sql.p50, target: '<= 1.10 x SQL + 2 ms', pass: api.p50 <= 1.1 * sql.p50 + 2 });
        results.add({ figure: `portfolioSummary ${label} p99 (${seeded.measures} measures)`, value: api.p99, unit: 'ms', baseline: sql.p99, target: '<= 1.5 x SQL', pass: api.p99 <= 1.5 * sql.p99 });
        if (!quick && label === 'organisation') results.add({ figure: 'portfolioSummary organisation p50 absolute', value: api.p50, unit: 'ms', target: '< 50 ms', pass: api.p50 < 50 });
      }
      // Statements per request stay flat with the page size.
      const statements = async (n) => {
        const before = db.statements.count;
        await app.gql(PAGE, { n }, admin.token);
        return db.statements.count - before;
      };
      await statements(5); // warm: a session's first request of the minute also refreshes its last-seen time
      const s5 = await statements(5);
      const s1000 = await statements(1000);
      results.add({ figure: 'measures page SQL statements, 5 rows vs 1,000 rows', value: s1000, unit: 'statements', baseline: s5, target: 'equal (flat)', pass: s1000 === s5 });
      const page = summarise(await timeRuns(() => app.gql(PAGE, { n: 50 }, admin.token), runs));
      const handPageT = summarise(await timeRuns(() => handPage(pool, orgId, 50), runs));
      results.add({ figure: 'measures(first: 50) p50', value: page.p50, unit: 'ms', baseline: handPageT.p50, target: '<= 1.5 x SQL', pass: page.p50 <= 1.5 * handPageT.p50 });
      // Gate decisions on pending requests, one after the other.
      const pending = await db.dataSource.query(`SELECT id FROM gate_request WHERE organisation_id = $1 AND status = 'PENDING' LIMIT $2`, [orgId, runs + 5]);
      const decide = `mutation($r: ID!) { decideGate(requestId: $r, decision: REJECT, rationale: "Not this quarter") { status } }`;
      const decisions = summarise(await timeRuns((i) => app.gql(decide, { r: pending[i].id }, steering.token), Math.min(runs, pending.length - 5)));
      results.add({ figure: `decideGate p99 (${seeded.measures} measures)`, value: decisions.p99, unit: 'ms', target: '< 50 ms', pass: decisions.p99 < 50 });
    } finally {
      await app.stop();
    }
  } finally {
    await pool.end();
    await db.close();
    await database.drop();
  }
}
