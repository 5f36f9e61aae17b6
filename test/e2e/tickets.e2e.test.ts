import { SERVICENOW_LOG, UNDECIDED_DATES } from '../../server/src/testing/fixtures.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gql, login } from './support/app.js';
import { screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

const DEMO = {
  owner: 'owner@northwind.example',
  admin: 'admin@northwind.example',
  viewer: 'viewer@northwind.example',
};

const run = demoServerForFile('tickets');

/** Signs in in a fresh browser context (its own cookies) and opens the page. */
const app = (email: string, at: string, width = 1280, height = 800) => run.signedIn(email, { at, width, height });

const groupRows = (page: Page) => page.locator('[data-testid="ticket-groups"] tbody tr');

/** Waits until the open list is not refreshing. */
async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.results[aria-busy="true"]').count()).toBe(0);
}

/** The first active measure the demo owner owns, as the API sees it. */
async function measureOfTheOwner(): Promise<{ id: string; code: string; title: string }> {
  const token = await login(run.server.url, DEMO.owner);
  const me = await gql<{ me: { id: string } }>(run.server.url, '{ me { id } }', {}, token);
  const res = await gql<{ measures: { edges: { node: { id: string; code: string; title: string } }[] } }>(
    run.server.url,
    `query($owner: ID) { measures(filter: { ownerId: $owner, state: ACTIVE }, first: 1) { edges { node { id code title } } } }`,
    { owner: me.data!.me.id },
    token,
  );
  const node = res.data?.measures.edges[0]?.node;
  if (!node) throw new Error('the demo owner has no active measure');
  return node;
}

/** An active measure someone other than the demo owner owns. */
async function someoneElsesMeasure(): Promise<{ id: string; code: string }> {
  const token = await login(run.server.url, DEMO.admin);
  const res = await gql<{ me: { id: string }; measures: { edges: { node: { id: string; code: string; owner: { email: string } } }[] } }>(
    run.server.url,
    `{ me { id } measures(filter: { state: ACTIVE }, first: 50) { edges { node { id code owner { email } } } } }`,
    {},
    token,
  );
  const node = res.data?.measures.edges.map((e) => e.node).find((m) => m.owner.email !== DEMO.owner);
  if (!node) throw new Error('every active demo measure belongs to the owner');
  return node;
}

describe('recurring tickets in the dashboard', () => {
  it('imports the ServiceNow log through the page with progress, and the owner’s open tickets page shows the recurring groups live', async () => {
    run.keepEvidenceOnFailure('tickets-import');

    // Setup: the owner has the tickets page open on the demo desk's recurring groups.
    const demo = await gql<{ tickets: { totalCount: number }; ticketGroups: { totalCount: number } }>(
      run.server.url,
      `{ tickets(first: 0) { totalCount } ticketGroups(first: 0, filter: { recurringOnly: true }) { totalCount } }`,
      {},
      await login(run.server.url, DEMO.admin),
    );
    const demoTickets = demo.data!.tickets.totalCount;
    const demoGroups = demo.data!.ticketGroups.totalCount;
    const owner = await app(DEMO.owner, '/tickets');
    await expect.poll(() => owner.page.getByTestId('range').textContent()).toBe(`1–${demoGroups} of ${demoGroups}`);
    await expect.poll(() => owner.page.getByTestId('live-status').textContent()).toContain('Live');
    expect(await owner.page.getByTestId('tab-import').count()).toBe(0);
    await owner.page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await screenshot(owner.page, 'tickets-01-owner-before-import');

    // Action: the admin imports the export through the import tab.
    const admin = await app(DEMO.admin, '/tickets');
    await admin.page.getByTestId('tab-import').click();
    await admin.page.getByLabel('Export file (CSV)').setInputFiles(SERVICENOW_LOG);
    expect(await admin.page.getByRole('radio', { name: /Recognise it/ }).isChecked()).toBe(true);
    await expect.poll(() => admin.page.getByTestId('preview-format').textContent()).toBe('ServiceNow');
    await admin.page.getByRole('button', { name: 'Import tickets' }).click();

    // Assert: the bar runs to 100 %, and the result counts every row.
    const bar = admin.page.getByRole('progressbar', { name: 'Import progress' });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100');
    await expect.poll(() => admin.page.getByTestId('import-result').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await admin.page.getByTestId('result-rows').textContent()).toBe('5,998');
    expect(await admin.page.getByTestId('result-rejected').textContent()).toBe('0');
    // One import, several batches: a ticket first inserted by one batch may be updated by a later one.
    const inserted = Number((await admin.page.getByTestId('result-inserted').textContent())!.replace(/,/g, ''));
    const updated = Number((await admin.page.getByTestId('result-updated').textContent())!.replace(/,/g, ''));
    expect(inserted).toBeGreaterThan(0);
    expect(inserted + updated).toBeGreaterThanOrEqual(890);
    expect(await admin.page.getByTestId('import-percent').textContent()).toBe('100 %');
    expect(await admin.page.getByTestId('import-error').count()).toBe(0);
    await expect.poll(() => admin.page.getByTestId('import-live-groups').locator('li').count()).toBe(5);
    await screenshot(admin.page, 'tickets-02-import-done');

    // The tickets list holds one ticket per incident.
    await admin.page.getByTestId('tab-tickets').click();
    await expect.poll(() => admin.page.getByTestId('tickets-total').textContent()).toBe(`${(demoTickets + 890).toLocaleString('en-US')} tickets`);
    await screenshot(admin.page, 'tickets-03-all-tickets');
    await admin.page.getByLabel('Resolution SLA').selectOption('yes');
    await expect.poll(() => admin.page.url()).toContain('breached=yes');
    await settled(admin.page);
    const breached = Number((await admin.page.getByTestId('tickets-total').textContent())!.replace(/\D/g, ''));
    expect(breached).toBeGreaterThan(0);
    expect(breached).toBeLessThan(demoTickets + 890);

    // Assert: the owner's page, never reloaded, shows the new recurring groups too, the largest first.
    await expect.poll(() => groupRows(owner.page).count(), { timeout: 10_000 }).toBeGreaterThan(demoGroups);
    await settled(owner.page);
    expect(await owner.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    const counts = await owner.page.locator('[data-testid="ticket-groups"] tbody tr td:nth-child(2)').allTextContents();
    const numbers = counts.map((c) => Number(c.replace(/\D/g, '')));
    expect(numbers.every((n) => n >= 5)).toBe(true);
    expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
    expect(await owner.page.getByTestId('range').textContent()).toMatch(/^1–25 of \d+$/);
    await screenshot(owner.page, 'tickets-04-owner-groups-live');

    for (const a of [owner, admin]) expect(a.problems).toEqual([]);
  });

  it('lets the owner link a group to their measure and create a measure from another, and shows the links on the measures', async () => {
    run.keepEvidenceOnFailure('tickets-links');
    const mine = await measureOfTheOwner();
    // The groups no measure addresses yet (the demo links some of its own).
    const owner = await app(DEMO.owner, '/tickets?linked=no');
    await expect.poll(() => groupRows(owner.page).count()).toBeGreaterThan(1);
    const firstTitle = (await groupRows(owner.page).nth(0).locator('td.title a').textContent())!.trim();
    const secondTitle = (await groupRows(owner.page).nth(1).locator('td.title a').textContent())!.trim();

    // Action: open the largest group and link it to one of the owner's measures.
    await groupRows(owner.page).nth(0).locator('td.title a').click();
    await expect.poll(() => owner.page.getByRole('heading', { level: 1, name: firstTitle }).isVisible()).toBe(true);
    await expect.poll(() => owner.page.getByTestId('group-trend').locator('canvas').count()).toBe(1);
    await expect.poll(() => owner.page.locator('[data-testid="tickets"] tbody tr').count()).toBeGreaterThan(0);
    await screenshot(owner.page, 'tickets-05-group');
    await owner.page.getByRole('button', { name: 'Link to a measure' }).click();
    expect(await owner.page.getByLabel('Only my measures').isChecked()).toBe(true);
    await owner.page.getByLabel('Find a measure').fill('typed while');

    // Meanwhile a steering committee member links the same group elsewhere: the page shows it live and keeps the typing.
    const other = await someoneElsesMeasure();
    const groupId = owner.page.url().split('/tickets/groups/')[1].split('?')[0];
    const steering = await login(run.server.url, 'steering@northwind.example');
    const linked = await gql(run.server.url, `mutation($g: ID!, $m: ID!) { linkTicketGroup(groupId: $g, measureId: $m) { id } }`, { g: groupId, m: other.id }, steering);
    expect(linked.errors).toBeUndefined();
    await expect.poll(() => owner.page.getByTestId(`linked-${other.code}`).isVisible(), { timeout: 5000 }).toBe(true);
    expect(await owner.page.getByLabel('Find a measure').inputValue()).toBe('typed while');
    expect(await owner.page.getByTestId(`linked-${other.code}`).getByRole('button', { name: /Unlink/ }).count()).toBe(0);

    await owner.page.getByLabel('Find a measure').fill(mine.code);
    const picker = owner.page.getByTestId('measure-picker');
    await expect.poll(() => picker.getByRole('listitem').count()).toBe(1);
    const candidate = picker.getByRole('button', { name: new RegExp(mine.code) });
    expect(await candidate.isEnabled()).toBe(true);
    await screenshot(owner.page, 'tickets-06-group-linking');
    await candidate.click();

    // Assert: the group names the measure, and the list says so too.
    await expect.poll(() => owner.page.getByTestId(`linked-${mine.code}`).isVisible()).toBe(true);
    await expect.poll(() => owner.page.getByRole('status').filter({ hasText: `Linked to ${mine.code}.` }).count()).toBe(1);
    await owner.page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Tickets' }).click();
    // Back on the list of groups no measure addresses: it is linked now, so show every group.
    await owner.page.getByLabel('Linked to a measure').selectOption('');
    const rowOf = (title: string) => groupRows(owner.page).filter({ has: owner.page.getByRole('link', { name: title, exact: true }) });
    await expect.poll(() => rowOf(firstTitle).locator('td.measures').textContent()).toContain(mine.code);
    expect(await rowOf(firstTitle).locator('td.measures').textContent()).toContain(other.code);

    // Action: create a measure from the second group, in a package, owned by the owner.
    await rowOf(secondTitle).locator('td.title a').click();
    await expect.poll(() => owner.page.getByRole('heading', { level: 1, name: secondTitle }).isVisible()).toBe(true);
    await owner.page.getByRole('button', { name: 'Create measure from group' }).click();
    const form = owner.page.getByTestId('create-measure-form');
    await expect.poll(() => form.getByLabel('Measure package').locator('option').count()).toBeGreaterThan(1);
    expect(await form.getByLabel('Owner').isDisabled()).toBe(true);
    expect(await form.getByLabel('Owner').locator('option:checked').textContent()).toBe('Olivia Owner (you)');
    expect(await form.textContent()).toMatch(/Rough potential€[\d,]+\.\d{2} a year/);
    const firstPackage = await form.getByLabel('Measure package').locator('option:not([disabled])').first().getAttribute('value');
    await form.getByLabel('Measure package').selectOption(firstPackage!);
    await screenshot(owner.page, 'tickets-07-group-create-measure');
    await form.getByRole('button', { name: 'Create measure' }).click();

    // Assert: the new measure opens, named after the group, at DoI 1, and lists the group.
    await expect.poll(() => owner.page.url()).toMatch(/\/measures\/[0-9a-f-]{36}$/);
    await expect.poll(() => owner.page.getByRole('heading', { level: 1 }).textContent()).toContain(`Remove recurring tickets: ${secondTitle}`);
    const recurring = owner.page.getByTestId('measure-tickets');
    await expect.poll(() => recurring.getByRole('link', { name: secondTitle, exact: true }).isVisible()).toBe(true);
    await expect.poll(() => recurring.locator('canvas').count()).toBeGreaterThan(0);
    await screenshot(owner.page, 'tickets-08-new-measure');

    // The measure linked first shows its group too.
    await owner.page.goto(`${run.server.url}/measures/${mine.id}`);
    await expect.poll(() => owner.page.getByTestId('measure-tickets').getByRole('link', { name: firstTitle, exact: true }).isVisible()).toBe(true);
    expect(await owner.page.getByTestId('effect-check').textContent()).toContain('Not at DoI 4 yet');
    await owner.page.getByTestId('measure-tickets').scrollIntoViewIfNeeded();
    await screenshot(owner.page, 'tickets-09-measure-recurring-tickets');

    expect(owner.problems).toEqual([]);
  });

  it('says clearly why an export was refused, and keeps settings for admins while others read them', async () => {
    run.keepEvidenceOnFailure('tickets-errors');
    const admin = await app(DEMO.admin, '/tickets?tab=import');

    // A Jira export sent as ServiceNow: refused by code, with the server's detail (the preview says so first).
    const jira = path.join(run.dataDir, 'jira-export.csv');
    fs.writeFileSync(jira, 'Issue key,Summary,Created\nSD-1,VPN drops,2024-03-12 09:05\n');
    await admin.page.getByLabel('Export file (CSV)').setInputFiles(jira);
    await expect.poll(() => admin.page.getByTestId('preview-format').textContent()).toBe('Jira');
    await admin.page.getByRole('radio', { name: /^ServiceNow/ }).check();
    await expect.poll(() => admin.page.getByTestId('preview-error').textContent()).toContain('a ServiceNow export needs a column for externalId');
    await admin.page.getByRole('button', { name: 'Import tickets' }).click();
    const error = admin.page.getByTestId('import-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain('does not look like a ServiceNow export');
    expect(await error.textContent()).toContain('The server said:');

    // A spreadsheet is refused before anything is sent.
    const xlsx = path.join(run.dataDir, 'tickets.xlsx');
    fs.writeFileSync(xlsx, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]));
    await admin.page.getByLabel('Export file (CSV)').setInputFiles(xlsx);
    await admin.page.getByRole('button', { name: 'Import tickets' }).click();
    await expect.poll(() => error.textContent()).toContain('not a CSV text file');

    // The generic format checks its mapping before sending.
    await admin.page.getByRole('radio', { name: /Other CSV/ }).check();
    await admin.page.getByLabel('Column mapping (JSON)').fill('{ "columns": { "summary": "title" }');
    await admin.page.getByRole('button', { name: 'Import tickets' }).click();
    await expect.poll(() => admin.page.locator('#mapping-problems').textContent()).toContain('not valid JSON');
    await screenshot(admin.page, 'tickets-10-import-refused');

    // Settings: the admin edits N, W and the cost per ticket; a viewer only reads them.
    await admin.page.getByTestId('tab-settings').click();
    await expect.poll(() => admin.page.getByLabel('Cost per ticket (EUR)').inputValue()).toBe('25.00');
    await admin.page.getByLabel('Cost per ticket (EUR)').fill('30');
    await admin.page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => admin.page.getByTestId('ticket-settings').getByRole('status').textContent()).toContain('Saved');
    await expect.poll(() => admin.page.getByTestId('tickets-subtitle').textContent()).toContain('€30.00 a ticket');
    await admin.page.getByLabel('First response within').fill('2h');
    await admin.page.getByLabel('Resolution within').fill('1h');
    await admin.page.getByRole('button', { name: 'Save SLA target' }).click();
    await expect.poll(() => admin.page.locator('#sla-resolution-hint').textContent()).toContain('before the first response');
    await screenshot(admin.page, 'tickets-11-settings-admin');

    const viewer = await app(DEMO.viewer, '/tickets?tab=settings');
    await expect.poll(() => viewer.page.getByTestId('ticket-settings').textContent()).toContain('€30.00');
    expect(await viewer.page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await viewer.page.getByTestId('sla-policies').locator('tbody tr').count()).toBe(5);
    await viewer.page.goto(`${run.server.url}/tickets?tab=import`);
    await expect.poll(() => viewer.page.getByRole('heading', { name: 'Importing is for admins' }).isVisible()).toBe(true);
    // A viewer reads the groups but is offered no link or new measure.
    await viewer.page.goto(`${run.server.url}/tickets`);
    await expect.poll(() => groupRows(viewer.page).count()).toBeGreaterThan(0);
    await groupRows(viewer.page).nth(2).locator('td.title a').click();
    await expect.poll(() => viewer.page.getByTestId('group-links').isVisible()).toBe(true);
    expect(await viewer.page.getByRole('button', { name: 'Link to a measure' }).count()).toBe(0);
    expect(await viewer.page.getByRole('button', { name: 'Create measure from group' }).count()).toBe(0);

    // The refused preview and upload are HTTP 400 by design, which Chromium logs for every failed request;
    // nothing else may show (the spreadsheet is never sent).
    const refusal = /the server responded with a status of 400/;
    expect(admin.problems.filter((p) => refusal.test(p))).toHaveLength(2);
    expect(admin.problems.filter((p) => !refusal.test(p))).toEqual([]);
    expect(viewer.problems).toEqual([]);
  });

  it('stays usable at 1024 pixels wide', async () => {
    run.keepEvidenceOnFailure('tickets-1024');
    const admin = await app(DEMO.admin, '/tickets', 1024, 768);
    await expect.poll(() => groupRows(admin.page).count()).toBeGreaterThan(0);
    const firstGroup = await groupRows(admin.page).nth(0).locator('td.title a').getAttribute('href');
    for (const [route, name] of [
      ['/tickets', 'tickets-12-groups-1024'],
      ['/tickets?tab=tickets', 'tickets-13-all-tickets-1024'],
      ['/tickets?tab=import', 'tickets-14-import-1024'],
      ['/tickets?tab=settings', 'tickets-15-settings-1024'],
      [firstGroup!, 'tickets-16-group-1024'],
    ] as const) {
      await admin.page.goto(`${run.server.url}${route}`);
      await admin.page.waitForLoadState('networkidle');
      await settled(admin.page);
      expect(await admin.page.evaluate(() => document.documentElement.scrollWidth), route).toBeLessThanOrEqual(1024);
      await screenshot(admin.page, name);
    }

    // Keyboard: the tabs and the first group are reachable with Tab alone.
    await admin.page.goto(`${run.server.url}/tickets`);
    await expect.poll(() => groupRows(admin.page).count()).toBeGreaterThan(0);
    const reached: string[] = [];
    for (let i = 0; i < 40 && !reached.some((t) => t.startsWith('group:')); i++) {
      await admin.page.keyboard.press('Tab');
      reached.push(
        await admin.page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return '';
          if (el.closest('[data-testid="ticket-groups"] td.title')) return `group:${el.textContent?.trim()}`;
          return `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}`;
        }),
      );
    }
    expect(reached).toContain('a:Import');
    expect(reached.some((t) => t.startsWith('group:'))).toBe(true);
    await admin.page.keyboard.press('Enter');
    await expect.poll(() => admin.page.url()).toContain('/tickets/groups/');
    expect(admin.problems).toEqual([]);
  });
});

describe('the import preview', () => {
  it('shows how a real export will be read, asks for the date order it leaves open, and imports with the warnings', async () => {
    run.keepEvidenceOnFailure('tickets-preview');
    const admin = await app(DEMO.admin, '/tickets?tab=import');

    // Action: choose a ServiceNow list export whose every date could be day/month or month/day.
    await admin.page.getByLabel('Export file (CSV)').setInputFiles(UNDECIDED_DATES);

    // Assert: what was recognised, the columns, the first rows and the warnings, before anything is written.
    const preview = admin.page.getByTestId('import-preview');
    await expect.poll(() => admin.page.getByTestId('preview-format').textContent()).toBe('ServiceNow');
    expect(await admin.page.getByTestId('preview-delimiter').textContent()).toBe('comma');
    expect(await admin.page.getByTestId('preview-encoding').textContent()).toBe('UTF-8');
    expect(await admin.page.getByTestId('preview-column-names').textContent()).toBe('English');
    expect(await admin.page.getByTestId('preview-date-order').textContent()).toContain('not settled by the first rows ("03-11-2025 10:50:40" (Created, line 2)): choose it');
    expect(await admin.page.getByTestId('preview-time-zone').textContent()).toBe('UTC');
    expect(await preview.getByTestId('column-externalId').inputValue()).toBe('Number');
    expect(await preview.getByTestId('column-updatedAt').inputValue()).toBe('Last update');
    expect(await preview.getByTestId('preview-rows').locator('tbody tr').count()).toBe(20);
    expect(await preview.getByTestId('preview-rows').locator('tbody tr').first().textContent()).toContain('the day/month order of the file is not known');
    expect(await preview.getByTestId('preview-warnings').textContent()).toContain('24 rows have no priority (priority)');
    expect(await admin.page.getByTestId('import-date-order').getAttribute('aria-invalid')).toBe('true');
    await screenshot(admin.page, 'tickets-17-preview-date-order-open');

    // Importing before choosing is refused with the question; nothing is imported.
    await admin.page.getByRole('button', { name: 'Import tickets' }).click();
    await expect.poll(() => admin.page.getByTestId('import-error').textContent()).toContain('--date-order dmy or --date-order mdy');

    // Action: the person knows the desk writes month first; the preview reads the rows with it.
    await admin.page.getByTestId('import-date-order').selectOption('mdy');
    await expect.poll(() => admin.page.getByTestId('preview-date-order').textContent()).toBe('month/day (as chosen)');
    const firstRow = preview.getByTestId('preview-rows').locator('tbody tr').first();
    await expect.poll(() => firstRow.textContent()).toContain('INC2908376');
    expect(await firstRow.textContent()).toContain('On Hold');
    expect(await firstRow.textContent()).toContain('2025-03-11 10:50');
    expect(await preview.getByTestId('preview-rows').textContent()).not.toContain('Rejected');
    await screenshot(admin.page, 'tickets-18-preview-month-first');

    // Action: import. Assert: every row in, the warnings and how the file was read in the result.
    await admin.page.getByRole('button', { name: 'Import tickets' }).click();
    await expect.poll(() => admin.page.getByTestId('import-result').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await admin.page.getByTestId('result-rows').textContent()).toBe('24');
    expect(await admin.page.getByTestId('result-inserted').textContent()).toBe('24');
    expect(await admin.page.getByTestId('result-rejected').textContent()).toBe('0');
    expect(await admin.page.getByTestId('result-warnings').textContent()).toContain('24 rows have no priority (priority), and nothing to derive one from: kept as UNKNOWN.');
    expect(await admin.page.getByTestId('result-recognition').textContent()).toContain('date order month/day (as chosen)');
    await screenshot(admin.page, 'tickets-19-import-with-warnings');

    // The refused upload is an HTTP 400 by design; nothing else may show.
    const refusal = /the server responded with a status of 400/;
    expect(admin.problems.filter((p) => !refusal.test(p))).toEqual([]);
  });

  // The page itself fits a phone through the responsive shell (main's decdfcc, "the navigation folds into a menu
  // below 960 px"); this test checks that the import panel, its preview and its result add no sideways scrolling.
  it('fits a phone: the preview and the result scroll inside their tables, never the page', async () => {
    run.keepEvidenceOnFailure('tickets-preview-390');
    const phone = await app(DEMO.admin, '/tickets?tab=import', 390, 844);
    await phone.page.getByLabel('Export file (CSV)').setInputFiles(UNDECIDED_DATES);
    await phone.page.getByTestId('import-date-order').selectOption('mdy');
    await expect.poll(() => phone.page.getByTestId('preview-date-order').textContent()).toBe('month/day (as chosen)');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone.page, 'tickets-20-preview-390');

    // Imported (again, after the test above: then nothing is doubled or changed).
    await phone.page.getByRole('button', { name: 'Import tickets' }).click();
    await expect.poll(() => phone.page.getByTestId('import-result').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await phone.page.getByTestId('result-rows').textContent()).toBe('24');
    expect(await phone.page.getByTestId('result-rejected').textContent()).toBe('0');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone.page, 'tickets-21-result-390');
    expect(phone.problems).toEqual([]);
  });
});
