import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/src/open-database.js';
import { startServer } from './support/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'server/dist/cli/import-cli.js');
const FIXTURE = path.join(ROOT, 'test/fixtures/measures/measures-import.xlsx');

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function measureTitles(dataDir: string): Promise<string[]> {
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    const rows: { title: string }[] = await db.dataSource.query(`SELECT title FROM measure WHERE title IN ('Proactive disk monitoring', 'Knowledge base chatbot', 'Row with a bad lever') ORDER BY title`);
    return rows.map((r) => r.title);
  } finally {
    await db.close();
  }
}

let tmp: string;
beforeAll(() => {
  expect(fs.existsSync(CLI), 'run `npm run build` first').toBe(true);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-measures-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm run import -- measures', () => {
  it('dry-runs, imports, and re-imports an xlsx file without changing anything the second time', async () => {
    const env = { DATA_DIR: path.join(tmp, 'data') };
    const dry = await runCli(['measures', FIXTURE, '--dry-run'], env);
    expect(dry.stderr).not.toMatch(/Import failed/);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('measures-import.xlsx (dry run, nothing written) as admin@northwind.example: 3 rows: would create 2, would update 0, unchanged 0, bad 1');
    expect(dry.stdout).toContain('row 4, column lever: BAD_USER_INPUT "FREE_MONEY" is not a lever');
    expect(await measureTitles(env.DATA_DIR)).toEqual([]);

    const run = await runCli(['measures', FIXTURE], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 rows: created 2, updated 0, unchanged 0, bad 1');
    expect(await measureTitles(env.DATA_DIR)).toEqual(['Knowledge base chatbot', 'Proactive disk monitoring']);

    const again = await runCli(['measures', FIXTURE, '--quiet'], env);
    expect(again.stdout).toContain('3 rows: created 0, updated 0, unchanged 2, bad 1');
  }, 240_000);

  it('acts with the roles of --user: a package outside their scope is a FORBIDDEN row', async () => {
    const env = { DATA_DIR: path.join(tmp, 'scoped') };
    const run = await runCli(['measures', FIXTURE, '--user', 'it.owner@northwind.example', '--dry-run', '--quiet'], env);
    expect(run.code).toBe(0);
    // The IT owner may create in IT's packages, but may not make someone else the owner.
    expect(run.stdout).toContain('row 3, column owner: FORBIDDEN');
    expect(run.stdout).toContain('would create 1');
  }, 240_000);

  it('imports through a running server with --url, as the dashboard uploads', async () => {
    const dataDir = path.join(tmp, 'served');
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      const refused = await runCli(['measures', FIXTURE], { DATA_DIR: dataDir });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`npm run import -- measures FILE --url ${server.url}`);
      const env = { GATEHOUSE_PASSWORD: 'demo-password' };
      const dry = await runCli(['measures', FIXTURE, '--dry-run', '--quiet', '--url', server.url, '--user', 'admin@northwind.example'], env);
      expect(dry.stdout).toContain('(dry run, nothing written) as admin@northwind.example: 3 rows: would create 2');
      const run = await runCli(['measures', FIXTURE, '--quiet', '--url', server.url, '--user', 'admin@northwind.example'], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('3 rows: created 2, updated 0, unchanged 0, bad 1');
      expect(run.stdout).toContain('row 4, column lever: BAD_USER_INPUT');
    } finally {
      await server.stop();
    }
    expect(await measureTitles(dataDir)).toEqual(['Knowledge base chatbot', 'Proactive disk monitoring']);
  }, 240_000);

  it('refuses a missing file and a file that is no spreadsheet with a clear message', async () => {
    const env = { DATA_DIR: path.join(tmp, 'data') };
    const missing = await runCli(['measures', path.join(tmp, 'nope.xlsx')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope.xlsx is not a file/);
    const bad = path.join(tmp, 'bad.xlsx');
    fs.writeFileSync(bad, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]));
    const broken = await runCli(['measures', bad], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Import failed: The file is not a readable Excel workbook (.xlsx)');
  }, 240_000);
});
