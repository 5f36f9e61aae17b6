import { describe, expect, it } from 'vitest';
import { monthOf } from '@gatehouse/shared';
import { apiMeasure, apiUpdateMeasure, DEMO, login, monthLabel, openApp, signIn, tableSettled } from './support/app.js';
import { screenshot, SCREENSHOT_DIR } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';

const run = demoServerForFile('dashboard');

/** Opens the first measure owned by the demo owner at DoI 3 (it has plan and forecast values). */
async function openOwnedMeasure(page: import('playwright-core').Page): Promise<string> {
  await page.goto(`${run.server.url}/measures?doi=3`);
  await tableSettled(page);
  await page.getByLabel('Owner').selectOption({ label: 'Olivia Owner' });
  await expect.poll(() => page.url()).toContain('owner=');
  await tableSettled(page);
  await page.locator('table.measures tbody tr td.code a').first().click();
  await expect.poll(() => page.getByRole('heading', { name: 'Details' }).isVisible()).toBe(true);
  return page.url().split('/measures/')[1].split('?')[0];
}

describe('the dashboard', () => {
  it('signs the owner in, returns to the page asked for, and keeps scope, filters, sort and paging in the URL', async () => {
    const { page, problems, close } = await openApp(run.browser);

    // Setup: an unauthenticated visit is sent to sign in, with the way back.
    await page.goto(`${run.server.url}/hierarchy`);
    await expect.poll(() => page.url()).toContain('/sign-in?redirect=/hierarchy');
    await screenshot(page, 'dashboard-01-sign-in');
    await page.getByLabel('E-mail').fill(DEMO.owner);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not correct');
    await screenshot(page, 'dashboard-02-sign-in-failed');
    await signIn(page, DEMO.owner);
    await expect.poll(() => page.url()).toBe(`${run.server.url}/hierarchy`);
    expect(await page.getByTestId('user-name').textContent()).toBe('Olivia Owner');
    expect(await page.getByTestId('user-roles').textContent()).toBe('Owner');

    // The explorer shows counts per node and links to the measures below it.
    await expect.poll(() => page.getByLabel('64 measures in Northwind Services').isVisible()).toBe(true);
    await expect.poll(() => page.getByLabel('24 measures in IT Service').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Expand IT Service' }).click();
    await expect.poll(() => page.getByText('Service Excellence 2027', { exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'dashboard-03-hierarchy');

    // Action: pick a scope in the header.
    await page.getByRole('link', { name: 'Measures', exact: true }).click();
    await tableSettled(page);
    await page.getByRole('button', { name: /^Scope/ }).click();
    await page.getByRole('dialog', { name: 'Choose a scope' }).getByRole('button', { name: /^IT Service/ }).click();
    await expect.poll(() => page.url()).toMatch(/scope=/);
    await tableSettled(page);
    await expect.poll(() => page.getByTestId('range').textContent()).toContain('of 24');
    await screenshot(page, 'dashboard-04-measures-scoped');

    // Filter by state and search (debounced), then sort by plan, descending.
    await page.getByLabel('State').selectOption('ACTIVE');
    await expect.poll(() => page.url()).toContain('state=active');
    await page.getByLabel('Search').fill('password');
    await expect.poll(() => page.url()).toContain('q=password');
    await expect
      .poll(async () => {
        const titles = await page.locator('table.measures tbody td.title a').allTextContents();
        return titles.length > 0 && titles.every((t) => t.toLowerCase().includes('password'));
      })
      .toBe(true);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.url()).not.toContain('q=');
    await page.getByRole('button', { name: /^Plan/ }).click();
    await page.getByRole('button', { name: /^Plan/ }).click();
    await expect.poll(() => page.url()).toContain('sort=plan&dir=desc');
    await tableSettled(page);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Plan');
    const plans = (await page.locator('table.measures tbody tr td:nth-child(8)').allTextContents()).map((t) => Number(t.replace(/[^\d.]/g, '')));
    expect(plans).toEqual([...plans].sort((a, b) => b - a));
    await screenshot(page, 'dashboard-05-measures-filtered-sorted');

    // A reload keeps everything.
    const before = page.url();
    await page.reload();
    await tableSettled(page);
    expect(page.url()).toBe(before);
    expect(await page.getByLabel('State').inputValue()).toBe('ACTIVE');
    expect(await page.getByRole('button', { name: /^Scope/ }).textContent()).toContain('IT Service');

    // Cursor paging over the whole organisation, 25 at a time.
    await page.goto(`${run.server.url}/measures`);
    await tableSettled(page);
    expect(await page.getByTestId('range').textContent()).toBe('1–25 of 64');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('26–50 of 64');
    expect(page.url()).toContain('after=');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => page.getByTestId('range').textContent()).toBe('1–25 of 64');

    // Sign out ends the session.
    await page.getByTestId('user-name').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.url()).toContain('/sign-in');
    await page.goto(`${run.server.url}/measures`);
    await expect.poll(() => page.url()).toContain('/sign-in');

    expect(problems).toEqual([]);
    await close();
  });

  it('lets the owner edit a field and a monthly value, and add and complete a milestone', async () => {
    const { page, problems, close } = await openApp(run.browser);
    await page.goto(`${run.server.url}/sign-in`);
    await signIn(page, DEMO.owner);
    const id = await openOwnedMeasure(page);
    await screenshot(page, 'dashboard-06-measure');
    const token = await login(run.server.url, DEMO.admin);

    // Action: change the title.
    await page.getByLabel('Title').fill('Service catalogue with standard requests (phase 2)');
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Service catalogue with standard requests (phase 2)');
    expect((await apiMeasure(run.server.url, token, id)).title).toBe('Service catalogue with standard requests (phase 2)');

    // Action: change this month's forecast, and try an invalid amount first.
    const month = monthOf(new Date());
    const cell = page.getByLabel(`Forecast, ${monthLabel(month)}`);
    await cell.fill('12.345');
    await expect.poll(() => page.getByText('At most two decimals.').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Save values' }).isDisabled()).toBe(true);
    await screenshot(page, 'dashboard-07-values-invalid');
    await cell.fill('4321.5');
    await page.getByRole('button', { name: 'Save values' }).click();
    await expect.poll(async () => (await apiMeasure(run.server.url, token, id)).values.find((v) => v.kind === 'FORECAST' && v.month === month)?.amount).toBe('4321.50');
    await expect.poll(() => cell.inputValue()).toBe('4321.50');

    // Action: add a milestone, then complete it.
    await page.getByLabel('New milestone').fill('E2E acceptance sign-off');
    await page.getByLabel('Due date').fill('2027-01-15');
    await page.getByRole('button', { name: 'Add milestone' }).click();
    const row = page.getByTestId('milestone-E2E acceptance sign-off');
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.textContent()).toContain('Jan 15, 2027');
    await page.getByRole('button', { name: 'Mark done: E2E acceptance sign-off' }).click();
    // It was done yesterday, not today.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await row.getByLabel('Done on').fill(yesterday);
    await row.getByRole('button', { name: 'Mark done' }).click();
    await expect.poll(() => row.textContent()).toContain(`Done ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(yesterday))}`);
    expect((await apiMeasure(run.server.url, token, id)).milestones.find((m) => m.title === 'E2E acceptance sign-off')?.done).toBe(true);

    // Action: correct its title, then delete it after confirming.
    await page.getByRole('button', { name: 'Edit: E2E acceptance sign-off' }).click();
    await row.getByLabel('Title').fill('E2E acceptance signed');
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/dashboard-08a-milestone-editing.png` });
    await row.getByRole('button', { name: 'Save milestone' }).click();
    const renamed = page.getByTestId('milestone-E2E acceptance signed');
    await expect.poll(() => renamed.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Delete: E2E acceptance signed' }).click();
    await renamed.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => renamed.count()).toBe(0);
    expect((await apiMeasure(run.server.url, token, id)).milestones.map((m) => m.title)).not.toContain('E2E acceptance signed');
    await screenshot(page, 'dashboard-08-measure-edited');

    expect(problems).toEqual([]);
    await close();
  });

  it('shows a stale edit clearly and reloads the latest without losing anything typed', async () => {
    const { page, problems, close } = await openApp(run.browser);
    await page.goto(`${run.server.url}/sign-in`);
    await signIn(page, DEMO.owner);
    const id = await openOwnedMeasure(page);
    const admin = await login(run.server.url, DEMO.admin);
    const month = monthOf(new Date());

    // Setup: the owner types; meanwhile an admin saves a change through the API in another session.
    await page.getByLabel('Title').fill('Typed while someone else saved');
    await page.getByLabel(`Actual, ${monthLabel(month)}`).fill('999.99');
    const read = await apiMeasure(run.server.url, admin, id);
    await apiUpdateMeasure(run.server.url, admin, id, read.version, { description: 'Changed elsewhere by the admin.' });

    // Action: save on the stale version.
    await page.getByRole('button', { name: 'Save details' }).click();

    // Assert: refused, explained, nothing lost.
    await expect.poll(() => page.getByTestId('stale-edit').isVisible()).toBe(true);
    expect(await page.getByTestId('stale-edit').textContent()).toContain('Someone else changed this measure');
    expect(await page.getByLabel('Title').inputValue()).toBe('Typed while someone else saved');
    await screenshot(page, 'dashboard-09-stale-edit');

    // Action: reload the latest.
    await page.getByRole('button', { name: 'Reload latest' }).click();

    // Assert: typed input kept, the other change shown and taken where untouched.
    await expect.poll(() => page.getByTestId('stale-edit').count()).toBe(0);
    expect(await page.getByLabel('Title').inputValue()).toBe('Typed while someone else saved');
    expect(await page.getByLabel(`Actual, ${monthLabel(month)}`).inputValue()).toBe('999.99');
    expect(await page.getByLabel('Description').inputValue()).toBe('Changed elsewhere by the admin.');
    expect(await page.getByTestId('updated-field').textContent()).toContain('Description');
    await screenshot(page, 'dashboard-10-reloaded-latest');

    // And both saves now go through on the new version.
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Typed while someone else saved');
    await page.getByRole('button', { name: 'Save values' }).click();
    await expect.poll(async () => (await apiMeasure(run.server.url, admin, id)).values.find((v) => v.kind === 'ACTUAL' && v.month === month)?.amount).toBe('999.99');
    const saved = await apiMeasure(run.server.url, admin, id);
    expect(saved).toMatchObject({ title: 'Typed while someone else saved', description: 'Changed elsewhere by the admin.' });

    expect(problems).toEqual([]);
    await close();
  });

  it('shows a viewer, and a controller on someone else’s measure, a read page rather than disabled inputs', async () => {
    const { page, problems, close } = await openApp(run.browser);
    await page.goto(`${run.server.url}/sign-in`);
    await signIn(page, DEMO.viewer);
    expect(await page.getByTestId('user-roles').textContent()).toBe('Viewer');
    await page.goto(`${run.server.url}/measures?doi=3`);
    await tableSettled(page);
    await page.locator('table.measures tbody tr td.code a').first().click();
    await expect.poll(() => page.getByTestId('measure-read').isVisible()).toBe(true);
    const id = page.url().split('/measures/')[1].split('?')[0];
    const stored = await apiMeasure(run.server.url, await login(run.server.url, DEMO.admin), id);

    // Assert: the details, values and milestones read as text, with the reason; nothing to type into or save.
    expect(await page.getByTestId('details-readonly').textContent()).toContain('Only the measure’s owner or an admin');
    expect(await page.getByTestId('measure-read').textContent()).toContain(stored.description);
    const monthsWithValues = new Set(stored.values.filter((v) => Number(v.amount) !== 0).map((v) => v.month));
    expect(monthsWithValues.size).toBeGreaterThan(0);
    expect(await page.getByTestId('values-read').locator('tbody tr').count()).toBe(monthsWithValues.size);
    expect(await page.getByTestId('milestones-read').locator('li').count()).toBe(stored.milestones.length);
    expect(await page.locator('main input, main select, main textarea').count()).toBe(0);
    for (const name of ['Save details', 'Save values', 'Add milestone']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await screenshot(page, 'dashboard-11-viewer-measure');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'dashboard-11-viewer-measure-390');
    expect(problems).toEqual([]);
    await close();

    // A controller reads the same measure (it is not theirs to edit) and is still offered their own action.
    const controller = await openApp(run.browser);
    await controller.page.goto(`${run.server.url}/sign-in`);
    await signIn(controller.page, DEMO.controller);
    await controller.page.goto(`${run.server.url}/measures/${id}`);
    await expect.poll(() => controller.page.getByTestId('measure-read').isVisible()).toBe(true);
    expect(await controller.page.getByLabel('Title').count()).toBe(0);
    await expect.poll(() => controller.page.getByRole('button', { name: /^Validate/ }).count()).toBe(1);
    expect(controller.problems).toEqual([]);
    await controller.close();
  });

  it('stays usable at 1024 pixels wide', async () => {
    const { page, problems, close } = await openApp(run.browser, 1024, 768);
    await page.goto(`${run.server.url}/sign-in`);
    await signIn(page, DEMO.owner);
    await page.goto(`${run.server.url}/measures`);
    await tableSettled(page);
    // Wide tables scroll inside their card; the page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await screenshot(page, 'dashboard-12-measures-1024');
    await page.locator('table.measures tbody tr td.code a').first().click();
    await expect.poll(() => page.getByRole('heading', { name: 'Details' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await screenshot(page, 'dashboard-13-measure-1024');
    expect(problems).toEqual([]);
    await close();
  });
});
