#!/usr/bin/env node
/**
 * Time until the portfolio page of the demo data is interactive: the built server on a fresh data directory,
 * headless Chromium (Debian's), signed in as the demo owner; each run opens the portfolio in a fresh page and
 * waits for `data-ready` (figures loaded, every chart drawn). Prints each run and the median; asserts nothing.
 * Needs `npm run build` first.
 *
 *   node bench/portfolio-interactive.mjs [runs=5]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Math.max(1, Number(process.argv[2] ?? 5) || 5);

// The demo organisation is refused in production (its accounts share a published password): development mode, with
// the same built web app. LOG_LEVEL info, since "running at" is an info line.
function startServer(dataDir) {
  const child = spawn(process.execPath, [path.join(ROOT, 'server/dist/main.js')], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'info', DEMO_DATA: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 90_000);
    const onData = (d) => {
      output += d;
      const m = /running at (http:\/\/\S+?) /.exec(output);
      if (m) {
        clearTimeout(timer);
        // The request log lines that follow are read and dropped, so the pipe never fills.
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ url: m[1], stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-portfolio-'));
let server;
let browser;
try {
  server = await startServer(dataDir);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  // Sign in once; every run reuses the session cookie, as a person opening the app again would.
  const signIn = await context.newPage();
  await signIn.goto(`${server.url}/sign-in`);
  await signIn.getByLabel('E-mail').fill('owner@northwind.example');
  await signIn.getByLabel('Password').fill('demo-password');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.waitForSelector('.portfolio[data-ready="true"]', { timeout: 60_000 });
  await signIn.close();

  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    // A cold page each run: no HTTP cache, so the bundle is fetched as on a first visit.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const started = Date.now();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.portfolio[data-ready="true"]', { timeout: 60_000 });
    const ms = Date.now() - started;
    times.push(ms);
    console.log(`  run ${i + 1}: ${ms} ms`);
    await page.close();
  }
  console.log(`portfolio interactive (demo data, headless Chromium, cold cache): median ${median(times)} ms over ${RUNS} runs (min ${Math.min(...times)}, max ${Math.max(...times)})`);
} finally {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
