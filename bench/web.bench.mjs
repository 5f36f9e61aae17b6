import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { measure } from './web-bundle-size.mjs';

const run = promisify(execFile);

/** The web app's initial JavaScript (gzipped) and the time until the demo portfolio is interactive. */
export async function webBenchmark(results, { quick }) {
  const bundle = measure();
  results.add({ figure: 'web initial JavaScript (gzipped)', value: bundle.gzip / 1024, unit: 'KB', target: '<= 300 KB', pass: bundle.gzip <= bundle.budget, note: `${bundle.chunks.length} chunks, ${bundle.lazyChunks} lazy` });
  const { stdout } = await run(process.execPath, [path.join(import.meta.dirname, 'portfolio-interactive.mjs'), quick ? '3' : '5'], { timeout: 240_000 });
  const median = Number(/median (\d+) ms/.exec(stdout)?.[1]);
  results.add({ figure: 'portfolio page interactive, demo data, headless Chromium (median)', value: median, unit: 'ms', target: '< 1500 ms (printed, not asserted)', pass: median < 1500 });
}
