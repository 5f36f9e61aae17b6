import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed } from 'vitest';
import { startServer, type ServerProcess } from '../../support/server-process.js';
import { openApp, signIn, type AppPage } from './app.js';
import { launchChromium } from './browser.js';

export interface DemoRun {
  server: ServerProcess;
  browser: Browser;
  /** The server's own data directory (removed after the file); a test may put its files there. */
  dataDir: string;
  /** Pages opened by the tests; closed after the file. */
  opened: AppPage[];
  /** A fresh browser context (its own cookies) at this size, kept in `opened`. */
  open(width?: number, height?: number): Promise<AppPage>;
  /**
   * A fresh page signed in as `email`: through the sign-in page, or when `at` is given, through the sign-in page that
   * returns there (and waits until it did).
   */
  signedIn(email: string, options?: { at?: string; width?: number; height?: number }): Promise<AppPage>;
  /** Call in a test: if it fails, every opened page is saved as `<tmp>/<name>-<i>.png` and its problems are printed. */
  keepEvidenceOnFailure(name: string): void;
}

/**
 * One fresh demo server (as a first `npm start` leaves it, in its own data directory) and one browser for a whole
 * test file, stopped and removed after it. Read the fields inside tests, once `beforeAll` ran. `env` adds to the
 * server's environment (e.g. DEMO_DATA=off with the organisation and first admin, for an empty organisation).
 */
export function demoServerForFile(name: string, env: Record<string, string> = {}): DemoRun {
  const run = { opened: [] } as unknown as DemoRun;
  run.open = async (width = 1280, height = 800) => {
    const a = await openApp(run.browser, width, height);
    run.opened.push(a);
    return a;
  };
  run.signedIn = async (email, { at, width, height } = {}) => {
    const a = await run.open(width, height);
    await a.page.goto(`${run.server.url}/sign-in${at ? `?redirect=${encodeURIComponent(at)}` : ''}`);
    await signIn(a.page, email);
    if (at) await expect.poll(() => a.page.url()).toBe(`${run.server.url}${at}`);
    return a;
  };
  run.keepEvidenceOnFailure = (evidenceName) => {
    onTestFailed(async () => {
      for (const [i, a] of run.opened.entries()) {
        await a.page.screenshot({ path: path.join(os.tmpdir(), `${evidenceName}-${i}.png`), fullPage: true }).catch(() => undefined);
        console.error(`page ${i} ${a.page.url()}: ${a.problems.join(' | ')}`);
      }
    });
  };
  beforeAll(async () => {
    run.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-e2e-${name}-`));
    run.server = await startServer({ ...env, DATA_DIR: run.dataDir });
    run.browser = await launchChromium();
  });
  afterAll(async () => {
    for (const app of run.opened) await app.close().catch(() => undefined);
    await run.browser?.close();
    await run.server?.stop();
    if (run.dataDir) fs.rmSync(run.dataDir, { recursive: true, force: true });
  });
  return run;
}
