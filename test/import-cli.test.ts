import { HELPDESK_TEXT, SERVICENOW_LOG } from '../server/src/testing/fixtures.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_NODE_FLAGS } from '../server/src/cli/heap-ceiling.js';
import { openDatabase } from '../server/src/open-database.js';
import { startServer } from './support/server-process.js';
import { writeServiceNowExport } from './support/servicenow-file.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'server/dist/cli/import-cli.js');
const MAPPING = path.join(ROOT, 'server/src/modules/tickets/parsing/mappings/helpdesk-tickets-text.json');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Started as `npm run import` starts it, with IMPORT_NODE_FLAGS, unless `nodeFlags` says otherwise. */
function runCli(
  args: string[],
  env: Record<string, string>,
  onStderr?: (text: string, kill: () => void) => void,
  nodeFlags: readonly string[] = IMPORT_NODE_FLAGS,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, () => child.kill('SIGKILL'));
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** ServiceNow tickets only: the demo ships a Jira desk's history of its own. */
async function countTickets(dataDir: string): Promise<number> {
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM ticket WHERE source = 'SERVICENOW'`);
    return n;
  } finally {
    await db.close();
  }
}

let tmp: string;
beforeAll(() => {
  expect(fs.existsSync(CLI), 'run `npm run build` first').toBe(true);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-import-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm run import -- tickets', () => {
  it('imports the ServiceNow log to exactly 890 tickets, then changes nothing on a second run', async () => {
    const env = { DATA_DIR: path.join(tmp, 'servicenow') };
    const first = await runCli(['tickets', SERVICENOW_LOG, '--format', 'servicenow'], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/100 %\s+5,998 rows\s+[\d,]+ rows\/s/);
    expect(first.stdout).toMatch(/5998 rows/);
    expect(first.stdout).toMatch(/rejected 0/);
    expect(first.stderr).not.toMatch(/started without/);
    const second = await runCli(['tickets', SERVICENOW_LOG, '--format', 'servicenow', '--quiet'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/inserted 0, updated 0/);
    expect(await countTickets(env.DATA_DIR)).toBe(890);
  });

  it('imports a generic export through a mapping file', async () => {
    const env = { DATA_DIR: path.join(tmp, 'helpdesk') };
    const run = await runCli(['tickets', HELPDESK_TEXT, '--format', 'generic', '--mapping', MAPPING, '--quiet'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/inserted 5431/);
  });

  it('reports bad rows with their line and reason and imports the rest', async () => {
    const file = path.join(tmp, 'bad-rows.csv');
    fs.writeFileSync(
      file,
      [
        'number,short_description,priority,opened_at,sys_mod_count,category',
        'INC1,Mail down,1 - Critical,01-03-2026 10:00,1,Email',
        ',No number,3 - Moderate,01-03-2026 10:00,1,Email',
        'INC3,"Quoted, with comma",3 - Moderate,31-02-2026 10:00,1,Email',
        'INC4,Bad priority,9 - Whenever,01-03-2026 10:00,1,Email',
        'INC5,Fine,4 - Low,2026-03-01 11:00:00,1,Email',
      ].join('\n'),
    );
    const run = await runCli(['tickets', file, '--format', 'servicenow', '--quiet'], { DATA_DIR: path.join(tmp, 'bad') });
    expect(run.code).toBe(0);
    // An unknown priority is no reason to refuse a row: it is kept, counted as UNKNOWN and reported.
    expect(run.stdout).toMatch(/inserted 3, updated 0, unchanged 0, rejected 2, empty 0/);
    expect(run.stdout).toMatch(/line 3: .*number/i);
    expect(run.stdout).toMatch(/line 4: .*opened_at/);
    expect(run.stdout).toMatch(/warning: 1 row has the unknown priority “9 - Whenever” \(priority\)/);
    expect(run.stdout).not.toMatch(/line 5:/);
    // How the file was read comes first: the day/month order with the value that settled it.
    expect(run.stdout).toMatch(/ServiceNow export, comma-separated UTF-8, English column names, dates day\/month \(from "31-02-2026 10:00" \(opened_at, line 4\)\)/);
  });

  it('is started by npm run import with the flag that keeps its heap under the ceiling, and says so when it lacks it', async () => {
    const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const script = rootPackage.scripts.import.split('&&').at(-1)!.trim().split(/\s+/);
    // The flags must come before the script: after it they would be the import's own arguments.
    expect(script.slice(0, script.indexOf('server/dist/cli/import-cli.js'))).toEqual(expect.arrayContaining(['node', '--expose-gc']));

    const file = path.join(tmp, 'plain-node.csv');
    fs.writeFileSync(file, ['number,short_description,priority,opened_at,sys_mod_count,category', 'INC1,Mail down,1 - Critical,2026-03-01 10:00:00,1,Email'].join('\n'));
    const run = await runCli(['tickets', file, '--format', 'servicenow', '--quiet'], { DATA_DIR: path.join(tmp, 'plain-node') }, undefined, []);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/inserted 1/);
    expect(run.stderr).toMatch(/started without --expose-gc/);
  });

  it('refuses a file whose dates could be either order until the order is named', async () => {
    const file = path.join(tmp, 'undated.csv');
    fs.writeFileSync(file, ['number,short_description,opened_at', 'INC1,Mail down,01-03-2026 10:00', 'INC2,Printer,02-03-2026 11:00'].join('\n'));
    const env = { DATA_DIR: path.join(tmp, 'undated') };
    const refused = await runCli(['tickets', file, '--quiet'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/could be day\/month or month\/day \("01-03-2026 10:00" in opened_at, line 2\).*--date-order dmy or --date-order mdy/);
    const named = await runCli(['tickets', file, '--date-order', 'mdy', '--time-zone', 'America/New_York', '--quiet'], env);
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/dates month\/day \(as asked\), times without an offset read in America\/New_York/);
    expect(named.stdout).toMatch(/inserted 2/);
    const db = await openDatabase({ kind: 'embedded', dataDir: env.DATA_DIR });
    try {
      // 3 January 2026, 10:00 in New York (UTC-5) is 15:00 UTC.
      const [{ opened }] = await db.dataSource.query(`SELECT to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS opened FROM ticket WHERE external_id = 'INC1'`);
      expect(opened).toBe('2026-01-03 15:00');
    } finally {
      await db.close();
    }
  });

  it('stops at a batch the database refuses, keeping the batches before it and writing none after it', async () => {
    // Setup: three batches of two; an external id longer than the table allows fails the second one whole.
    const file = path.join(tmp, 'refused.csv');
    const row = (n: string) => `${n},Mail down,1 - Critical,01-03-2026 10:00,1,Email`;
    fs.writeFileSync(file, ['number,short_description,priority,opened_at,sys_mod_count,category', row('INC1'), row('INC2'), row('INC3'), row(`INC${'9'.repeat(300)}`), row('INC5'), row('INC6')].join('\n'));
    const env = { DATA_DIR: path.join(tmp, 'refused') };

    // Action
    const run = await runCli(['tickets', file, '--format', 'servicenow', '--date-order', 'dmy', '--batch', '2', '--quiet'], env);

    // Assert
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Import failed/);
    expect(await countTickets(env.DATA_DIR)).toBe(2);
  });

  it('exits non-zero with a clear message for an unreadable file or an unknown format', async () => {
    const env = { DATA_DIR: path.join(tmp, 'bad') };
    const missing = await runCli(['tickets', path.join(tmp, 'nope.csv'), '--format', 'servicenow'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.csv/);
    const dir = await runCli(['tickets', tmp, '--format', 'servicenow'], env);
    expect(dir.code).not.toBe(0);
    expect(dir.stderr).toMatch(/directory|not a file/i);
    const format = await runCli(['tickets', SERVICENOW_LOG, '--format', 'remedy'], env);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/Unknown format "remedy"/);
  });

  it('converges to exact counts when a killed import runs again, with no half batch', async () => {
    // Setup: 30,000 incidents, one row each
    const file = path.join(tmp, 'big.csv');
    writeServiceNowExport(file, 30_000);
    const env = { DATA_DIR: path.join(tmp, 'killed') };
    // Action: kill hard once the progress shows 30 %
    const killed = await runCli(['tickets', file, '--format', 'servicenow', '--batch', '1000'], env, (err, kill) => {
      if (/\b[3-9]0 %/.test(err)) kill();
    });
    expect(killed.code).toBe(null);
    const partial = await countTickets(env.DATA_DIR);
    expect(partial % 1000).toBe(0);
    expect(partial).toBeLessThan(30_000);
    const rerun = await runCli(['tickets', file, '--format', 'servicenow', '--batch', '1000', '--quiet'], env);
    // Assert
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`inserted ${30_000 - partial}, updated 0, unchanged ${partial}`));
    expect(await countTickets(env.DATA_DIR)).toBe(30_000);
  });

  it('refuses the embedded database while a server holds it, and imports through that server instead', async () => {
    const dataDir = path.join(tmp, 'served');
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      const file = SERVICENOW_LOG;
      const refused = await runCli(['tickets', file, '--format', 'servicenow'], { DATA_DIR: dataDir });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(server.url);
      expect(refused.stderr).toMatch(/--url/);
      const remote = await runCli(['tickets', file, '--format', 'servicenow', '--quiet', '--url', server.url, '--user', 'admin@northwind.example'], {
        GATEHOUSE_PASSWORD: 'demo-password',
      });
      expect(remote.code).toBe(0);
      expect(remote.stdout).toMatch(/rejected 0/);
      const token = (await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { login(email: "viewer@northwind.example", password: "demo-password") { token } }' }) })).json()).data.login.token;
      const query = async (q: string) =>
        (await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: q }) })).json()).data;
      expect((await query('{ tickets(first: 1, filter: { source: "SERVICENOW" }) { totalCount } }')).tickets.totalCount).toBe(890);

      // Unknown values through the server: reported as a local import reports them, stored as it stores them.
      const odd = path.join(tmp, 'odd-values.csv');
      fs.writeFileSync(odd, ['number,short_description,priority,state,opened_at', 'ODD1,Mail,9 - Whenever,Parked,2026-03-01 10:00:00', 'ODD2,VPN,9 - Whenever,Closed,2026-03-02 10:00:00', 'ODD3,Printer,,New,2026-03-03 10:00:00'].join('\n'));
      const warned = await runCli(['tickets', odd, '--quiet', '--url', server.url, '--user', 'admin@northwind.example'], { GATEHOUSE_PASSWORD: 'demo-password' });
      expect(warned.code).toBe(0);
      expect(warned.stdout).toMatch(/inserted 3, updated 0, unchanged 0, rejected 0/);
      expect(warned.stdout).toMatch(/warning: 1 row has no priority \(priority\)/);
      expect(warned.stdout).toMatch(/warning: 2 rows have the unknown priority “9 - Whenever” \(priority\)/);
      expect(warned.stdout).toMatch(/warning: 1 row has the unknown state “Parked” \(state\)/);
      const stored = await query('{ tickets(first: 10, filter: { search: "ODD" }) { edges { node { externalId priority sourcePriority state stateCategory open } } } }');
      const nodes = stored.tickets.edges.map((e: { node: { externalId: string } }) => e.node);
      expect(nodes.sort((a: { externalId: string }, b: { externalId: string }) => a.externalId.localeCompare(b.externalId))).toEqual([
        { externalId: 'ODD1', priority: 'UNKNOWN', sourcePriority: '9 - Whenever', state: 'Parked', stateCategory: 'UNKNOWN', open: true },
        { externalId: 'ODD2', priority: 'UNKNOWN', sourcePriority: '9 - Whenever', state: 'Closed', stateCategory: 'CLOSED', open: false },
        { externalId: 'ODD3', priority: 'UNKNOWN', sourcePriority: null, state: 'New', stateCategory: 'OPEN', open: true },
      ]);
    } finally {
      await server.stop();
    }
  });
});
