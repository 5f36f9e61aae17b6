// Benchmarks measure the server as it runs in production (graphql-js skips its development checks then).
process.env.NODE_ENV ??= 'production';

import { Results, RESULTS_FILE } from './lib/results.mjs';
import { importBenchmark } from './import.bench.mjs';
import { portfolioBenchmark } from './portfolio.bench.mjs';
import { queryCostBenchmark } from './query-cost.bench.mjs';
import { pgliteBenchmark } from './pglite.bench.mjs';
import { graphqlOverheadBenchmark } from './graphql-overhead.bench.mjs';
import { subscriptionsBenchmark } from './subscriptions.bench.mjs';
import { webBenchmark } from './web.bench.mjs';

/**
 * `npm run bench` runs every benchmark, prints a table and writes bench/results.json. `-- --quick` runs each
 * at a tenth of the scale (for CI: it fails only when a benchmark crashes, never on a figure). `-- --only NAME`
 * runs one.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;

const BENCHMARKS = [
  ['portfolio', portfolioBenchmark],
  ['query-cost', queryCostBenchmark],
  ['pglite', pgliteBenchmark],
  ['graphql-overhead', graphqlOverheadBenchmark],
  ['subscriptions', subscriptionsBenchmark],
  ['import', importBenchmark],
  ['web', webBenchmark],
];

const results = new Results(quick ? 'quick' : 'full');
const started = Date.now();
for (const [name, run] of BENCHMARKS) {
  if (only && only !== name) continue;
  console.log(`\n== ${name}`);
  const t0 = Date.now();
  await run(results, { quick });
  console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
results.write({ seconds: Math.round((Date.now() - started) / 1000) });
console.log(`\n${results.table()}\n\nwrote ${RESULTS_FILE} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
