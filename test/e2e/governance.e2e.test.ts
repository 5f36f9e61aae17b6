import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { monthOf } from '@gatehouse/shared';
import { gql, login, monthLabel, tableSettled, type AppPage } from './support/app.js';
import { screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';

const DEMO = {
  owner: 'owner@northwind.example',
  steering: 'steering@northwind.example',
  controller: 'controller@northwind.example',
  admin: 'admin@northwind.example',
  viewer: 'viewer@northwind.example',
};

const run = demoServerForFile('gov');

/** Signs in in a fresh browser context; everyone lands on the portfolio. */
async function app(email: string, width = 1280, height = 800): Promise<AppPage> {
  const a = await run.signedIn(email, { width, height });
  await expect.poll(() => a.page.url()).toBe(`${run.server.url}/`);
  await portfolioReady(a.page);
  return a;
}

async function portfolioReady(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.portfolio[data-ready="true"]').count(), { timeout: 20_000 }).toBe(1);
}

/** A DoI-1 measure of the demo owner with no pending request: its gate to DoI 2 is what the owner prepares. */
async function ideaOfTheOwner(): Promise<{ id: string; code: string; title: string }> {
  const token = await login(run.server.url, DEMO.owner);
  const me = await gql<{ me: { id: string } }>(run.server.url, '{ me { id } }', {}, token);
  const res = await gql<{ measures: { edges: { node: { id: string; code: string; title: string; lever: string; pendingGateRequest: { id: string } | null } }[] } }>(
    run.server.url,
    `query($owner: ID) { measures(filter: { doi: 1, state: ACTIVE, ownerId: $owner }, first: 50) { edges { node { id code title lever pendingGateRequest { id } } } } }`,
    { owner: me.data!.me.id },
    token,
  );
  const node = res.data!.measures.edges.map((e) => e.node).find((m) => !m.pendingGateRequest && m.lever !== 'NON_FINANCIAL');
  if (!node) throw new Error('the demo has no free DoI-1 measure of the owner');
  return node;
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

describe('governance in the dashboard', () => {
  it('carries a gate request from the owner to the steering committee and a sign-off from the controller, live for everyone', async () => {
    run.keepEvidenceOnFailure('governance-live');
    const idea = await ideaOfTheOwner();

    // Setup: the owner lands on the portfolio after signing in.
    const owner = await app(DEMO.owner);
    await screenshot(owner.page, 'governance-01-portfolio');
    const weightedAtStart = await text(owner.page, 'kpi-weighted');

    // The steering committee member has the gate board open in another browser.
    const steering = await app(DEMO.steering);
    await steering.page.getByRole('link', { name: 'Gate reviews' }).click();
    await expect.poll(() => steering.page.getByTestId('pending-requests').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => steering.page.getByTestId('live-status').textContent()).toContain('Live');
    await screenshot(steering.page, 'governance-02-gate-board');
    expect(await steering.page.getByTestId(`request-${idea.code}`).count()).toBe(0);

    // Action: the owner completes the measure for its gate (sponsor, controller, business case, a plan value).
    await owner.page.goto(`${run.server.url}/measures/${idea.id}`);
    await expect.poll(() => owner.page.getByTestId('next-gate').isVisible()).toBe(true);
    await expect.poll(() => owner.page.getByTestId('criterion-SPONSOR_ASSIGNED').getAttribute('class')).toContain('failed');
    await owner.page.getByLabel('Sponsor').selectOption({ label: 'Jonas Berg' });
    await owner.page.getByLabel('Controller').selectOption({ label: 'Chris Controller' });
    await owner.page.getByLabel('Business case').fill('Fewer repeat tickets and less manual effort; pays back within a year.');
    await owner.page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => owner.page.getByTestId('criterion-SPONSOR_ASSIGNED').getAttribute('class')).toContain('passed');
    const month = monthOf(new Date());
    await owner.page.getByLabel(`Plan, ${monthLabel(month)}`).fill('5000');
    await owner.page.getByRole('button', { name: 'Save values' }).click();
    await expect.poll(() => owner.page.getByTestId('criterion-PLAN_VALUES').getAttribute('class')).toContain('passed');
    for (const id of ['ROUGH_POTENTIAL', 'PLAN_VALUES', 'CONTROLLER_ASSIGNED', 'SPONSOR_ASSIGNED', 'BUSINESS_CASE']) {
      expect(await owner.page.getByTestId(`criterion-${id}`).getAttribute('class'), id).toContain('passed');
    }
    await owner.page.getByLabel('Note for the deciders').fill('Plan and business case are in; asking for DoI 2.');
    await screenshot(owner.page, 'governance-03-measure-before-request');
    await owner.page.getByRole('button', { name: 'Request gate to DoI 2' }).click();
    const requestedAt = Date.now();
    await expect.poll(() => owner.page.getByTestId('pending-request').isVisible()).toBe(true);

    // Assert: the request appears on the steering member's open board without a reload, within a second or so.
    const card = steering.page.getByTestId(`request-${idea.code}`);
    await expect.poll(() => card.isVisible(), { interval: 50, timeout: 5000 }).toBe(true);
    const latency = Date.now() - requestedAt;
    expect(latency).toBeLessThan(1500);
    expect(await card.textContent()).toContain('Plan and business case are in');

    // Action: the steering member approves, confirming the manual checklist.
    await card.getByRole('button', { name: 'Decide' }).click();
    await card.locator('input[type="radio"][value="APPROVE"]').check();
    await card.getByRole('checkbox', { name: /Scope and affected services agreed/ }).check();
    await card.getByLabel('Rationale').fill('Credible plan and business case; detail it further.');
    await screenshot(steering.page, 'governance-04-gate-board-deciding');
    await card.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => card.count()).toBe(0);

    // Assert: the owner's open measure page shows the new level and the decision, without a reload.
    await expect.poll(() => owner.page.getByTestId('gate-request-2').textContent(), { timeout: 5000 }).toContain('Credible plan and business case');
    expect(await owner.page.getByTestId('gate-request-2').textContent()).toContain('Approved');
    await expect.poll(() => owner.page.getByRole('heading', { name: /Next gate: DoI 3/ }).isVisible()).toBe(true);
    await screenshot(owner.page, 'governance-05-measure-approved');

    // The owner goes back to the portfolio (no reload): the approval already shows in the risk-weighted value.
    await owner.page.getByRole('link', { name: 'Portfolio' }).click();
    await portfolioReady(owner.page);
    await expect.poll(() => text(owner.page, 'kpi-weighted')).not.toBe(weightedAtStart);
    const doi5Before = await text(owner.page, 'doi-row-5');
    const actualBefore = await text(owner.page, 'kpi-actual');
    const weightedBefore = await text(owner.page, 'kpi-weighted');

    // Action: the controller signs off the first measure of the sign-off queue.
    const controller = await app(DEMO.controller);
    await controller.page.getByRole('link', { name: 'Sign-offs' }).click();
    await expect.poll(() => controller.page.getByTestId('sign-off-queue').isVisible()).toBe(true);
    await screenshot(controller.page, 'governance-06-sign-off-queue');
    const item = controller.page.locator('[data-testid^="sign-off-M-"]').first();
    const code = ((await item.getAttribute('data-testid')) ?? '').replace('sign-off-', '');
    await item.getByRole('button', { name: 'Sign off' }).click();
    expect(await item.getByLabel('Confirmed value').inputValue()).toMatch(/^\d+\.\d{2}$/);
    await item.getByLabel('Evidence').fill('General ledger extract, cost centre 4711');
    await item.getByRole('button', { name: 'Confirm value and close' }).click();
    await expect.poll(() => controller.page.getByTestId('signed').textContent()).toContain(`${code} is signed off`);
    await expect.poll(() => controller.page.getByTestId(`sign-off-${code}`).count()).toBe(0);

    // Assert: the owner's portfolio moved without a reload: one more measure at DoI 5, a new risk-weighted value.
    await expect.poll(() => text(owner.page, 'doi-row-5'), { timeout: 5000 }).not.toBe(doi5Before);
    await expect.poll(() => text(owner.page, 'kpi-weighted')).not.toBe(weightedBefore);
    expect(await text(owner.page, 'kpi-actual')).toBe(actualBefore);
    await screenshot(owner.page, 'governance-07-portfolio-after-live-changes');

    for (const a of [owner, steering, controller]) expect(a.problems).toEqual([]);
  });

  it('decides inside a gate review, offers its pack, and shows the bridge movements and the audit trail', async () => {
    const steering = await app(DEMO.steering);
    await steering.page.goto(`${run.server.url}/gates`);
    const reviewLink = steering.page.locator('tr[data-testid^="review-"]').getByRole('link', { name: /monthly gate review/ });
    await expect.poll(() => reviewLink.isVisible(), { timeout: 10_000 }).toBe(true);
    await reviewLink.click();
    await expect.poll(() => steering.page.getByRole('heading', { level: 1, name: /monthly gate review/ }).isVisible()).toBe(true);
    expect(await steering.page.getByTestId('pack-html').getAttribute('href')).toMatch(/^\/|^http/);
    expect(await steering.page.getByTestId('pack-csv').getAttribute('href')).toMatch(/csv/i);
    await screenshot(steering.page, 'governance-08-review');

    // Action: send the first agenda item back for rework, inside the review.
    const first = steering.page.locator('[data-testid^="request-M-"]').first();
    const code = ((await first.getAttribute('data-testid')) ?? '').replace('request-', '');
    await first.getByRole('button', { name: 'Decide' }).click();
    await first.locator('input[type="radio"][value="REWORK"]').check();
    await first.getByLabel('Rationale').fill('Validate the potential with Controlling first.');
    await first.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => steering.page.getByTestId('review-decisions').locator('tbody').textContent()).toContain(code);
    expect(await steering.page.getByTestId('review-decisions').locator('tbody').textContent()).toContain('Send back for rework');
    await screenshot(steering.page, 'governance-09-review-decided');

    // The pack downloads with the session cookie.
    const href = await steering.page.getByTestId('pack-csv').getAttribute('href');
    const status = await steering.page.evaluate(async (url) => (await fetch(url!, { credentials: 'same-origin' })).status, href);
    expect(status).toBe(200);

    // An approval over failed criteria is refused with the list; outside a review nobody may override it.
    await steering.page.goto(`${run.server.url}/gates?gate=3`);
    await expect.poll(() => steering.page.getByTestId('pending-requests').isVisible(), { timeout: 10_000 }).toBe(true);
    const next = steering.page.locator('[data-testid^="request-M-"]').first();
    await next.getByRole('button', { name: 'Decide' }).click();
    await next.locator('input[type="radio"][value="APPROVE"]').check();
    await next.getByLabel('Rationale').fill('Approved outside the review: the committee agreed by mail.');
    await next.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => next.getByTestId('unmet').textContent()).toContain('Decided in a gate review');
    await screenshot(steering.page, 'governance-10-gate-criteria-unmet');
    expect(await next.getByRole('checkbox', { name: /Override/ }).count()).toBe(0);
    expect(await next.getByTestId('no-override').textContent()).toContain('Only the chair');

    // The portfolio's bridge lists the measures behind a movement.
    await steering.page.goto(`${run.server.url}/`);
    await portfolioReady(steering.page);
    const movement = steering.page.locator('[data-testid^="movement-"]').first();
    await movement.click();
    await expect.poll(() => steering.page.getByTestId('bridge-measures').locator('a').count()).toBeGreaterThan(0);
    await screenshot(steering.page, 'governance-11-portfolio-bridge-measures');

    // Clicking through from the DoI table opens the measures list with the filter.
    await steering.page.getByTestId('doi-row-3').getByRole('link').click();
    await expect.poll(() => steering.page.url()).toContain('doi=3');
    await tableSettled(steering.page);
    await screenshot(steering.page, 'governance-12-measures-from-portfolio');

    // The hierarchy explorer, for the record.
    await steering.page.getByRole('link', { name: 'Hierarchy' }).click();
    await expect.poll(() => steering.page.getByLabel('64 measures in Northwind Services').isVisible()).toBe(true);
    await screenshot(steering.page, 'governance-13-hierarchy');

    // The controller verifies the audit chain and reads a measure's trail with its diffs.
    const controller = await app(DEMO.controller);
    await controller.page.goto(`${run.server.url}/audit`);
    await controller.page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => controller.page.getByTestId('verify-ok').textContent()).toContain('The chain is intact');
    // ... signs a checkpoint of the chain head, which the next verification reaches, and downloads the checkpoints
    await controller.page.getByRole('button', { name: 'Sign a checkpoint' }).click();
    await expect.poll(() => controller.page.getByTestId('signed-checkpoint').textContent()).toMatch(/Signed the chain up to entry \d+ on .+ with key [0-9a-f]{16}/);
    await controller.page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => controller.page.getByTestId('verify-ok').textContent()).toMatch(/reaching \d+ signed checkpoints?, the latest at entry/);
    const checkpointsHref = await controller.page.getByTestId('download-checkpoints').getAttribute('href');
    const exported = await controller.page.request.get(`${run.server.url}${checkpointsHref}`);
    expect(exported.status()).toBe(200);
    expect((await exported.json()).format).toBe('gatehouse-audit-checkpoints/1');
    await screenshot(controller.page, 'governance-14a-audit-checkpoints');
    await controller.page.getByLabel('Action').selectOption('gate.decided');
    await controller.page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => controller.page.url()).toContain('action=gate.decided');
    await expect.poll(() => controller.page.locator('[data-testid^="audit-"] >> text=Gate decided').count()).toBeGreaterThan(0);
    await controller.page.getByRole('button', { name: 'Changes' }).first().click();
    await expect.poll(() => controller.page.locator('.diff').first().textContent()).toContain('status');
    await screenshot(controller.page, 'governance-14-audit-log');

    // A viewer may read the log but not verify the chain, and is told who may.
    const viewer = await app(DEMO.viewer);
    await viewer.page.goto(`${run.server.url}/audit`);
    await expect.poll(() => viewer.page.getByTestId('verify-not-allowed').isVisible()).toBe(true);
    expect(await viewer.page.getByRole('button', { name: 'Verify the chain' }).count()).toBe(0);
    expect(await viewer.page.getByRole('link', { name: 'Sign-offs' }).count()).toBe(0);

    for (const a of [steering, controller, viewer]) expect(a.problems).toEqual([]);
  });

  it('keeps a form being typed in when someone else changes the measure, and says newer data exists', async () => {
    const owner = await app(DEMO.owner);
    const idea = await ideaOfTheOwner();
    await owner.page.goto(`${run.server.url}/measures/${idea.id}`);
    await expect.poll(() => owner.page.getByTestId('next-gate').isVisible()).toBe(true);
    await owner.page.getByLabel('Title').fill('Typed, not saved');

    // Action: an admin changes the description in another session.
    const admin = await login(run.server.url, DEMO.admin);
    const read = await gql<{ measure: { version: number } }>(run.server.url, `query($id: ID!) { measure(id: $id) { version } }`, { id: idea.id }, admin);
    const res = await gql(run.server.url, `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { description: "Changed live by the admin." }) { version } }`, { id: idea.id, v: read.data!.measure.version }, admin);
    expect(res.errors).toBeUndefined();

    // Assert: the input stays, a banner says newer data exists; reloading keeps the input and takes the rest.
    await expect.poll(() => owner.page.getByTestId('newer-version').isVisible(), { timeout: 5000 }).toBe(true);
    expect(await owner.page.getByLabel('Title').inputValue()).toBe('Typed, not saved');
    expect(await owner.page.getByTestId('newer-version').textContent()).toContain('Alex Admin');
    await screenshot(owner.page, 'governance-15-newer-data-while-typing');
    await owner.page.getByTestId('newer-version').getByRole('button', { name: 'Reload latest' }).click();
    await expect.poll(() => owner.page.getByLabel('Description').inputValue()).toBe('Changed live by the admin.');
    expect(await owner.page.getByLabel('Title').inputValue()).toBe('Typed, not saved');
    expect(owner.problems).toEqual([]);
  });

  it('stays usable at 1024 pixels wide', async () => {
    const steering = await app(DEMO.steering, 1024, 768);
    for (const [route, name] of [
      ['/', 'governance-16-portfolio-1024'],
      ['/gates', 'governance-17-gate-board-1024'],
      ['/audit', 'governance-18-audit-1024'],
    ] as const) {
      await steering.page.goto(`${run.server.url}${route}`);
      if (route === '/') await portfolioReady(steering.page);
      else await steering.page.waitForLoadState('networkidle');
      expect(await steering.page.evaluate(() => document.documentElement.scrollWidth), route).toBeLessThanOrEqual(1024);
      await screenshot(steering.page, name);
    }
    const controller = await app(DEMO.controller, 1024, 768);
    await controller.page.goto(`${run.server.url}/sign-offs`);
    await expect.poll(() => controller.page.getByTestId('sign-off-queue').isVisible()).toBe(true);
    expect(await controller.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await screenshot(controller.page, 'governance-19-sign-off-queue-1024');
    for (const a of [steering, controller]) expect(a.problems).toEqual([]);
  });
});
