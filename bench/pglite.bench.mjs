import { createDatabase } from './lib/databases.mjs';
import { benchUser, openBenchDatabase, startBenchApp, timeRuns } from './lib/app.mjs';
import { summarise } from './lib/results.mjs';
import { seedPortfolio } from './lib/seed.mjs';

const SUMMARY = `query($s: ID) { portfolioSummary(scopeId: $s) { measureCount byDoi { doi count plan } byImplementationStatus { status count } valueByMonth { month plan } overdueCount } }`;
const PAGE = `query { measures(first: 50) { totalCount edges { node { id code title owner { name } package { name } program { name } } } } }`;

/** The same small organisation on the embedded database and on the server, one client each. */
async function measure(target, scale, runs) {
  const { db, orgId } = await openBenchDatabase(target);
  try {
    await seedPortfolio(db.dataSource, orgId, scale);
    const admin = await benchUser(db, orgId, 'ADMIN');
    const app = await startBenchApp(db);
    try {
      const rollup = summarise(await timeRuns(() => app.gql(SUMMARY, { s: orgId }, admin.token), runs));
      const page = summarise(await timeRuns(() => app.gql(PAGE, {}, admin.token), runs));
      return { rollup, page };
    } finally {
      await app.stop();
    }
  } finally {
    await db.close();
  }
}

export async function pgliteBenchmark(results, { quick }) {
  const scale = { measures: quick ? 1_000 : 5_000 };
  const runs = quick ? 40 : 100;
  const server = await createDatabase();
  try {
    const pgFigures = await measure({ kind: 'postgres', url: server.url, poolSize: 10 }, scale, runs);
    const liteFigures = await measure({ kind: 'embedded', dataDir: null }, scale, runs);
    for (const [name, key] of [['portfolioSummary', 'rollup'], ['measures(first: 50)', 'page']]) {
      const lite = liteFigures[key].p50;
      const pgp50 = pgFigures[key].p50;
      results.add({
        figure: `PGlite vs PostgreSQL: ${name} p50, one client (${scale.measures} measures)`,
        value: lite,
        unit: 'ms',
        baseline: pgp50,
        target: '<= 2.5 x PostgreSQL',
        pass: lite <= 2.5 * pgp50,
      });
    }
  } finally {
    await server.drop();
  }
}
