import { describe, expect, it } from 'vitest';
import { gql, login, openApp, signIn, type AppPage } from './support/app.js';
import { screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';

/**
 * The screens people decide on and keep as evidence, on the demo as a first start leaves it: each gate request
 * shows its own criteria, a refusal says why, the audit log holds the demo's history with right totals, the tickets
 * pages have recurring groups without an import, and the portfolio's numbers reconcile. One server and one browser
 * for all cases.
 */
const DEMO = {
  steering: 'steering@northwind.example',
  controller: 'controller@northwind.example',
  admin: 'admin@northwind.example',
};

const run = demoServerForFile('decisions');

async function app(email: string): Promise<AppPage> {
  const a = await openApp(run.browser, 1440, 900);
  run.opened.push(a);
  await a.page.goto(`${run.server.url}/sign-in`);
  await signIn(a.page, email);
  return a;
}

interface PendingClosure {
  code: string;
  actualTotal: string;
}

/** The demo's pending requests for the gate to DoI 5, as the API answers them. */
async function pendingClosures(): Promise<PendingClosure[]> {
  const token = await login(run.server.url, DEMO.steering);
  const res = await gql<{ gateRequests: { toDoi: number; measure: PendingClosure }[] }>(
    run.server.url,
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
    await steering.page.goto(`${run.server.url}/gates?gate=5`);
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

  it('keeps the audit log’s total on every page and shows the demo’s decisions in words, about measures by code and title', async () => {
    // Setup: what the API says the admin may read, and the demo's decisions.
    const token = await login(run.server.url, DEMO.admin);
    const admin = await app(DEMO.admin);
    // Read after the browser signed in: its sign-in is an entry too.
    const total = (await gql<{ auditTrail: { totalCount: number } }>(run.server.url, `{ auditTrail(first: 1) { totalCount } }`, {}, token)).data!.auditTrail.totalCount;
    const decided = await gql<{ auditTrail: { totalCount: number; edges: { node: { reason: string; entity: { code: string; title: string } } }[] } }>(
      run.server.url,
      `{ auditTrail(first: 1, action: "gate.decided") { totalCount edges { node { reason entity { code title } } } } }`,
      {},
      token,
    );
    const newestDecision = decided.data!.auditTrail.edges[0].node;
    expect(decided.data!.auditTrail.totalCount, 'the demo’s decisions are in the audit trail').toBeGreaterThan(50);

    // Action: the admin pages through the whole log.
    await admin.page.getByRole('link', { name: 'Audit log' }).click();
    const range = admin.page.getByTestId('audit-range');
    await expect.poll(() => range.textContent(), { timeout: 15_000 }).toBe(`1–25 of ${total.toLocaleString('en-US')}`);
    for (const start of [26, 51]) {
      await admin.page.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => range.textContent()).toBe(`${start}–${start + 24} of ${total.toLocaleString('en-US')}`);
    }

    // Action: only the gate decisions.
    await admin.page.getByLabel('Action').selectOption({ label: 'Gate decided' });
    await admin.page.getByRole('button', { name: 'Apply' }).click();
    const decidedTotal = decided.data!.auditTrail.totalCount.toLocaleString('en-US');
    await expect.poll(() => range.textContent()).toBe(`1–25 of ${decidedTotal}`);
    const first = admin.page.locator('tr[data-testid^="audit-"]').first();
    const about = `${newestDecision.entity.code} · ${newestDecision.entity.title}`;
    await expect.poll(() => first.textContent()).toContain('Gate decided');
    expect(await first.textContent()).toContain(newestDecision.reason);
    expect(await first.getByRole('link', { name: about }).getAttribute('href')).toMatch(/^\/measures\/[0-9a-f-]{36}/);
    await first.getByRole('button', { name: 'Changes' }).click();
    const diff = admin.page.locator('.diff').first();
    await expect.poll(() => diff.textContent()).toContain('Decision');
    expect(await diff.textContent()).not.toMatch(/\bunmetCriteria\b/);
    await admin.page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => range.textContent()).toBe(`26–50 of ${decidedTotal}`);

    // The chain verifies, and the export holds every decision.
    await admin.page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => admin.page.getByTestId('verify-ok').textContent()).toContain('The chain is intact');
    await screenshot(admin.page, 'decisions-03-audit-log-decisions');
    const href = await admin.page.getByTestId('audit-csv').getAttribute('href');
    const csv = await admin.page.evaluate(async (url) => (await fetch(url!, { credentials: 'same-origin' })).text(), href);
    expect(csv.trim().split('\r\n')).toHaveLength(decided.data!.auditTrail.totalCount + 1);
    expect(admin.problems).toEqual([]);
  });

  it('shows a measure with past decisions its history, and the sign-offs in the log', async () => {
    // Setup: a measure closed by a controller's sign-off, as the API lists it.
    const token = await login(run.server.url, DEMO.controller);
    const closed = (await gql<{ measures: { edges: { node: { id: string; code: string } }[] } }>(run.server.url, `{ measures(filter: { doi: 5 }, first: 1) { edges { node { id code } } } }`, {}, token)).data!
      .measures.edges[0].node;

    // Action: the controller opens it.
    const controller = await app(DEMO.controller);
    await controller.page.goto(`${run.server.url}/measures/${closed.id}`);
    const history = controller.page.getByTestId('measure-history');
    await expect.poll(() => history.textContent(), { timeout: 15_000 }).toContain('Signed off');

    // Assert: its decisions, validation and sign-off are its history.
    const text = (await history.textContent()) ?? '';
    expect(text).not.toContain('Nothing recorded yet');
    expect(text).toContain('Gate decided');
    expect(text).toContain('Potential validated');
    await history.scrollIntoViewIfNeeded();
    await screenshot(controller.page, 'decisions-04-measure-history');

    // The log's sign-offs, by their code.
    await controller.page.goto(`${run.server.url}/audit?entity=${closed.code}&action=measure.signedOff`);
    await expect.poll(() => controller.page.getByTestId('audit-range').textContent(), { timeout: 15_000 }).toBe('1–1 of 1');
    expect(await controller.page.locator('tr[data-testid^="audit-"]').first().textContent()).toContain(closed.code);
    expect(controller.problems).toEqual([]);
  });

  it('shows recurring ticket groups on a fresh start, without any import', async () => {
    const viewer = await app('viewer@northwind.example');
    await viewer.page.getByRole('link', { name: 'Tickets' }).click();
    const groups = viewer.page.getByTestId('ticket-groups');
    await expect.poll(() => groups.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    expect(await viewer.page.getByTestId('groups-empty').count()).toBe(0);
    expect(await groups.textContent()).toContain('M-0009');
    await screenshot(viewer.page, 'decisions-05-tickets-recurring-groups');
    expect(viewer.problems).toEqual([]);
  });

  it('shows numbers that reconcile: measures by level and stopped, ideas’ potential, rollups per node, both potentials named', async () => {
    // Setup: what the API counts.
    const token = await login(run.server.url, DEMO.admin);
    const summary = (await gql<{ portfolioSummary: { measureCount: number; cancelledCount: number; totalPlan: string } }>(run.server.url, `{ portfolioSummary { measureCount cancelledCount totalPlan } }`, {}, token)).data!.portfolioSummary;
    expect(summary.cancelledCount, 'the demo has stopped measures').toBeGreaterThan(0);

    // Action: the portfolio.
    const admin = await app(DEMO.admin);
    await expect.poll(() => admin.page.locator('.portfolio[data-ready="true"]').count(), { timeout: 20_000 }).toBe(1);
    const count = async (testId: string) => Number(((await admin.page.getByTestId(testId).textContent()) ?? '').replace(/\D/g, ''));

    // Assert: the table's rows add up to the measures tile, stopped ones on a row of their own.
    const rows = await Promise.all(['doi-row-1', 'doi-row-2', 'doi-row-3', 'doi-row-4', 'doi-row-5', 'doi-row-stopped'].map((id) => admin.page.getByTestId(id).locator('td').nth(1).textContent()));
    expect(rows.reduce((n, r) => n + Number((r ?? '').replace(/\D/g, '')), 0)).toBe(summary.measureCount);
    expect(await count('kpi-measures')).toBe(summary.measureCount);
    expect(await count('doi-total-count')).toBe(summary.measureCount);
    // Ideas carry their rough potential into the value by DoI.
    expect(await admin.page.getByTestId('doi-row-1').locator('td').nth(2).textContent()).not.toBe('€0.00');
    // Portfolio amounts at a glance, exact on hover.
    const plan = admin.page.getByTestId('kpi-plan').locator('[title]');
    const exactPlan = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(Number(summary.totalPlan));
    expect(await plan.getAttribute('title')).toBe(exactPlan);
    expect(await plan.locator('[aria-hidden="true"]').textContent()).toMatch(/^€[\d.]+[KM]$/);
    await screenshot(admin.page, 'decisions-06-portfolio-reconciled');

    // The hierarchy rolls up values, not only counts.
    await admin.page.getByRole('link', { name: 'Hierarchy' }).click();
    const rootPlan = admin.page.getByTestId('rollup-plan').first().locator('[title]');
    await expect.poll(() => rootPlan.getAttribute('title'), { timeout: 15_000 }).toBe(exactPlan);
    await screenshot(admin.page, 'decisions-07-hierarchy-values');

    // A measure with a plan below its owner's first estimate shows both, each named and explained.
    const idea = (await gql<{ measures: { edges: { node: { id: string; version: number } }[] } }>(run.server.url, `{ measures(filter: { doi: 1, state: ACTIVE }, first: 1) { edges { node { id version } } } }`, {}, token)).data!.measures.edges[0].node;
    const month = new Date().toISOString().slice(0, 7);
    const set = await gql(run.server.url, `mutation($id: ID!, $v: Int!, $m: String!) { setMeasureValues(measureId: $id, version: $v, values: [{ month: $m, kind: PLAN, amount: "1000.00" }]) { id } }`, { id: idea.id, v: idea.version, m: month }, token);
    expect(set.errors).toBeUndefined();
    await admin.page.goto(`${run.server.url}/measures/${idea.id}`);
    await expect.poll(() => admin.page.getByTestId('rough-potential').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await admin.page.getByTestId('annual-potential').textContent()).toContain('The plan of its last 1 planned month');
    expect(await admin.page.getByTestId('rough-potential').textContent()).toContain('first estimate');
    expect(admin.problems).toEqual([]);
  });
});
