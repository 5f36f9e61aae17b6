import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type ServerProcess } from '../../support/server-process.js';
import type { AppPage } from './app.js';
import { launchChromium } from './browser.js';

export interface DemoRun {
  server: ServerProcess;
  browser: Browser;
  /** Pages opened by the tests; closed after the file. */
  opened: AppPage[];
}

/**
 * One fresh demo server (as a first `npm start` leaves it, in its own data directory) and one browser for a whole
 * test file, stopped and removed after it. Read the fields inside tests, once `beforeAll` ran. `env` adds to the
 * server's environment (e.g. DEMO_DATA=off with the organisation and first admin, for an empty organisation).
 */
export function demoServerForFile(name: string, env: Record<string, string> = {}): DemoRun {
  const run = { opened: [] } as unknown as DemoRun;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-e2e-${name}-`));
    run.server = await startServer({ ...env, DATA_DIR: dataDir });
    run.browser = await launchChromium();
  });
  afterAll(async () => {
    for (const app of run.opened) await app.close().catch(() => undefined);
    await run.browser?.close();
    await run.server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return run;
}
