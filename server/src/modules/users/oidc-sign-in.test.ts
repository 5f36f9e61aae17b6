import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app.js';
import { loadConfig } from '../../config/config.js';
import { startTestOidcProvider, type TestOidcProvider } from '../../testing/oidc-provider.js';
import { freePort } from '../../testing/free-port.js';
import { errorCode, startTestApp, testAppConfig, type TestApp } from '../../testing/test-app.js';
import { DEMO_PASSWORD } from '../demo/index.js';
import { localPath, OidcSignIn, type OidcFailure } from './oidc-sign-in.js';

/**
 * Single sign-on against a real OpenID Connect provider (the `oidc-provider` package) on a local port: the whole
 * flow over HTTP (its login and consent forms posted as a browser would), and the matching rules.
 */
let t: TestApp;
let idp: TestOidcProvider;
let app: App;
let appUrl: string;

const ACCOUNTS = [
  { sub: 'viewer-at-idp', email: 'VIEWER@northwind.example', email_verified: true, name: 'Vera at the provider' },
  { sub: 'unverified', email: 'owner@northwind.example', email_verified: false },
  { sub: 'stranger', email: 'stranger@elsewhere.example', email_verified: true, name: 'Stan Stranger' },
];

beforeAll(async () => {
  t = await startTestApp();
  idp = await startTestOidcProvider({ accounts: ACCOUNTS });
  appUrl = `http://127.0.0.1:${await freePort()}`;
  idp.allowRedirect(`${appUrl}/auth/oidc/callback`);
  app = await createApp(testAppConfig({ ...idp.env(`${appUrl}/auth/oidc/callback`), OIDC_PROVIDER_NAME: 'Northwind ID' }), t.db);
  await app.listen(Number(new URL(appUrl).port), '127.0.0.1');
});
afterAll(async () => {
  await app?.stop();
  await idp?.close();
  await t?.close();
});

/** A browser's cookie jar by host, enough for one provider and one application. */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookies ? { cookie: cookies } : {}) } });
    const jar = this.jar.get(u.host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.jar.set(u.host, jar);
    return res;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  /** Follows redirects from `url`; at the provider's forms, posts the login or the consent. Returns the last URL. */
  async signIn(url: string, login: string, options: { cancel?: boolean } = {}): Promise<string> {
    let next = url;
    for (let hop = 0; hop < 20; hop++) {
      const res = await this.get(next);
      if (res.status >= 300 && res.status < 400) {
        next = new URL(res.headers.get('location')!, next).href;
        continue;
      }
      const html = await res.text();
      if (!next.startsWith(idp.issuer)) return next;
      if (options.cancel) {
        next = new URL(/href="([^"]*\/abort)"/.exec(html)![1]!, next).href;
        continue;
      }
      const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)![1]!, next).href;
      const body = html.includes('value="login"') ? new URLSearchParams({ prompt: 'login', login, password: 'any' }) : new URLSearchParams({ prompt: 'consent' });
      const posted = await this.get(action, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      next = new URL(posted.headers.get('location')!, action).href;
    }
    throw new Error('too many redirects');
  }

  async me(): Promise<{ email: string; name: string } | null> {
    const res = await this.get(`${appUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ me { email name } }' }), headers: { 'content-type': 'application/json' } });
    return ((await res.json()) as { data?: { me: { email: string; name: string } | null } }).data?.me ?? null;
  }
}

describe('single sign-on with OpenID Connect', () => {
  it('signs a known person in through the provider, login and consent, into a normal session', async () => {
    const browser = new Browser();
    const landed = await browser.signIn(`${appUrl}/auth/oidc/start?redirect=${encodeURIComponent('/measures?doi=3')}`, 'viewer-at-idp');
    // Back on the page that was asked for before signing in.
    expect(landed).toBe(`${appUrl}/measures?doi=3`);
    expect(await browser.me()).toEqual({ email: 'viewer@northwind.example', name: 'Vera Viewer' });
    // The sign-in's state is used up: the cookie went, and the row with the PKCE verifier too.
    expect(browser.cookie(appUrl, 'gh_oidc_state')).toBeUndefined();
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM oidc_login`)).toEqual([{ n: 0 }]);
    // Matched by the verified address, the subject is remembered; the session is audited like a password sign-in.
    const [user] = await t.db.dataSource.query(`SELECT oidc_issuer, oidc_subject FROM app_user WHERE email = 'viewer@northwind.example'`);
    expect(user).toEqual({ oidc_issuer: idp.issuer, oidc_subject: 'viewer-at-idp' });
  });

  it('lands on the sign-in page with a reason, never a stack, when the person cancels, the state is not ours, or the address is not verified', async () => {
    const cancelled = await new Browser().signIn(`${appUrl}/auth/oidc/start`, 'viewer-at-idp', { cancel: true });
    expect(cancelled).toBe(`${appUrl}/sign-in?sso_error=denied`);
    const unverified = await new Browser().signIn(`${appUrl}/auth/oidc/start`, 'unverified');
    expect(unverified).toBe(`${appUrl}/sign-in?sso_error=unverified_email`);
    const stranger = await new Browser().signIn(`${appUrl}/auth/oidc/start`, 'stranger');
    expect(stranger).toBe(`${appUrl}/sign-in?sso_error=unknown_user`);

    // A callback this browser did not begin (a login CSRF: someone else's code and state) starts no session.
    const attacker = new Browser();
    const start = await attacker.get(`${appUrl}/auth/oidc/start`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const victim = new Browser();
    const res = await victim.get(`${appUrl}/auth/oidc/callback?code=stolen&state=${state}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=state');
    expect(res.headers.getSetCookie().join()).not.toContain('gh_session');
    expect(await victim.me()).toBeNull();
  });

  it('returns only to a page of this site after signing in', async () => {
    expect(localPath('/hierarchy?scope=1')).toBe('/hierarchy?scope=1');
    for (const elsewhere of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'evil', '/sign-in?x', '/auth/oidc/start', '/a\nb', undefined, ['/x']]) {
      expect(localPath(elsewhere), String(elsewhere)).toBe('/');
    }
    const landed = await new Browser().signIn(`${appUrl}/auth/oidc/start?redirect=${encodeURIComponent('//evil.example/')}`, 'viewer-at-idp');
    expect(landed).toBe(`${appUrl}/`);
  });

  it('tells the sign-in page about the provider', async () => {
    const res = await fetch(`${appUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ signInOptions { password oidc { label startUrl } } }' }) });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ signInOptions: { password: true, oidc: { label: 'Northwind ID', startUrl: '/auth/oidc/start' } } });
  });
});

describe('matching the provider’s people', () => {
  const signIn = (createUsers: boolean) =>
    new OidcSignIn(t.db.dataSource, { issuer: 'https://id.test.example', clientId: 'c', clientSecret: 's', redirectUrl: 'https://g.example/auth/oidc/callback', label: 'Test', createUsers });
  const failure = (p: Promise<unknown>) => p.then(() => null, (e: { reason?: OidcFailure }) => e.reason ?? String(e));

  it('finds a person by the stored subject first, then by a verified address (remembering the subject)', async () => {
    const oidc = signIn(false);
    const [controller] = await t.db.dataSource.query(`SELECT id FROM app_user WHERE email = 'controller@northwind.example'`);
    const first = await oidc.person({ sub: 'c-1', email: 'Controller@Northwind.example', email_verified: true });
    expect(first).toMatchObject({ id: controller.id, created: false });
    // The address changed at the provider: the subject still finds the person.
    expect(await oidc.person({ sub: 'c-1', email: 'chris@new-name.example', email_verified: false })).toMatchObject({ id: controller.id });
    // Another subject of the same provider with the same address does not take the account over.
    expect(await failure(oidc.person({ sub: 'c-2', email: 'controller@northwind.example', email_verified: true }))).toBe('unknown_user');
  });

  it('links an account to one subject only when two subjects with its address sign in for the first time at once', async () => {
    const oidc = signIn(false);
    const [sponsor] = await t.db.dataSource.query(`SELECT id FROM app_user WHERE email = 'jonas.berg@northwind.example' AND oidc_subject IS NULL`);
    expect(sponsor).toBeTruthy();
    // Both read the account unlinked before either links it (the statements interleave on PGlite and PostgreSQL alike).
    const results = await Promise.all(['race-1', 'race-2'].map((sub) => failure(oidc.person({ sub, email: 'jonas.berg@northwind.example', email_verified: true }))));
    expect(results.sort()).toEqual([null, 'unknown_user']);
    const [row] = await t.db.dataSource.query(`SELECT oidc_subject FROM app_user WHERE id = $1`, [sponsor.id]);
    const winner = (await failure(oidc.person({ sub: 'race-1', email: 'x@elsewhere.example', email_verified: false }))) === null ? 'race-1' : 'race-2';
    expect(row.oidc_subject).toBe(winner);
    const audits = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE entity_id = $1 AND action = 'user.singleSignOnLinked'`, [sponsor.id]);
    expect(audits[0].n).toBe(1);
  });

  it('refuses an address the provider does not vouch for, and unknown people while creation is off', async () => {
    const oidc = signIn(false);
    const before = await t.checksum();
    expect(await failure(oidc.person({ sub: 's-1', email: 'steering@northwind.example', email_verified: false }))).toBe('unverified_email');
    expect(await failure(oidc.person({ sub: 's-1', email: 'steering@northwind.example' }))).toBe('unverified_email');
    expect(await failure(oidc.person({ sub: 'n-1', email: 'new@northwind.example', email_verified: true }))).toBe('unknown_user');
    expect(await failure(oidc.person({ sub: 'n-1' }))).toBe('unknown_user');
    expect(await t.checksum()).toBe(before);
  });

  it('creates an unknown person with no role and no password when creation is on, once', async () => {
    const oidc = signIn(true);
    const created = await oidc.person({ sub: 'n-2', email: 'New.Person@northwind.example', email_verified: true, name: 'Nora New' });
    expect(created.created).toBe(true);
    const rows = await t.db.dataSource.query(
      `SELECT u.email, u.name, u.password_hash, u.organisation_id = $2 AS in_org, (SELECT count(*)::int FROM role_grant g WHERE g.user_id = u.id) AS roles
         FROM app_user u WHERE u.id = $1`,
      [created.id, t.demo!.organisationId],
    );
    expect(rows).toEqual([{ email: 'new.person@northwind.example', name: 'Nora New', password_hash: null, in_org: true, roles: 0 }]);
    expect(await oidc.person({ sub: 'n-2', email: 'new.person@northwind.example', email_verified: true })).toEqual({ id: created.id, organisationId: created.organisationId, created: false });
    // No password: a password sign-in is refused like a wrong password.
    const login = await t.gql(`mutation { login(email: "new.person@northwind.example", password: "") { token } }`);
    expect(errorCode(login)).toBe('UNAUTHENTICATED');
    const [audit] = await t.db.dataSource.query(`SELECT action FROM audit_entry WHERE entity_id = $1`, [created.id]);
    expect(audit).toEqual({ action: 'user.created' });
  });

  it('refuses a deactivated person', async () => {
    const oidc = signIn(true);
    const { id } = await oidc.person({ sub: 'd-1', email: 'leaving@northwind.example', email_verified: true });
    await t.db.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [id]);
    expect(await failure(oidc.person({ sub: 'd-1', email: 'leaving@northwind.example', email_verified: true }))).toBe('inactive');
  });
});

describe('password sign-in turned off', () => {
  it('refuses login with FORBIDDEN and reason PASSWORD_SIGN_IN_OFF, and says so to the sign-in page', async () => {
    const off = await createApp(testAppConfig({ ...idp.env(`${appUrl}/auth/oidc/callback`), PASSWORD_SIGN_IN: 'false' }), t.db);
    try {
      const url = await off.listen(0, '127.0.0.1');
      const post = async (query: string) =>
        (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
          data?: Record<string, unknown>;
          errors?: { message: string; extensions: Record<string, unknown> }[];
        };
      const login = await post(`mutation { login(email: "admin@northwind.example", password: "${DEMO_PASSWORD}") { token } }`);
      expect(login.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PASSWORD_SIGN_IN_OFF' });
      expect(login.errors?.[0]?.message).toMatch(/turned off/);
      const options = await post('{ signInOptions { password oidc { label } } }');
      expect(options.data).toEqual({ signInOptions: { password: false, oidc: { label: '127.0.0.1' } } });
    } finally {
      await off.stop();
    }
  });

  it('is refused by the configuration without a provider, and a provider needs all three settings and a callback', () => {
    expect(() => loadConfig({ PASSWORD_SIGN_IN: 'false' })).toThrow(/PASSWORD_SIGN_IN: off needs single sign-on/);
    expect(() => loadConfig({ OIDC_ISSUER: 'https://id.example' })).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: single sign-on needs/);
    expect(() => loadConfig({ OIDC_ISSUER: 'https://id.example', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' })).toThrow(/OIDC_REDIRECT_URL: set it, or PUBLIC_URL/);
    const config = loadConfig({ OIDC_ISSUER: 'https://id.example/realms/x', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's', PUBLIC_URL: 'https://gatehouse.example', OIDC_CREATE_USERS: 'true' });
    expect(config.signIn).toEqual({
      password: true,
      oidc: { issuer: 'https://id.example/realms/x', clientId: 'c', clientSecret: 's', redirectUrl: 'https://gatehouse.example/auth/oidc/callback', label: 'id.example', createUsers: true },
    });
  });
});
