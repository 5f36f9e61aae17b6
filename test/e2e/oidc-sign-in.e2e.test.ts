import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOidcProvider, type TestOidcProvider } from '../../server/src/testing/oidc-provider.js';
import { freePort } from '../../server/src/testing/free-port.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { DEMO, openApp, tableSettled } from './support/app.js';
import { launchChromium, screenshot } from './support/browser.js';
import { instrumentContext, seriousA11yViolations } from './support/page-checks.js';

/**
 * Single sign-on in the browser against a real OpenID Connect provider (`oidc-provider`), started here on
 * `localhost` while Gatehouse is at 127.0.0.1 (two sites, as in production): the person clicks "Sign in with
 * Northwind ID", signs in and consents on the provider's own pages, and lands in the dashboard signed in.
 */
let idp: TestOidcProvider;
let browser: Browser;
const servers: ServerProcess[] = [];
const dataDirs: string[] = [];

const ACCOUNTS = [
  { sub: 'vera', email: DEMO.viewer, email_verified: true, name: 'Vera at Northwind ID' },
  { sub: 'olivia-unverified', email: DEMO.owner, email_verified: false },
  { sub: 'nina', email: 'nina.newcomer@northwind.example', email_verified: true, name: 'Nina Newcomer' },
];

/** The two servers' ports, chosen first: the provider's client lists their callbacks before its first request. */
const ports: number[] = [];
const callbackOf = (port: number) => `http://127.0.0.1:${port}/auth/oidc/callback`;

/** A Gatehouse server (built, embedded database with the demo) pointed at the provider. */
async function gatehouse(port: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const callback = callbackOf(port);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-oidc-e2e-'));
  dataDirs.push(dataDir);
  const server = await startServer({ DATA_DIR: dataDir, PORT: String(port), ...idp.env(callback), OIDC_PROVIDER_NAME: 'Northwind ID', ...env });
  servers.push(server);
  return server;
}

/** The provider's pages: its login form (any password), then its consent. */
async function signInAtProvider(page: Page, login: string, shotPrefix?: string): Promise<void> {
  await expect.poll(() => page.url()).toContain(`${idp.issuer}/interaction/`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  if (shotPrefix) await screenshot(page, `${shotPrefix}-provider-login`);
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Continue' }).isVisible()).toBe(true);
  if (shotPrefix) await screenshot(page, `${shotPrefix}-provider-consent`);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * Console problems while a Gatehouse page was open (the provider's dev pages ask for a web font this offline
 * machine cannot load, and have no favicon).
 */
function watchOurPages(page: Page, server: ServerProcess): string[] {
  const problems: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && page.url().startsWith(server.url) && problems.push(`${page.url()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

beforeAll(async () => {
  idp = await startTestOidcProvider({ accounts: ACCOUNTS, host: 'localhost' });
  while (ports.length < 2) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  for (const port of ports) idp.allowRedirect(callbackOf(port));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
  await idp?.close();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('single sign-on with OpenID Connect', () => {
  it('signs a known person in through the provider, and explains a cancelled sign-in and an unverified address', async () => {
    const server = await gatehouse(ports[0]!);

    const { page, close } = await openApp(browser);
    const problems = watchOurPages(page, server);
    await page.goto(`${server.url}/measures`);
    await expect.poll(() => page.getByRole('link', { name: 'Sign in with Northwind ID' }).isVisible()).toBe(true);
    // Password sign-in is still on: the form is there too.
    expect(await page.getByLabel('Password').isVisible()).toBe(true);
    await screenshot(page, 'oidc-01-sign-in-page');

    await page.getByRole('link', { name: 'Sign in with Northwind ID' }).click();
    await signInAtProvider(page, 'vera', 'oidc-02');
    await expect.poll(() => page.getByTestId('user-name').isVisible()).toBe(true);
    // Back on the page asked for before signing in.
    expect(page.url()).toBe(`${server.url}/measures`);
    expect(await page.getByTestId('user-name').textContent()).toBe('Vera Viewer');
    expect(await page.getByTestId('user-roles').textContent()).toBe('Viewer');
    // A normal Gatehouse session: the httpOnly, SameSite=Strict cookie, not Secure over plain http.
    const cookies = await page.context().cookies(server.url);
    const session = cookies.find((c) => c.name === 'gh_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    expect(cookies.find((c) => c.name === 'gh_oidc_state')).toBeUndefined();
    // The measures a viewer reads, over the session the provider's sign-in started.
    await tableSettled(page);
    expect(await page.locator('table.measures tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'oidc-04-signed-in');
    expect(problems).toEqual([]);
    await close();

    // Cancelled at the provider: back on the sign-in page with the reason.
    const cancelled = await openApp(browser);
    await cancelled.page.goto(`${server.url}/sign-in`);
    await cancelled.page.getByRole('link', { name: 'Sign in with Northwind ID' }).click();
    await expect.poll(() => cancelled.page.url()).toContain(`${idp.issuer}/interaction/`);
    await cancelled.page.getByRole('link', { name: '[ Cancel ]' }).click();
    await expect.poll(() => cancelled.page.url()).toBe(`${server.url}/sign-in?sso_error=denied`);
    await expect.poll(() => cancelled.page.getByTestId('sso-error').textContent()).toBe(
      'Signing in with Northwind ID was cancelled or refused. Try again, or ask your administrator.',
    );
    await cancelled.close();

    // The provider does not vouch for the address: refused, said plainly, no session.
    const unverified = await openApp(browser);
    await instrumentContext(unverified.page.context());
    const unverifiedProblems = watchOurPages(unverified.page, server);
    await unverified.page.goto(`${server.url}/sign-in`);
    await unverified.page.getByRole('link', { name: 'Sign in with Northwind ID' }).click();
    await signInAtProvider(unverified.page, 'olivia-unverified');
    await expect.poll(() => unverified.page.url()).toBe(`${server.url}/sign-in?sso_error=unverified_email`);
    await expect.poll(() => unverified.page.getByRole('alert').textContent()).toContain('Northwind ID has not verified your e-mail address');
    expect(await unverified.page.textContent('body')).not.toMatch(/Error:|at .*\.js:\d+/);
    expect((await unverified.page.context().cookies(server.url)).find((c) => c.name === 'gh_session')).toBeUndefined();
    await screenshot(unverified.page, 'oidc-05-unverified-email');
    expect(await seriousA11yViolations(unverified.page)).toEqual([]);
    expect(unverifiedProblems).toEqual([]);
    await unverified.close();

    // Someone the provider knows but Gatehouse does not, with creation off.
    const stranger = await openApp(browser);
    await stranger.page.goto(`${server.url}/sign-in`);
    await stranger.page.getByRole('link', { name: 'Sign in with Northwind ID' }).click();
    await signInAtProvider(stranger.page, 'nina');
    await expect.poll(() => stranger.page.url()).toBe(`${server.url}/sign-in?sso_error=unknown_user`);
    await expect.poll(() => stranger.page.getByRole('alert').textContent()).toContain('Gatehouse has no account for the person Northwind ID signed in');
    await stranger.close();
  });

  it('with password sign-in off, shows only the provider’s button and creates a newcomer with no role', async () => {
    const server = await gatehouse(ports[1]!, { PASSWORD_SIGN_IN: 'false', OIDC_CREATE_USERS: 'true' });
    const { page, close } = await openApp(browser);
    await instrumentContext(page.context());
    const problems = watchOurPages(page, server);
    await page.goto(`${server.url}/sign-in`);
    await expect.poll(() => page.getByRole('link', { name: 'Sign in with Northwind ID' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await page.getByLabel('E-mail').count()).toBe(0);
    await screenshot(page, 'oidc-06-sso-only');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Sign in with Northwind ID' }).click();
    await signInAtProvider(page, 'nina');
    await expect.poll(() => page.getByTestId('user-name').isVisible()).toBe(true);
    expect(await page.getByTestId('user-name').textContent()).toBe('Nina Newcomer');
    expect(await page.getByTestId('user-roles').textContent()).toBe('No roles');
    await screenshot(page, 'oidc-07-newcomer-signed-in');
    expect(problems).toEqual([]);
    await close();

    // The password mutation itself refuses, with its reason.
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { login(email: "${DEMO.admin}", password: "demo-password") { token } }` }),
    });
    const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PASSWORD_SIGN_IN_OFF' });
  });
});
