#!/usr/bin/env node
/**
 * The initial JavaScript of the web app: the entry chunk of the Vite build and every chunk it imports statically
 * (what the browser must load before the first page can run), gzipped. Lazy routes and chart.js are not in it.
 * Reads web/dist/.vite/manifest.json (build.manifest), so run `npm run build -w web` first.
 *
 *   node bench/web-bundle-size.mjs            prints the figure; exits 1 above the budget
 *   node bench/web-bundle-size.mjs --json     the same as one JSON line
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const DIST = path.resolve(import.meta.dirname, '../web/dist');
const BUDGET_BYTES = 300 * 1024;

export function initialChunks(manifest) {
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry chunk in the manifest, found ${entries.length}`);
  const seen = new Set();
  const walk = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) walk(imported);
  };
  walk(entries[0][0]);
  return [...seen].map((key) => manifest[key].file);
}

export function measure(dist = DIST) {
  const manifestFile = path.join(dist, '.vite/manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run \`npm run build -w web\` first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const files = initialChunks(manifest);
  const chunks = files.map((file) => {
    const source = fs.readFileSync(path.join(dist, file));
    return { file, bytes: source.length, gzip: zlib.gzipSync(source, { level: 9 }).length };
  });
  const lazy = Object.values(manifest).filter((c) => c.file.endsWith('.js') && !files.includes(c.file)).length;
  return { chunks, bytes: chunks.reduce((n, c) => n + c.bytes, 0), gzip: chunks.reduce((n, c) => n + c.gzip, 0), lazyChunks: lazy, budget: BUDGET_BYTES };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = measure();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  if (process.argv.includes('--json')) console.log(JSON.stringify({ name: 'web-initial-js-gzip', bytes: result.gzip, budget: result.budget }));
  else {
    for (const c of result.chunks) console.log(`  ${c.file.padEnd(48)} ${kb(c.bytes).padStart(10)}  gzip ${kb(c.gzip).padStart(9)}`);
    console.log(`web initial JavaScript: ${kb(result.gzip)} gzipped (${kb(result.bytes)} raw) in ${result.chunks.length} chunks; ${result.lazyChunks} chunks load lazily; budget ${kb(result.budget)}`);
  }
  if (result.gzip > result.budget) {
    console.error(`over budget by ${kb(result.gzip - result.budget)}`);
    process.exit(1);
  }
}
