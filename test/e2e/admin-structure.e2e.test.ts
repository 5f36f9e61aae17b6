import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gql, login, openApp, signIn, type AppPage } from './support/app.js';
import { screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';
import { horizontalOverflow, instrumentContext, seriousA11yViolations, settled } from './support/page-checks.js';

/**
 * The admin area end to end, as the demo admin: create an org unit, move a program under it, grant a role there,
 * ask why someone may not do something, edit a setting and watch an open portfolio page show it; then every tab at
 * a phone's width.
 */
const run = demoServerForFile('admin');
/** The element's text once it is there ('' until then), for polling. */
const textOf = (l: Locator) => l.textContent({ timeout: 1000 }).catch(() => '');
const ADMIN = 'admin@northwind.example';

async function app(width = 1280, height = 900): Promise<AppPage> {
  const a = await openApp(run.browser, width, height);
  run.opened.push(a);
  await a.page.goto(`${run.server.url}/sign-in`);
  await signIn(a.page, ADMIN);
  return a;
}

describe('the admin area', () => {
  it('creates an org unit, moves a program under it, grants a role, explains a refusal and changes a setting live', async () => {
    const { page, problems } = await app();
    // A second person keeps the portfolio open while the admin works.
    const watcher = await app();
    await watcher.page.goto(`${run.server.url}/`);
    await expect.poll(() => watcher.page.getByText('Risk-weighted').first().isVisible()).toBe(true);

    // Structure: a new top-level unit
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await expect.poll(() => page.url()).toBe(`${run.server.url}/admin`);
    await page.getByLabel('New top-level org unit').fill('Legal & Compliance');
    await page.getByTestId('create-top-unit').click();
    await expect.poll(() => page.getByTestId('node-Legal & Compliance').isVisible()).toBe(true);
    await screenshot(page, 'admin-01-unit-created');

    // Move the program Service Excellence 2027 under it
    await page.getByTestId('node-Service Excellence 2027').click();
    await page.locator('#program-unit').selectOption({ label: 'Legal & Compliance' });
    await page.getByTestId('save-program').click();
    await expect.poll(() => textOf(page.getByTestId('node-editor').getByRole('status'))).toContain('Moved with its packages and measures');
    await screenshot(page, 'admin-02-program-moved');
    const token = await login(run.server.url, ADMIN);
    const programs = await gql<{ programs: { name: string; orgUnit: { name: string } }[] }>(run.server.url, `{ programs { name orgUnit { name } } }`, {}, token);
    expect(programs.data!.programs.find((p) => p.name === 'Service Excellence 2027')!.orgUnit.name).toBe('Legal & Compliance');

    // Roles: Vera Viewer becomes controller of the new unit, which its one program inherits
    await page.getByTestId('admin-tab-roles').click();
    await page.getByTestId('grant-scope').selectOption({ label: 'Legal & Compliance' });
    await page.getByTestId('grant-person').selectOption({ label: 'Vera Viewer' });
    await page.getByTestId('grant-role').selectOption({ label: 'Controller' });
    await page.getByTestId('grant-submit').click();
    await expect.poll(() => textOf(page.getByTestId('grants-HERE'))).toContain('Vera Viewer — Controller on Legal & Compliance, inherited by 1 program');
    await expect.poll(() => textOf(page.getByTestId('grants-INHERITED'))).toContain('Alex Admin — Admin on Northwind Services');

    // Why can't Vera Viewer edit a measure? The server answers from its rules.
    await page.getByTestId('why-person').selectOption({ label: 'Vera Viewer' });
    await page.getByTestId('why-action').selectOption('UPDATE');
    await expect.poll(() => page.getByTestId('why-measure').locator('option').count()).toBeGreaterThan(1);
    await page.getByTestId('why-measure').selectOption({ index: 1 });
    await page.getByTestId('why-ask').click();
    await expect.poll(() => textOf(page.getByTestId('why-answer'))).toContain('Not allowed');
    expect(await page.getByTestId('why-answer').textContent()).toContain('The access policy (measure.update) allows only');
    await screenshot(page, 'admin-03-roles');

    // Gate templates: a threshold changes, and the new version says what changed
    await page.getByTestId('admin-tab-templates').click();
    await page.getByLabel('Threshold of Plan values entered, gate to DoI 2').fill('3');
    await page.getByTestId('save-template').click();
    await expect.poll(() => textOf(page.getByTestId('version-diff'))).toContain('Plan values entered: at least 1 → at least 3');
    await screenshot(page, 'admin-04-templates');

    // Settings: the probability of DoI 1 changes; the open portfolio shows it without a reload
    await page.getByTestId('admin-tab-settings').click();
    await page.getByLabel('DoI 1', { exact: true }).fill('15');
    await page.getByTestId('save-settings').click();
    await expect.poll(() => page.getByTestId('settings-saved').isVisible()).toBe(true);
    await screenshot(page, 'admin-05-settings');
    await expect.poll(() => watcher.page.getByText('15 %', { exact: true }).count()).toBeGreaterThan(0);
    await screenshot(watcher.page, 'admin-06-portfolio-live');
    const trail = await gql<{ auditTrail: { edges: { node: { action: string } }[] } }>(run.server.url, `{ auditTrail(first: 10) { edges { node { action } } } }`, {}, token);
    expect(trail.data!.auditTrail.edges.map((e) => e.node.action)).toEqual(expect.arrayContaining(['organisation.settingsUpdated', 'program.moved', 'role.granted', 'gateTemplate.updated']));
    expect(problems).toEqual([]);
    expect(watcher.problems).toEqual([]);
  });

  it('fits every tab on a phone without sideways scrolling', async () => {
    const { page, problems } = await app(390, 844);
    await instrumentContext(page.context());
    for (const [path, name] of [
      ['/admin', 'structure'],
      ['/admin/roles', 'roles'],
      ['/admin/templates', 'templates'],
      ['/admin/settings', 'settings'],
    ] as const) {
      await page.goto(`${run.server.url}${path}`);
      await expect.poll(() => page.locator('.card').first().isVisible()).toBe(true);
      await settled(page);
      if (name === 'structure') await page.getByTestId('node-IT Service').click();
      expect(await horizontalOverflow(page), path).toBeNull();
      expect(await seriousA11yViolations(page), path).toEqual([]);
      await screenshot(page, `admin-phone-${name}`);
    }
    expect(problems).toEqual([]);
  });
});
