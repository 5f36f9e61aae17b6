import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/test-database.js';
import { writeServiceNowExport } from './support/servicenow-file.js';

const CLI = path.resolve(import.meta.dirname, '../server/dist/cli/import-cli.js');
const ROWS = 100_000;
const BATCH = 2000;

function runCli(args: string[], env: Record<string, string>, killWhen?: (stderr: string) => boolean) {
  return new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (killWhen?.(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

/** SIGKILL during a 100,000-row import into the PostgreSQL server, then the same import again. */
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('a killed import on PostgreSQL (needs TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fault-'));
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves whole batches only, and a re-run converges to exact counts', async () => {
    const file = path.join(dir, 'incidents.csv');
    writeServiceNowExport(file, ROWS);
    const env = { DATABASE_URL: db.url!, DEMO_DATA: 'off', ORG_NAME: 'Fault Test', ADMIN_EMAIL: 'admin@fault.example', ADMIN_PASSWORD: 'fault-password-1' };
    const count = async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        return (await c.query(`SELECT count(*)::int AS n FROM ticket`)).rows[0].n as number;
      } finally {
        await c.end();
      }
    };
    // Action: SIGKILL once the progress passes 40 %
    const killed = await runCli(['tickets', file, '--format', 'servicenow', '--batch', String(BATCH)], env, (err) => /\b[4-9]0 %/.test(err));
    expect(killed.code).toBe(null);
    const partial = await count();
    // Assert: nothing half-written
    expect(partial % BATCH).toBe(0);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(ROWS);
    const rerun = await runCli(['tickets', file, '--format', 'servicenow', '--batch', String(BATCH), '--quiet'], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`inserted ${ROWS - partial}, updated 0, unchanged ${partial}`));
    expect(await count()).toBe(ROWS);
  });
});
