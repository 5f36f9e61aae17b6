import { describe, expect, it } from 'vitest';
import { DEMO, gql, login, signIn } from './support/app.js';
import { screenshot } from './support/browser.js';
import { demoServerForFile } from './support/demo-server.js';

const run = demoServerForFile('people');

describe('people administration in the browser', () => {
  it('an admin invites a person on a phone; the person sets a password by the link and lands signed in; the admin ends their session; they change their password', async () => {
    run.keepEvidenceOnFailure('admin-people');
    // Setup: the admin on a phone-sized screen, on the People page
    const admin = await run.signedIn(DEMO.admin, { at: '/admin/people', width: 390, height: 844 });
    await expect.poll(() => admin.page.getByTestId('people-list').isVisible()).toBe(true);

    // Action: invite Nina as a viewer of the organisation
    await admin.page.getByTestId('invite-name').fill('Nina Newcomer');
    await admin.page.getByTestId('invite-email').fill('nina.newcomer@northwind.example');
    await admin.page.getByTestId('invite-role').selectOption('VIEWER');
    await admin.page.getByTestId('invite-submit').click();
    // Assert: the link is shown once, with a copy button
    await expect.poll(() => admin.page.getByTestId('one-time-link').isVisible()).toBe(true);
    const link = (await admin.page.getByTestId('one-time-link-value').textContent())!.trim();
    expect(link).toMatch(new RegExp(`^${run.server.url}/set-password\\?token=[\\w-]{43}$`));
    expect(await admin.page.getByTestId('copy-link').isVisible()).toBe(true);
    await expect.poll(() => admin.page.getByTestId('person-nina.newcomer@northwind.example').getByTestId('person-status').textContent()).toBe('Invited');
    expect(await admin.page.getByTestId('person-admin@northwind.example').getByTestId('person-status').textContent()).toBe('Active');
    // Nothing overflows the phone's width
    expect(await admin.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(admin.page, 'admin-people-invited-phone');

    // Action: Nina opens the link in her own browser; a short password is refused on the page, then hers is set
    const nina = await run.open();
    await nina.page.goto(link);
    await expect.poll(() => nina.page.getByTestId('password-hints').textContent()).toContain('At least 12 characters');
    await nina.page.getByTestId('new-password').fill('too short');
    await nina.page.getByTestId('repeat-password').fill('too short');
    await nina.page.getByTestId('set-password-submit').click();
    await expect.poll(() => nina.page.getByRole('alert').first().textContent()).toContain('at least 12 characters');
    await nina.page.getByTestId('new-password').fill('ninas own passphrase');
    await nina.page.getByTestId('repeat-password').fill('ninas own passphrase');
    await screenshot(nina.page, 'set-password-page');
    await nina.page.getByTestId('set-password-submit').click();
    // Assert: signed in, on the portfolio
    await expect.poll(() => nina.page.url()).toBe(`${run.server.url}/`);
    await expect.poll(() => nina.page.getByTestId('user-name').textContent()).toContain('Nina Newcomer');
    await screenshot(nina.page, 'set-password-signed-in');
    // The link does not work twice
    const reuse = await run.open();
    await reuse.page.goto(link);
    await reuse.page.getByTestId('new-password').fill('another passphrase here');
    await reuse.page.getByTestId('repeat-password').fill('another passphrase here');
    await reuse.page.getByTestId('set-password-submit').click();
    await expect.poll(() => reuse.page.getByTestId('link-problem').textContent()).toContain('used already');

    // Action: the admin finds Nina, opens her sessions and ends the one she has
    await admin.page.getByTestId('people-search').fill('nina.newcomer');
    await expect.poll(() => admin.page.locator('[data-testid^="person-"][data-testid$="@northwind.example"]').count()).toBe(1);
    const row = admin.page.getByTestId('person-nina.newcomer@northwind.example');
    await expect.poll(() => row.getByTestId('person-status').textContent()).toBe('Active');
    await row.getByTestId('show-sessions').click();
    await expect.poll(() => row.getByTestId('session-row').count()).toBe(1);
    expect(await row.getByTestId('session-row').textContent()).toContain('Chrome');
    await screenshot(admin.page, 'admin-people-sessions-phone');
    await row.getByTestId('session-row').getByRole('button', { name: 'End' }).click();
    await expect.poll(() => row.getByTestId('no-sessions').isVisible()).toBe(true);
    // Assert: Nina's next step sends her to sign in
    await nina.page.goto(`${run.server.url}/measures`);
    await expect.poll(() => nina.page.url()).toContain('/sign-in');

    // Action: Nina signs in again and changes her own password on her account page
    await nina.page.goto(`${run.server.url}/sign-in?redirect=${encodeURIComponent('/account')}`);
    await signIn(nina.page, 'nina.newcomer@northwind.example', 'ninas own passphrase');
    await expect.poll(() => nina.page.url()).toBe(`${run.server.url}/account`);
    await nina.page.getByTestId('current-password').fill('ninas own passphrase');
    await nina.page.getByTestId('new-password').fill('a fresher passphrase');
    await nina.page.getByTestId('repeat-password').fill('a fresher passphrase');
    await nina.page.getByTestId('change-password-submit').click();
    // Assert
    await expect.poll(() => nina.page.getByTestId('password-changed').isVisible()).toBe(true);
    await screenshot(nina.page, 'account-password-changed');
    await expect(login(run.server.url, 'nina.newcomer@northwind.example', 'a fresher passphrase')).resolves.toBeTruthy();
    expect([...admin.problems, ...nina.problems]).toEqual([]);
  });

  it('someone whose password an admin typed must choose their own before anything else', async () => {
    run.keepEvidenceOnFailure('admin-people');
    // Setup: an account created with a password the admin chose
    const token = await login(run.server.url, DEMO.admin);
    const created = await gql(run.server.url, `mutation { createUser(input: { email: "typed.person@northwind.example", name: "Typed Person", password: "typed-by-an-admin" }) { id } }`, {}, token);
    expect(created.errors).toBeUndefined();
    const person = await run.open();
    // Action
    await person.page.goto(`${run.server.url}/sign-in`);
    await signIn(person.page, 'typed.person@northwind.example', 'typed-by-an-admin');
    // Assert: the account page, whatever was asked for, until the password is changed
    await expect.poll(() => person.page.url()).toBe(`${run.server.url}/account?required=1`);
    await expect.poll(() => person.page.getByTestId('must-change-password').isVisible()).toBe(true);
    await person.page.goto(`${run.server.url}/measures`);
    await expect.poll(() => person.page.url()).toBe(`${run.server.url}/account?required=1`);
    await screenshot(person.page, 'account-must-change-password');
    await person.page.getByTestId('current-password').fill('typed-by-an-admin');
    await person.page.getByTestId('new-password').fill('now truly my own');
    await person.page.getByTestId('repeat-password').fill('now truly my own');
    await person.page.getByTestId('change-password-submit').click();
    await expect.poll(() => person.page.url()).toBe(`${run.server.url}/`);
    expect(person.problems).toEqual([]);
  });
});
