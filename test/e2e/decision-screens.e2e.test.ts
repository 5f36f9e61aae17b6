import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { gql, login, openApp, signIn, type AppPage } from './support/app.js';
import { launchChromium, screenshot } from './support/browser.js';

/**
 * Screens a steering committee and a controller decide on: each gate request shows its own criteria, a refusal
 * says why, and the audit log holds the demo's history as evidence. One server and one browser for all cases.
 */
const DEMO = {
  steering: 'steering@northwind.example',
  controller: 'controller@northwind.example',
  admin: 'admin@northwind.example',
};

let server: ServerProcess;
let browser: Browser;
let dataDir: string;
const opened: AppPage[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-e2e-decisions-'));
  server = await startServer({ DATA_DIR: dataDir });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const app of opened) await app.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function app(email: string): Promise<AppPage> {
  const a = await openApp(browser, 1440, 900);
  opened.push(a);
  await a.page.goto(`${server.url}/sign-in`);
  await signIn(a.page, email);
  return a;
}

interface PendingClosure {
  code: string;
  actualTotal: string;
}

/** The demo's pending requests for the gate to DoI 5, as the API answers them. */
async function pendingClosures(): Promise<PendingClosure[]> {
  const token = await login(server.url, DEMO.steering);
  const res = await gql<{ gateRequests: { toDoi: number; measure: PendingClosure }[] }>(
    server.url,
    `{ gateRequests(status: PENDING) { toDoi measure { code actualTotal } } }`,
    {},
    token,
  );
  return res.data!.gateRequests.filter((r) => r.toDoi === 5).map((r) => r.measure);
}

describe('decision screens', () => {
  it('shows each pending request its own criteria when two requests for the same gate differ', async () => {
    // Setup: two closure requests, one for a measure with actuals and one for a measure with none.
    const closures = await pendingClosures();
    const withActuals = closures.find((m) => Number(m.actualTotal) > 0);
    const without = closures.find((m) => Number(m.actualTotal) === 0);
    expect(withActuals && without, 'the demo has closure requests with and without actuals').toBeTruthy();

    // Action: the steering committee opens the gate board for the gate to DoI 5.
    const steering = await app(DEMO.steering);
    await steering.page.goto(`${server.url}/gates?gate=5`);
    const good = steering.page.getByTestId(`request-${withActuals!.code}`).getByTestId('criterion-ACTUALS_RECORDED');
    const bad = steering.page.getByTestId(`request-${without!.code}`).getByTestId('criterion-ACTUALS_RECORDED');
    await expect.poll(() => bad.isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(steering.page, 'decisions-01-gate-board-criteria');

    // Assert: the measure without actuals fails the criterion, the other passes it, each with its own detail.
    expect(await bad.getAttribute('class')).toContain('failed');
    expect(await bad.textContent()).toContain('0 months with actual values');
    expect(await good.getAttribute('class')).toContain('passed');
    expect(await good.textContent()).not.toContain('0 months');
    expect(steering.problems).toEqual([]);
  });

  it('tells a controller the real reason a sign-off without actuals is refused', async () => {
    // Setup: a measure at DoI 4 in the controller's queue that has no actual values.
    const without = (await pendingClosures()).find((m) => Number(m.actualTotal) === 0)!;
    const controller = await app(DEMO.controller);
    await controller.page.getByRole('link', { name: 'Sign-offs' }).click();
    const item = controller.page.getByTestId(`sign-off-${without.code}`);
    await expect.poll(() => item.isVisible(), { timeout: 15_000 }).toBe(true);

    // Action: the controller tries to confirm a value anyway.
    await item.getByRole('button', { name: 'Sign off' }).click();
    await item.getByLabel('Confirmed value').fill('1000');
    await item.getByLabel('Evidence').fill('Ledger extract');
    await item.getByRole('button', { name: 'Confirm value and close' }).click();

    // Assert: the refusal names the unmet criterion, not a fault on our side.
    const alert = item.getByRole('alert');
    await expect.poll(() => alert.isVisible()).toBe(true);
    const text = (await alert.textContent()) ?? '';
    await screenshot(controller.page, 'decisions-02-sign-off-refused');
    expect(text).toContain('Actuals recorded');
    expect(text).toContain('0 months with actual values');
    expect(text).not.toContain('Something went wrong');
    expect(controller.problems).toEqual([]);
  });
});
