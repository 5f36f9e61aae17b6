import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gql, login, signIn, spreadYearly } from './support/app.js';
import { SCREENSHOT_DIR, screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';
import { tinyPdf } from './support/files.js';

/**
 * Issue 14's first "Done when": from an empty organisation (no demo data, the first admin from the environment),
 * everything through the web app alone, up to an owner's gate request. The API is only read, at the end, to check
 * what the pages did.
 */
const ORG = 'Contoso Support';
const ADMIN = { email: 'it-admin@contoso.example', envPassword: 'from-the-environment-42', password: 'the admins own passphrase' };
const OWNER = { name: 'Olga Owner', email: 'olga.owner@contoso.example', password: 'olgas own passphrase' };
const CONTROLLER = { name: 'Carl Controller', email: 'carl.controller@contoso.example' };
const VIEWER = { name: 'Vic Viewer', email: 'vic.viewer@contoso.example' };
const UNIT_A = 'Service Desk';
const UNIT_B = 'Infrastructure';
const PROGRAM = 'Ticket reduction 2027';
const PACKAGE = 'Self-service';
const TITLE = 'Password reset self-service portal';

const run = demoServerForFile('empty-org', { DEMO_DATA: 'off', ORG_NAME: ORG, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.envPassword });
const fresh = () => run.open(1280, 900);

/** The element's text once it is there ('' until then), for polling. */
const textOf = (l: Locator) => l.textContent({ timeout: 1000 }).catch(() => '');

/** A screenshot of one card, beside the full-page ones, to read it at its size. */
async function cardShot(card: Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Chooses a node of the admin tree and waits for its editor. */
async function choose(page: Page, name: string, kind: string): Promise<void> {
  await page.getByTestId(`node-${name}`).click();
  await expect.poll(() => textOf(page.getByTestId('node-editor').getByRole('heading', { level: 2 }))).toBe(`${kind}: ${name}`);
}

/** Invites a person on the People tab and returns the one-time link the page shows. */
async function invite(page: Page, person: { name: string; email: string }): Promise<string> {
  await page.getByTestId('invite-name').fill(person.name);
  await page.getByTestId('invite-email').fill(person.email);
  await page.getByTestId('invite-role').selectOption('VIEWER');
  await page.getByTestId('invite-scope').selectOption({ label: ORG });
  await page.getByTestId('invite-submit').click();
  await expect.poll(() => textOf(page.getByTestId('one-time-link'))).toContain(`${person.name} was invited`);
  await expect.poll(() => textOf(page.getByTestId(`person-${person.email}`).getByTestId('person-status'))).toBe('Invited');
  return (await page.getByTestId('one-time-link-value').textContent())!.trim();
}

async function grant(page: Page, person: string, role: string): Promise<void> {
  await page.getByTestId('grant-person').selectOption({ label: person });
  await page.getByTestId('grant-role').selectOption({ label: role });
  await page.getByTestId('grant-submit').click();
  await expect.poll(() => textOf(page.getByTestId('grants-HERE'))).toContain(`${person} — ${role} on ${UNIT_A}`);
}

describe('an organisation set up from nothing, in the browser', () => {
  it('the first admin builds the structure, invites and grants, edits a gate; an owner files a gate request', async () => {
    run.keepEvidenceOnFailure('empty-organisation');

    // The first admin signs in with the password from the environment and must choose their own first.
    const admin = await fresh();
    const a = admin.page;
    await a.goto(`${run.server.url}/`);
    await expect.poll(() => a.url()).toContain('/sign-in');
    await signIn(a, ADMIN.email, ADMIN.envPassword);
    await expect.poll(() => a.url()).toBe(`${run.server.url}/account?required=1`);
    await expect.poll(() => a.getByTestId('must-change-password').isVisible()).toBe(true);
    await screenshot(a, 'empty-org-01-forced-password-change');
    await a.getByTestId('current-password').fill(ADMIN.envPassword);
    await a.getByTestId('new-password').fill(ADMIN.password);
    await a.getByTestId('repeat-password').fill(ADMIN.password);
    await a.getByTestId('change-password-submit').click();
    await expect.poll(() => a.url()).toBe(`${run.server.url}/`);

    // Structure: two org units, a program in the first, a package in the program.
    await a.getByRole('link', { name: 'Admin', exact: true }).click();
    await expect.poll(() => a.url()).toBe(`${run.server.url}/admin`);
    await expect.poll(() => a.getByText('Nothing to administer here yet.').isVisible()).toBe(true);
    await screenshot(a, 'empty-org-02-empty-structure');
    for (const unit of [UNIT_A, UNIT_B]) {
      await a.getByLabel('New top-level org unit').fill(unit);
      await a.getByTestId('create-top-unit').click();
      await expect.poll(() => a.getByTestId(`node-${unit}`).isVisible()).toBe(true);
    }
    await choose(a, UNIT_A, 'Org unit');
    await a.getByLabel('Add a program').fill(PROGRAM);
    await a.getByLabel('Objective of the new program').fill('Fewer tickets by letting people help themselves');
    await a.getByLabel('Add a program').press('Enter');
    await expect.poll(() => a.getByTestId(`node-${PROGRAM}`).isVisible()).toBe(true);
    await choose(a, PROGRAM, 'Program');
    await a.getByLabel('Add a measure package').fill(PACKAGE);
    await a.getByLabel('Add a measure package').press('Enter');
    await expect.poll(() => a.getByTestId(`node-${PACKAGE}`).isVisible()).toBe(true);
    expect(await a.getByTestId('admin-tree').locator('.node-name').allTextContents()).toEqual([UNIT_B, UNIT_A, PROGRAM, PACKAGE]);
    await screenshot(a, 'empty-org-03-structure');

    // People: three invitations, each link shown once on the page.
    await a.getByTestId('admin-tab-people').click();
    await expect.poll(() => a.url()).toBe(`${run.server.url}/admin/people`);
    // An admin of the organisation invites on it; the roles on the org units follow on the Roles tab.
    await expect.poll(() => a.getByTestId('invite-scope').locator('option', { hasText: ORG }).count()).toBe(1);
    const ownerLink = await invite(a, OWNER);
    expect(ownerLink).toMatch(new RegExp(`^${run.server.url}/set-password\\?token=[\\w-]{43}$`));
    await invite(a, CONTROLLER);
    await invite(a, VIEWER);
    await screenshot(a, 'empty-org-04-people-invited');

    // Roles on the first org unit: owner, controller, viewer.
    await a.getByTestId('admin-tab-roles').click();
    await a.getByTestId('grant-scope').selectOption({ label: UNIT_A });
    await grant(a, OWNER.name, 'Owner');
    await grant(a, CONTROLLER.name, 'Controller');
    await grant(a, VIEWER.name, 'Viewer');
    expect(await textOf(a.getByTestId('grants-HERE'))).toContain('inherited by 1 program');
    await screenshot(a, 'empty-org-05-roles');

    // Gate templates: the gate to DoI 2 asks for a full year of plan values and one more checklist item.
    await a.getByTestId('admin-tab-templates').click();
    await a.getByLabel('Threshold of Plan values entered, gate to DoI 2').fill('12');
    await a.getByLabel('New checklist item, gate to DoI 2').fill('Service desk team briefed');
    await a.getByTestId('gate-2').getByRole('button', { name: 'Add', exact: true }).click();
    await a.getByTestId('save-template').click();
    await expect.poll(() => textOf(a.getByTestId('version-diff'))).toContain('Plan values entered: at least 1 → at least 12');
    expect(await textOf(a.getByTestId('version-diff'))).toContain('Service desk team briefed');
    await screenshot(a, 'empty-org-06-gate-template');
    expect(admin.problems).toEqual([]);

    // The owner opens their link in their own browser and chooses a password: signed in, on the portfolio.
    const owner = await fresh();
    const o = owner.page;
    await o.goto(ownerLink);
    await o.getByTestId('new-password').fill(OWNER.password);
    await o.getByTestId('repeat-password').fill(OWNER.password);
    await o.getByTestId('set-password-submit').click();
    await expect.poll(() => o.url()).toBe(`${run.server.url}/`);
    await expect.poll(() => textOf(o.getByTestId('user-name'))).toContain(OWNER.name);
    await expect.poll(() => o.locator('.portfolio[data-ready="true"]').count(), { timeout: 20_000 }).toBe(1);
    // Nothing yet: the bridge says so rather than drawing bars of nothing.
    expect(await o.getByTestId('bridge-empty').textContent()).toBe('No potential in this scope between these dates.');
    await screenshot(o, 'empty-org-07-owner-portfolio');

    // A new measure in the package.
    await o.getByRole('link', { name: 'Measures', exact: true }).click();
    await o.getByTestId('new-measure-link').click();
    await expect.poll(() => o.url()).toBe(`${run.server.url}/measures/new`);
    const form = o.getByTestId('new-measure-form');
    await expect.poll(() => form.locator('#new-package option:not([disabled])').count()).toBe(1);
    await form.getByLabel('Measure package').selectOption({ label: PACKAGE });
    await form.getByLabel('Lever').selectOption('COST_REDUCTION');
    await form.getByLabel('Title').fill(TITLE);
    await expect.poll(() => form.locator('#new-sponsor option', { hasText: VIEWER.name }).count()).toBe(1);
    await form.getByLabel('Sponsor').selectOption({ label: VIEWER.name });
    await expect.poll(() => form.locator('#new-controller option', { hasText: CONTROLLER.name }).count()).toBe(1);
    await form.getByLabel('Controller').selectOption({ label: CONTROLLER.name });
    await form.getByLabel('Rough potential a year').fill('120,000.00');
    await form.getByLabel('Business case').fill('About 600 password reset tickets a month; a self-service portal resolves most without an agent.');
    await screenshot(o, 'empty-org-08-new-measure');
    await form.getByRole('button', { name: 'Create measure' }).click();
    await expect.poll(() => /\/measures\/[0-9a-f-]{36}$/.test(o.url())).toBe(true);
    const id = o.url().split('/').pop()!;

    // Plan values: 120,000 spread evenly over twelve months, saved.
    const start = await spreadYearly(o, '120,000.00');
    await o.getByRole('button', { name: 'Save values' }).click();
    await expect.poll(() => o.getByTestId('criterion-PLAN_VALUES').getAttribute('class')).toContain('passed');
    // Saved: the tool no longer asks to save.
    await expect.poll(() => o.getByTestId('values-tool-message').count()).toBe(0);
    await screenshot(o, 'empty-org-09-plan-spread');
    await cardShot(o.locator('section.card', { has: o.getByRole('heading', { name: 'Monthly values' }) }), 'empty-org-09a-values-card');

    // A PDF attached as evidence.
    const pdf = tinyPdf('Business case: password reset self-service');
    const card = o.getByTestId('evidence');
    await expect.poll(() => card.isVisible()).toBe(true);
    await card.getByTestId('evidence-source-file').check();
    await card.getByLabel('File', { exact: true }).setInputFiles({ name: 'business case.pdf', mimeType: 'application/pdf', buffer: pdf });
    await card.getByLabel('Kind').selectOption('VALUE');
    await card.getByRole('button', { name: 'Attach file' }).click();
    const item = card.locator('li', { hasText: 'business case.pdf' });
    await expect.poll(() => item.count()).toBe(1);
    expect((await item.getByTestId('evidence-file').textContent())?.replace(/\s+/g, ' ').trim()).toBe(`business case.pdf · PDF · ${pdf.length} B`);

    // The gate request to DoI 2, every automatic criterion met.
    for (const c of ['ROUGH_POTENTIAL', 'PLAN_VALUES', 'CONTROLLER_ASSIGNED', 'SPONSOR_ASSIGNED', 'BUSINESS_CASE']) {
      expect(await o.getByTestId(`criterion-${c}`).getAttribute('class'), c).toContain('passed');
    }
    await o.getByLabel('Note for the deciders').fill('Plan and business case are in; asking for DoI 2.');
    await o.getByRole('button', { name: 'Request gate to DoI 2' }).click();
    await expect.poll(() => o.getByTestId('pending-request').isVisible()).toBe(true);
    await screenshot(o, 'empty-org-10-gate-requested');
    await cardShot(o.getByTestId('next-gate'), 'empty-org-10a-next-gate-card');
    await cardShot(card, 'empty-org-10b-evidence-card');
    expect(owner.problems).toEqual([]);

    // Read back through the API: what the pages did is what the server holds.
    const token = await login(run.server.url, OWNER.email, OWNER.password);
    const res = await gql<{
      measure: {
        doi: number;
        owner: { email: string };
        sponsor: { name: string };
        controller: { name: string };
        package: { name: string; program: { name: string; orgUnit: { name: string } } };
        values: { month: string; kind: string; amount: string }[];
        evidence: { kind: string; file: { name: string; sha256: string; size: number; type: string } | null }[];
        pendingGateRequest: { toDoi: number; note: string; requestedBy: { email: string } } | null;
      };
    }>(
      run.server.url,
      `query($id: ID!) { measure(id: $id) {
        doi owner { email } sponsor { name } controller { name }
        package { name program { name orgUnit { name } } }
        values { month kind amount }
        evidence { kind file { name sha256 size type } }
        pendingGateRequest { toDoi note requestedBy { email } }
      } }`,
      { id },
      token,
    );
    expect(res.errors).toBeUndefined();
    const m = res.data!.measure;
    expect(m).toMatchObject({
      doi: 1,
      owner: { email: OWNER.email },
      // Other people's e-mail addresses are not the owner's to read: their names are.
      sponsor: { name: VIEWER.name },
      controller: { name: CONTROLLER.name },
      package: { name: PACKAGE, program: { name: PROGRAM, orgUnit: { name: UNIT_A } } },
      pendingGateRequest: { toDoi: 2, note: 'Plan and business case are in; asking for DoI 2.', requestedBy: { email: OWNER.email } },
    });
    const plan = m.values.filter((v) => v.kind === 'PLAN').sort((x, y) => x.month.localeCompare(y.month));
    expect(plan).toHaveLength(12);
    expect(plan[0].month).toBe(start);
    expect(plan.map((v) => v.amount)).toEqual(Array(12).fill('10000.00'));
    expect(m.evidence).toEqual([
      { kind: 'VALUE', file: { name: 'business case.pdf', sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.length, type: 'application/pdf' } },
    ]);

    // ...and the admin's work: the roles on the first unit and the template's new version.
    const adminToken = await login(run.server.url, ADMIN.email, ADMIN.password);
    const people = await gql<{ users: { email: string; roles: { role: string; scopeId: string }[] }[]; orgUnits: { id: string; name: string }[] }>(
      run.server.url,
      `{ users { email roles { role scopeId } } orgUnits { id name } }`,
      {},
      adminToken,
    );
    expect(people.errors).toBeUndefined();
    const unitA = people.data!.orgUnits.find((u) => u.name === UNIT_A)!.id;
    const onA = (email: string) => people.data!.users.find((u) => u.email === email)!.roles.filter((r) => r.scopeId === unitA).map((r) => r.role);
    expect([onA(OWNER.email), onA(CONTROLLER.email), onA(VIEWER.email)]).toEqual([['OWNER'], ['CONTROLLER'], ['VIEWER']]);
  });
});
