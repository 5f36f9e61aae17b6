import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_NODE_FLAGS } from '../server/src/cli/heap-ceiling.js';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/test-database.js';
import { startServer, type ServerProcess } from './support/server-process.js';
import { writeServiceNowExport } from './support/servicenow-file.js';

const CLI = path.resolve(import.meta.dirname, '../server/dist/cli/import-cli.js');
const ROWS = 100_000;
const BATCH = 2000;
/** The command's progress line (a line every 10 % when not on a terminal) once it passed 40 %. */
const PAST_40_PERCENT = /\b[4-9]0 %/;

/** Runs the import command; `onProgress` sees its progress output as it grows (and may kill something). */
function runCli(args: string[], env: Record<string, string>, onProgress?: (stderr: string, cli: ChildProcess) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [...IMPORT_NODE_FLAGS, CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onProgress?.(stderr, child);
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** SIGKILL during a 100,000-row import into the PostgreSQL server, then the same import again. */
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('a killed import on PostgreSQL (needs TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let dir: string;
  let file: string;
  const env = () => ({ DATABASE_URL: db.url!, DEMO_DATA: 'off', ORG_NAME: 'Fault Test', ADMIN_EMAIL: 'admin@fault.example', ADMIN_PASSWORD: 'fault-password-1' });
  const count = async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(`SELECT count(*)::int AS n FROM ticket`)).rows[0].n as number;
    } finally {
      await c.end();
    }
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fault-'));
    file = path.join(dir, 'incidents.csv');
    writeServiceNowExport(file, ROWS);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db?.drop();
  });

  it('leaves whole batches only when the import command is killed, and a re-run converges to exact counts', async () => {
    // Act: SIGKILL the command once its progress passes 40 %
    const killed = await runCli(['tickets', file, '--format', 'servicenow', '--batch', String(BATCH)], env(), (err, cli) => {
      if (PAST_40_PERCENT.test(err)) cli.kill('SIGKILL');
    });
    expect(killed.code).toBe(null);
    const partial = await count();
    // Assert: nothing half-written, and the re-run finishes the job exactly
    expect(partial % BATCH).toBe(0);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(ROWS);
    const rerun = await runCli(['tickets', file, '--format', 'servicenow', '--batch', String(BATCH), '--quiet'], env());
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`inserted ${ROWS - partial}, updated 0, unchanged ${partial}`));
    expect(await count()).toBe(ROWS);
  });

  it('leaves whole batches only when the server importing through its API is killed, and a re-run converges to exact counts', async () => {
    // Arrange: the server process, with its admin account; the command sends the batches through importTickets
    let server: ServerProcess = await startServer(env());
    const viaServer = (url: string) => ['tickets', file, '--format', 'servicenow', '--batch', String(BATCH), '--url', url, '--user', 'admin@fault.example'];
    const cliEnv = { GATEHOUSE_PASSWORD: 'fault-password-1' };
    try {
      // Act: SIGKILL the server once the import passes 40 %
      let serverKilled = false;
      const cut = await runCli(viaServer(server.url), cliEnv, (err) => {
        if (!serverKilled && PAST_40_PERCENT.test(err)) {
          serverKilled = true;
          server.child.kill('SIGKILL');
        }
      });
      // Assert: the command says the server went away and fails; whole batches only were written
      expect(serverKilled).toBe(true);
      expect(cut.code).not.toBe(0);
      expect(cut.stderr).toMatch(/stopped answering .*run the same import again/);
      expect(cut.stderr).not.toMatch(/\n\s+at /);
      const partial = await count();
      expect(partial % BATCH).toBe(0);
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(ROWS);

      // Act: the server starts again on the same database and the same import runs again
      server = await startServer(env());
      const rerun = await runCli([...viaServer(server.url), '--quiet'], cliEnv);
      // Assert: exact counts
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(new RegExp(`inserted ${ROWS - partial}, updated 0, unchanged ${partial}`));
      expect(await count()).toBe(ROWS);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
