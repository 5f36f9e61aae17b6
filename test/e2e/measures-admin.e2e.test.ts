import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiMeasure, DEMO, gql, login, spreadYearly, tableSettled } from './support/app.js';
import { screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/measures/measures-import.xlsx');

const run = demoServerForFile('measures-admin');
const app = (email: string, at: string) => run.signedIn(email, { at, width: 1280, height: 900 });

async function measureByTitle(token: string, title: string): Promise<{ id: string; code: string; doi: number; planTotal: string; owner: { email: string } } | undefined> {
  const res = await gql<{ measures: { edges: { node: { id: string; code: string; doi: number; title: string; planTotal: string; owner: { email: string } } }[] } }>(
    run.server.url,
    `query($s: String) { measures(filter: { search: $s }) { edges { node { id code doi title planTotal owner { email } } } } }`,
    { s: title },
    token,
  );
  return res.data?.measures.edges.map((e) => e.node).find((n) => n.title === title);
}

describe('measures administration in the browser', () => {
  it('an owner creates a measure with the form, spreads a yearly amount and copies the plan to the forecast', async () => {
    run.keepEvidenceOnFailure('measures-admin-owner');
    const { page, problems } = await app(DEMO.owner, '/measures');
    await tableSettled(page);
    await page.getByTestId('new-measure-link').click();
    await expect.poll(() => page.url()).toBe(`${run.server.url}/measures/new`);
    const form = page.getByTestId('new-measure-form');
    await expect.poll(() => form.locator('#new-package option:not([disabled])').count()).toBeGreaterThan(0);
    await form.getByLabel('Measure package').selectOption({ label: 'Incident reduction' });
    await form.getByLabel('Lever').selectOption('COST_REDUCTION');
    await form.getByLabel('Title').fill('Automatic restart of hung print spoolers');
    await expect.poll(() => form.locator('#new-sponsor option').count()).toBeGreaterThan(1);
    await form.getByLabel('Sponsor').selectOption({ index: 1 });
    await form.getByLabel('Rough potential a year').fill('18,000.00');
    await form.getByLabel('Business case').fill('Print spooler hangs cause about 40 tickets a month; an automatic restart removes most of them.');
    await screenshot(page, 'measures-admin-new-measure-form');
    await form.getByRole('button', { name: 'Create measure' }).click();
    await expect.poll(() => /\/measures\/[0-9a-f-]{36}$/.test(page.url())).toBe(true);
    const id = page.url().split('/').pop()!;

    // Spread 12,000 evenly over twelve months, copy the plan to the forecast, save.
    const start = await spreadYearly(page, '12,000.00');
    const tools = page.getByTestId('values-tools');
    await tools.getByRole('button', { name: 'Copy plan to forecast' }).click();
    await expect.poll(() => page.getByTestId('values-tool-message').textContent()).toContain('Copied the plan of 12 months to the forecast');
    // A row copied from a German spreadsheet, pasted into the one-off cost of the first spread month.
    await page.evaluate(() => {
      const rows = document.querySelectorAll('table.grid tbody tr');
      const column = [...rows[0].querySelectorAll('input')].findIndex((i) => i.value === '1000.00');
      const data = new DataTransfer();
      data.setData('text/plain', '1.500,00\t2.000,50\n');
      rows[3].querySelectorAll('input')[column].dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.getByTestId('values-tool-message').textContent()).toContain('Pasted 2 values');
    await screenshot(page, 'measures-admin-spread-values');
    await page.getByRole('button', { name: 'Save values' }).click();

    const token = await login(run.server.url, DEMO.owner);
    await expect.poll(async () => (await apiMeasure(run.server.url, token, id)).values.length).toBe(26);
    const measure = await apiMeasure(run.server.url, token, id);
    const plan = measure.values.filter((v) => v.kind === 'PLAN').sort((a, b) => a.month.localeCompare(b.month));
    const forecast = measure.values.filter((v) => v.kind === 'FORECAST').sort((a, b) => a.month.localeCompare(b.month));
    expect(plan[0].month).toBe(start);
    expect(plan.map((v) => v.amount)).toEqual(Array(12).fill('1000.00'));
    expect(forecast.map((v) => [v.month, v.amount])).toEqual(plan.map((v) => [v.month, v.amount]));
    const oneOff = measure.values.filter((v) => v.kind === 'ONE_OFF_COST').sort((a, b) => a.month.localeCompare(b.month));
    expect(oneOff.map((v) => [v.month, v.amount])).toEqual([
      [plan[0].month, '1500.00'],
      [plan[1].month, '2000.50'],
    ]);
    const created = await measureByTitle(token, 'Automatic restart of hung print spoolers');
    expect(created).toMatchObject({ doi: 1, planTotal: '12000.00', owner: { email: DEMO.owner } });
    expect(problems).toEqual([]);
  });

  it('a package in the hierarchy leads to the form with the package chosen', async () => {
    run.keepEvidenceOnFailure('measures-admin-hierarchy');
    const token = await login(run.server.url, DEMO.owner);
    const res = await gql<{ measurePackages: { id: string; name: string }[] }>(run.server.url, '{ measurePackages { id name } }', {}, token);
    const pkg = res.data!.measurePackages.find((p) => p.name === 'Incident reduction')!;
    const { page } = await app(DEMO.owner, `/hierarchy?scope=${pkg.id}`);
    const link = page.getByRole('link', { name: 'New measure in Incident reduction' });
    await expect.poll(() => link.isVisible()).toBe(true);
    await link.click();
    await expect.poll(() => page.url()).toBe(`${run.server.url}/measures/new?package=${pkg.id}`);
    await expect.poll(() => page.getByLabel('Measure package').inputValue()).toBe(pkg.id);
  });

  it('an admin dry-runs an xlsx file, sees the bad row, and imports it with progress', async () => {
    run.keepEvidenceOnFailure('measures-admin-import');
    const { page, problems } = await app(DEMO.admin, '/measures');
    await tableSettled(page);
    await page.getByTestId('measure-import-link').click();
    await expect.poll(() => page.url()).toMatch(/\/measures\/import/);
    await page.getByTestId('measure-file').setInputFiles(FIXTURE);
    await expect.poll(() => page.getByTestId('measure-file-name').textContent()).toContain('measures-import.xlsx');
    const token = await login(run.server.url, DEMO.admin);

    await page.getByTestId('dry-run').click();
    const report = page.getByTestId('measure-import-report');
    await expect.poll(() => report.textContent()).toContain('Dry run, nothing written: 3 rows · would create 2 · would change 0 · unchanged 0 · bad rows 1');
    const issue = page.getByTestId('import-issues').locator('tbody tr');
    expect(await issue.count()).toBe(1);
    expect((await issue.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['4', 'lever', 'BAD_USER_INPUT', '"FREE_MONEY" is not a lever: use COST_REDUCTION, REVENUE_INCREASE, COST_AVOIDANCE, CAPEX_REDUCTION, NON_FINANCIAL']);
    expect(await page.getByTestId('import-plans').locator('tbody tr').count()).toBe(2);
    expect(await measureByTitle(token, 'Proactive disk monitoring')).toBeUndefined();
    await screenshot(page, 'measures-admin-dry-run');

    await page.getByTestId('run-import').click();
    await expect.poll(() => page.getByTestId('measure-import-progress').locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('100');
    await expect.poll(() => report.textContent()).toContain('Imported: 3 rows · created 2 · changed 0 · unchanged 0 · bad rows 1');
    await screenshot(page, 'measures-admin-imported');
    expect(await measureByTitle(token, 'Proactive disk monitoring')).toMatchObject({ doi: 1, planTotal: '6000.00', owner: { email: 'it.owner@northwind.example' } });
    expect(await measureByTitle(token, 'Knowledge base chatbot')).toMatchObject({ planTotal: '1000.00', owner: { email: DEMO.owner } });
    expect(problems).toEqual([]);
  });
});
