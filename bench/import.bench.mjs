import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { openDatabase } from '../server/dist/open-database.js';
import { bootstrapOrganisation } from '../server/dist/bootstrap.js';
// Started as `npm run import` starts it: its heap ceiling needs gc() exposed, and the peak RSS measured depends on it.
import { IMPORT_NODE_FLAGS } from '../server/dist/cli/heap-ceiling.js';
import { createDatabase } from './lib/databases.mjs';
import { writeServiceNowFile } from './lib/servicenow-file.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'server/dist/cli/import-cli.js');

/** Peak resident memory of a child, read from /proc while it runs (VmHWM is the high-water mark). */
function watchPeakRss(pid) {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      /* exited */
    }
  }, 50);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

function runImport(file, databaseUrl) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...IMPORT_NODE_FLAGS, CLI, 'tickets', file, '--quiet', '--batch', '5000'], {
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, DEMO_DATA: 'off', ORG_NAME: 'Bench', ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench-password-1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const stopWatch = watchPeakRss(child.pid);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peak = stopWatch();
      if (code !== 0) reject(new Error(`import exited ${code}: ${out}`));
      else resolve({ seconds, peakRss: peak, out });
    });
  });
}

/**
 * Writes out what earlier steps left in PostgreSQL's buffers, so that the step timed next does not pay for it:
 * a COPY timed right after the import otherwise ran up to twice as slow, and its figure swung from run to run.
 * Needs a superuser (as on the test server); without one the step starts unflushed.
 */
async function checkpoint(client) {
  await client.query('CHECKPOINT').catch(() => undefined);
}

/** COPY of the same rows into a table of the export's own columns: what PostgreSQL can ingest at best. */
async function copyBaseline(file, databaseUrl) {
  const header = fs.readFileSync(file, { encoding: 'utf8', flag: 'r' }).slice(0, 4096).split('\n')[0].split(',');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`CREATE TABLE copy_baseline (${header.map((h) => `"${h}" text`).join(', ')})`);
  await checkpoint(client);
  const started = process.hrtime.bigint();
  await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)`)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM copy_baseline`);
  await client.query(`DROP TABLE copy_baseline`);
  await checkpoint(client);
  await client.end();
  return { seconds, rows: rows[0].n };
}

/**
 * Binary COPY of the tickets the import stored, as they are stored, into a table shaped like `ticket`: the same
 * columns and types, its four indexes (the unique (organisation, source, external id) among them), its checks
 * and its two foreign keys. That is what PostgreSQL needs at least to store these rows where the import
 * stores them; the raw baseline above stores the file's text in an unindexed table. It still flatters COPY:
 * the import also keeps the recurring groups (counts, day histogram, windows) and the audit trail.
 */
async function likeForLikeBaseline(databaseUrl, dir) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const rowsFile = path.join(dir, 'ticket-rows.copy');
  await pipeline(client.query(copyTo(`COPY ticket TO STDOUT (FORMAT binary)`)), fs.createWriteStream(rowsFile));
  // The median of three: one COPY on two shared cores swung by a factor of two from run to run.
  const times = [];
  let rows = 0;
  for (let run = 0; run < 3; run++) {
    await client.query(`CREATE TABLE ticket_copy (LIKE ticket INCLUDING ALL)`);
    await client.query(
      `ALTER TABLE ticket_copy ADD FOREIGN KEY (organisation_id) REFERENCES organisation(id), ADD FOREIGN KEY (group_id) REFERENCES ticket_group(id)`,
    );
    await checkpoint(client);
    const started = process.hrtime.bigint();
    await pipeline(fs.createReadStream(rowsFile), client.query(copyFrom(`COPY ticket_copy FROM STDIN (FORMAT binary)`)));
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    rows = (await client.query(`SELECT count(*)::int AS n FROM ticket_copy`)).rows[0].n;
    await client.query(`DROP TABLE ticket_copy`);
  }
  await client.end();
  return { seconds: times.sort((a, b) => a - b)[1], rows, times };
}

export async function importBenchmark(results, { quick }) {
  const rows = quick ? 100_000 : 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-import-'));
  const file = path.join(dir, 'servicenow.csv');
  writeServiceNowFile(file, rows, { groups: Math.max(1, rows / 50) });
  const db = await createDatabase();
  try {
    // Migrate and create the organisation first, so the import measures importing only.
    const gh = await openDatabase({ kind: 'postgres', url: db.url });
    await gh.migrate();
    await bootstrapOrganisation(gh, { demoData: false, bootstrap: { orgName: 'Bench', currency: 'EUR', adminEmail: 'bench@example.com', adminPassword: 'bench-password-1' } });
    await gh.close();
    const copy = await copyBaseline(file, db.url);
    const run = await runImport(file, db.url);
    const importRate = rows / run.seconds;
    const copyRate = copy.rows / copy.seconds;
    results.add({
      figure: `ticket import rows/s (${rows.toLocaleString('en')} ServiceNow rows, PostgreSQL)`,
      value: importRate,
      unit: 'rows/s',
      baseline: copyRate,
      target: '>= 0.25 x COPY',
      pass: importRate >= 0.25 * copyRate,
      note: `import ${run.seconds.toFixed(1)} s, COPY ${copy.seconds.toFixed(1)} s`,
    });
    const like = await likeForLikeBaseline(db.url, dir);
    const likeRate = like.rows / like.seconds;
    results.add({
      figure: `ticket import rows/s vs binary COPY of the same tickets into a ticket-shaped table (${rows.toLocaleString('en')} rows)`,
      value: importRate,
      unit: 'rows/s',
      baseline: likeRate,
      target: '>= 0.25 x COPY',
      pass: importRate >= 0.25 * likeRate,
      note: `import ${run.seconds.toFixed(1)} s, binary COPY of the ${like.rows.toLocaleString('en')} stored tickets into a copy of the ticket table with its indexes and keys ${like.seconds.toFixed(1)} s (median of ${like.times.map((t) => t.toFixed(1)).join(', ')})`,
    });
    results.add({
      figure: 'ticket import peak RSS',
      value: run.peakRss / 1024 / 1024,
      unit: 'MB',
      target: '< 300 MB',
      pass: run.peakRss < 300 * 1024 * 1024,
    });
  } finally {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
