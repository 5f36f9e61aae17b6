import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapOrganisation } from '../../bootstrap.js';
import { openDatabase } from '../../open-database.js';
import { createTestDatabase } from '../../testing/test-database.js';
import { governance } from '../../testing/governance-helpers.js';
import { errorCode, startTestApp, type GqlResult, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let g: ReturnType<typeof governance>;
let org: string;
let itUnit: string;
let finance: string;

beforeAll(async () => {
  t = await startTestApp();
  g = governance(t);
  org = (await g.must(`{ organisation { id } }`, {}, t.tokens.admin)).organisation.id;
  const units = (await g.must(`{ orgUnits { id name } }`, {}, t.tokens.admin)).orgUnits;
  itUnit = units.find((u: any) => u.name === 'IT Service').id;
  finance = units.find((u: any) => u.name === 'Finance').id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const INVITE = `mutation($e: String!, $n: String!, $r: Role, $s: ID) {
  createUserInvite(input: { email: $e, name: $n, role: $r, scopeId: $s }) { link expiresAt user { id email active passwordSetAt roles { role scopeId } } }
}`;
const SET = `mutation($t: String!, $p: String!) { setPasswordWithToken(token: $t, newPassword: $p) { token mustChangePassword user { id email } } }`;
const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
const RESET = `mutation($u: ID!) { requestPasswordReset(userId: $u) { link expiresAt } }`;
const SESSIONS = `query($u: ID!) { userSessions(userId: $u) { id createdAt lastSeenAt userAgent clientAddress current } }`;
const ME = `{ me { id } }`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;
const reason = (res: GqlResult) => res.errors?.[0]?.extensions?.reason;
let seq = 0;
const email = (what: string) => `${what}.${++seq}@identity.example`;

async function invite(options: { role?: string; scopeId?: string; by?: string } = {}) {
  const e = email('invitee');
  const res = await t.gql(INVITE, { e, n: `Invitee ${seq}`, r: options.role ?? null, s: options.scopeId ?? null }, options.by ?? t.tokens.admin);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return { email: e, ...res.data.createUserInvite } as { email: string; link: string; expiresAt: string; user: { id: string } };
}

/** A signed-in person holding `role` on `scopeId`, with a password of their own. */
async function person(role: string, scopeId: string) {
  const inv = await invite({ role, scopeId });
  const token = (await g.must(SET, { t: tokenOf(inv.link), p: 'a-password-of-mine' }, '')).setPasswordWithToken.token as string;
  return { id: inv.user.id, email: inv.email, token };
}

describe('the password rule', () => {
  it('refuses short, whitespace-only and common passwords with their reason, changing nothing', async () => {
    // Setup
    const inv = await invite();
    const before = await t.checksum();
    // Action
    const short = await t.gql(SET, { t: tokenOf(inv.link), p: 'elevenchars' });
    const blank = await t.gql(SET, { t: tokenOf(inv.link), p: ' '.repeat(16) });
    const common = await t.gql(SET, { t: tokenOf(inv.link), p: 'Qwerty123456' });
    const created = await t.gql(`mutation { createUser(input: { email: "common@identity.example", name: "C", password: "1qaz2wsx3edc" }) { id } }`, {}, t.tokens.admin);
    // Assert
    expect([short, blank, common, created].map(errorCode)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect([short, blank, common, created].map(reason)).toEqual(['TOO_SHORT', 'ONLY_WHITESPACE', 'COMMON', 'COMMON']);
    expect(common.errors![0].extensions!.field).toBe('newPassword');
    expect(await t.checksum()).toBe(before);
    // The link still works after a refused password
    expect(errorCode(await t.gql(SET, { t: tokenOf(inv.link), p: 'twelve chars ok' }))).toBeUndefined();
  });
});

describe('invitations and one-time links', () => {
  it('creates a user without a password; the link, stored hashed, sets it once, signs in and expires in 72 hours', async () => {
    // Action
    const inv = await invite({ role: 'VIEWER', scopeId: itUnit });
    // Assert: no password yet, the role granted, the link 72 h, only its hash stored, and no sign-in possible
    expect(inv.user).toMatchObject({ active: true, passwordSetAt: null, roles: [{ role: 'VIEWER', scopeId: itUnit }] });
    expect(inv.link).toMatch(new RegExp(`^${t.url}/set-password\\?token=[\\w-]{43}$`));
    expect((Date.parse(inv.expiresAt) - Date.now()) / 3_600_000).toBeCloseTo(72, 1);
    const [row] = await t.db.dataSource.query(`SELECT token_hash, purpose FROM password_link WHERE user_id = $1`, [inv.user.id]);
    expect(row).toEqual({ token_hash: sha256(tokenOf(inv.link)), purpose: 'INVITE' });
    expect(errorCode(await t.gql(`mutation($e: String!) { login(email: $e, password: "") { token } }`, { e: inv.email }))).toBe('UNAUTHENTICATED');
    const audit = await t.db.dataSource.query(`SELECT action FROM audit_entry WHERE entity_id = $1 ORDER BY seq`, [inv.user.id]);
    expect(audit.map((a: any) => a.action)).toEqual(['user.invited', 'role.granted']);
    // Action: the link is used
    const used = await g.must(SET, { t: tokenOf(inv.link), p: 'my own long password' }, '');
    // Assert: signed in as the invitee; the password works; the link is spent
    expect(used.setPasswordWithToken).toMatchObject({ mustChangePassword: false, user: { id: inv.user.id, email: inv.email } });
    expect((await g.must(ME, {}, used.setPasswordWithToken.token)).me.id).toBe(inv.user.id);
    await expect(t.login(inv.email, 'my own long password')).resolves.toBeTruthy();
    const again = await t.gql(SET, { t: tokenOf(inv.link), p: 'another long password' });
    expect([errorCode(again), reason(again)]).toEqual(['BAD_USER_INPUT', 'LINK_USED']);
    const unknown = await t.gql(SET, { t: 'x'.repeat(43), p: 'another long password' });
    expect([errorCode(unknown), reason(unknown)]).toEqual(['BAD_USER_INPUT', 'LINK_UNKNOWN']);
  });

  it('refuses an expired link, and only the newest link of a person works', async () => {
    // Setup: an invitation whose link expired a second ago (the clock moved by updating the row)
    const inv = await invite();
    await t.db.dataSource.query(`UPDATE password_link SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(tokenOf(inv.link))]);
    const before = await t.checksum();
    // Action
    const expired = await t.gql(SET, { t: tokenOf(inv.link), p: 'my own long password' });
    // Assert
    expect([errorCode(expired), reason(expired)]).toEqual(['BAD_USER_INPUT', 'LINK_EXPIRED']);
    expect(await t.checksum()).toBe(before);
    // A reset link for them replaces any older one
    const first = (await g.must(RESET, { u: inv.user.id }, t.tokens.admin)).requestPasswordReset;
    const second = (await g.must(RESET, { u: inv.user.id }, t.tokens.admin)).requestPasswordReset;
    expect((Date.parse(second.expiresAt) - Date.now()) / 3_600_000).toBeCloseTo(24, 1);
    expect(reason(await t.gql(SET, { t: tokenOf(first.link), p: 'my own long password' }))).toBe('LINK_USED');
    expect(errorCode(await t.gql(SET, { t: tokenOf(second.link), p: 'my own long password' }))).toBeUndefined();
  });

  it('a reset link ends every session of the person when used; their old password stops working', async () => {
    // Setup: a person signed in twice
    const p = await person('OWNER', itUnit);
    const other = await t.login(p.email, 'a-password-of-mine');
    // Action
    const reset = (await g.must(RESET, { u: p.id }, t.tokens.admin)).requestPasswordReset;
    expect((await g.must(ME, {}, p.token)).me.id).toBe(p.id); // issuing it ends nothing yet
    const used = (await g.must(SET, { t: tokenOf(reset.link), p: 'a brand new password' }, '')).setPasswordWithToken;
    // Assert
    expect(errorCode(await t.gql(ME, {}, p.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(ME, {}, other))).toBe('UNAUTHENTICATED');
    expect((await g.must(ME, {}, used.token)).me.id).toBe(p.id);
    await expect(t.login(p.email, 'a-password-of-mine')).rejects.toThrow();
    await expect(t.login(p.email, 'a brand new password')).resolves.toBeTruthy();
  });

  it('invites one person of ten simultaneous invitations with the same address; the others get CONFLICT, never an internal error', async () => {
    const e = email('twice');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.gql(INVITE, { e, n: `Twice ${i}`, r: null, s: null }, t.tokens.admin)));
    expect(results.filter((r) => r.data?.createUserInvite)).toHaveLength(1);
    expect(results.map(errorCode).filter(Boolean)).toEqual(Array(9).fill('CONFLICT'));
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE lower(email) = $1`, [e]);
    expect(n).toBe(1);
  });

  it('lets exactly one of ten simultaneous uses of the same link win; the others get LINK_USED and change nothing', async () => {
    // Setup
    const inv = await invite({ role: 'VIEWER', scopeId: itUnit });
    // Action: ten uses at once, each with its own password (on PostgreSQL on ten pool connections)
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.gql(SET, { t: tokenOf(inv.link), p: `simultaneous password ${i}` })));
    // Assert: one session opened, one password set, one audit entry; the winner's password is the one that works
    const won = results.flatMap((r, i) => (r.data?.setPasswordWithToken ? [i] : []));
    expect(won).toHaveLength(1);
    expect(results.filter((r) => !r.data?.setPasswordWithToken).map((r) => [errorCode(r), reason(r)])).toEqual(Array(9).fill(['BAD_USER_INPUT', 'LINK_USED']));
    const [counts] = await t.db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM user_session WHERE user_id = CAST($1 AS uuid)) AS sessions,
              (SELECT count(*)::int FROM audit_entry WHERE entity_id = CAST($1 AS text) AND action = 'user.passwordSet') AS audits`,
      [inv.user.id],
    );
    expect(counts).toEqual({ sessions: 1, audits: 1 });
    await expect(t.login(inv.email, `simultaneous password ${won[0]}`)).resolves.toBeTruthy();
  });

  it('a deactivated person’s link no longer works', async () => {
    const inv = await invite({ role: 'VIEWER', scopeId: org });
    await g.must(`mutation($u: ID!) { deactivateUser(userId: $u) { id } }`, { u: inv.user.id }, t.tokens.admin);
    expect(reason(await t.gql(SET, { t: tokenOf(inv.link), p: 'my own long password' }))).toBe('LINK_USED');
    expect(errorCode(await t.gql(RESET, { u: inv.user.id }, t.tokens.admin))).toBe('CONFLICT');
  });
});

describe('changing one’s own password', () => {
  it('needs the current password, ends the caller’s other sessions only, and keeps this one', async () => {
    // Setup: a person with two sessions, and someone else signed in
    const p = await person('VIEWER', itUnit);
    const second = await t.login(p.email, 'a-password-of-mine');
    const bystander = await person('VIEWER', itUnit);
    // Action: wrong current password, the same password again, a short one
    const wrong = await t.gql(CHANGE, { c: 'not-my-password', n: 'a new long password' }, p.token);
    const same = await t.gql(CHANGE, { c: 'a-password-of-mine', n: 'a-password-of-mine' }, p.token);
    const short = await t.gql(CHANGE, { c: 'a-password-of-mine', n: 'short' }, p.token);
    // Assert: refused with reasons, nothing changed
    expect([wrong, same, short].map(reason)).toEqual(['WRONG_CURRENT_PASSWORD', 'SAME_AS_CURRENT', 'TOO_SHORT']);
    expect([wrong, same, short].map(errorCode)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    await expect(t.login(p.email, 'a new long password')).rejects.toThrow();
    // Action
    expect((await g.must(CHANGE, { c: 'a-password-of-mine', n: 'a new long password' }, p.token)).changePassword).toBe(true);
    // Assert
    expect((await g.must(ME, {}, p.token)).me.id).toBe(p.id);
    expect(errorCode(await t.gql(ME, {}, second))).toBe('UNAUTHENTICATED');
    expect((await g.must(ME, {}, bystander.token)).me.id).toBe(bystander.id);
    await expect(t.login(p.email, 'a new long password')).resolves.toBeTruthy();
    const [entry] = await t.db.dataSource.query(`SELECT after FROM audit_entry WHERE entity_id = $1 AND action = 'user.passwordChanged'`, [p.id]);
    expect(entry.after).toEqual({ otherSessionsEnded: 1 });
  });

  it('an admin-typed password must be changed first; changing it clears the flag', async () => {
    // Setup
    await g.must(`mutation { createUser(input: { email: "typed@identity.example", name: "Typed", password: "typed-by-the-admin" }) { id } }`, {}, t.tokens.admin);
    // Action
    const login = await g.must(`mutation { login(email: "typed@identity.example", password: "typed-by-the-admin") { token mustChangePassword } }`, {}, '');
    // Assert
    expect(login.login.mustChangePassword).toBe(true);
    expect((await g.must(`{ me { mustChangePassword } }`, {}, login.login.token)).me.mustChangePassword).toBe(true);
    await g.must(CHANGE, { c: 'typed-by-the-admin', n: 'chosen by myself now' }, login.login.token);
    expect((await g.must(`{ me { mustChangePassword } }`, {}, login.login.token)).me.mustChangePassword).toBe(false);
  });
});

describe('the first admin', () => {
  it('without ADMIN_PASSWORD gets a one-time setup link; with it, must change the password at first sign-in', async () => {
    // Setup: two empty databases
    const dbs = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const [a, b] = await Promise.all(dbs.map((d) => openDatabase(d.target, { logErrors: false })));
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      // Action
      const viaLink = await bootstrapOrganisation(a, { demoData: false, bootstrap: { orgName: 'Link Org', currency: 'EUR', adminEmail: 'first@link.example' } });
      const restarted = await bootstrapOrganisation(a, { demoData: false, bootstrap: { orgName: 'Link Org', currency: 'EUR', adminEmail: 'first@link.example' } });
      const viaPassword = await bootstrapOrganisation(b, { demoData: false, bootstrap: { orgName: 'Pw Org', currency: 'EUR', adminEmail: 'first@pw.example', adminPassword: 'set-in-the-env-1' } });
      // Assert: a setup link (72 h) for the passwordless admin; a restart before it is used replaces it
      expect(viaLink).toMatchObject({ kind: 'created', adminEmail: 'first@link.example', setupToken: expect.stringMatching(/^[\w-]{43}$/) });
      expect(restarted).toMatchObject({ kind: 'pendingSetup', adminEmail: 'first@link.example' });
      const links = await a.dataSource.query(`SELECT token_hash, purpose, revoked_at IS NOT NULL AS revoked, round(extract(epoch FROM expires_at - created_at) / 3600) AS hours FROM password_link ORDER BY created_at`);
      expect(links).toEqual([
        { token_hash: sha256((viaLink as any).setupToken), purpose: 'SETUP', revoked: true, hours: '72' },
        { token_hash: sha256((restarted as any).setupToken), purpose: 'SETUP', revoked: false, hours: '72' },
      ]);
      const [admin] = await a.dataSource.query(`SELECT password_hash, must_change_password FROM app_user`);
      expect(admin).toEqual({ password_hash: null, must_change_password: false });
      expect(viaPassword).toMatchObject({ kind: 'created' });
      expect(viaPassword).not.toHaveProperty('setupToken');
      const [pwAdmin] = await b.dataSource.query(`SELECT must_change_password FROM app_user`);
      expect(pwAdmin.must_change_password).toBe(true);
      // Once the admin has a password, a start issues nothing
      await a.dataSource.query(`UPDATE app_user SET password_hash = 'x'`);
      expect(await bootstrapOrganisation(a, { demoData: false, bootstrap: { currency: 'EUR' } })).toEqual({ kind: 'existing' });
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all(dbs.map((d) => d.drop()));
    }
  });
});

describe('the People screen and its scope', () => {
  it('an admin of a unit invites, resets and sees sessions of people in the unit only; elsewhere FORBIDDEN, changing nothing', async () => {
    // Setup: an admin of IT Service; a person inside it, one in Finance, one in both
    const unitAdmin = await person('ADMIN', itUnit);
    const inside = await person('OWNER', itUnit);
    const outside = await person('OWNER', finance);
    const both = await person('VIEWER', itUnit);
    await g.must(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: VIEWER, scopeId: $s) { id } }`, { u: both.id, s: finance }, t.tokens.admin);
    const before = await t.checksum();
    // Action: everything outside the unit
    const refused = [
      await t.gql(INVITE, { e: email('x'), n: 'X', r: 'VIEWER', s: finance }, unitAdmin.token),
      await t.gql(INVITE, { e: email('x'), n: 'X', r: null, s: null }, unitAdmin.token),
      await t.gql(RESET, { u: outside.id }, unitAdmin.token),
      await t.gql(RESET, { u: both.id }, unitAdmin.token),
      await t.gql(SESSIONS, { u: outside.id }, unitAdmin.token),
      await t.gql(`mutation($u: ID!) { endUserSessions(userId: $u) }`, { u: outside.id }, unitAdmin.token),
      await t.gql(`mutation($u: ID!) { deactivateUser(userId: $u) { id } }`, { u: outside.id }, unitAdmin.token),
      await t.gql(RESET, { u: inside.id }, inside.token),
      await t.gql(`{ people { id } }`, {}, inside.token),
    ];
    // Assert
    expect(refused.map(errorCode)).toEqual(Array(9).fill('FORBIDDEN'));
    expect(await t.checksum()).toBe(before);
    // Inside the unit it works, and the people list holds just the unit's people, with e-mail and roles
    const invited = (await g.must(INVITE, { e: email('unit'), n: 'Unit Invitee', r: 'VIEWER', s: itUnit }, unitAdmin.token)).createUserInvite;
    expect(invited.user.email).toMatch(/^unit\./);
    expect((await g.must(RESET, { u: inside.id }, unitAdmin.token)).requestPasswordReset.link).toContain('/set-password?token=');
    const people = (await g.must(`{ people { id email roles { role scopeId } } }`, {}, unitAdmin.token)).people;
    const ids = people.map((p: any) => p.id);
    expect(ids).toEqual(expect.arrayContaining([unitAdmin.id, inside.id, invited.user.id]));
    expect(ids).not.toContain(outside.id);
    expect(ids).not.toContain(both.id);
    expect(ids).not.toContain(t.demo!.users.admin);
    expect(people.find((p: any) => p.id === inside.id)).toMatchObject({ email: inside.email, roles: [{ role: 'OWNER', scopeId: itUnit }] });
    // The organisation's admin finds everyone, by name or e-mail
    const found = (await g.must(`query($s: String) { people(search: $s) { id } }`, { s: outside.email }, t.tokens.admin)).people;
    expect(found).toEqual([{ id: outside.id }]);
  });

  it('lists a person’s sessions with where they came from, and ends one or all of them', async () => {
    // Setup: a person with three sessions, one from a named browser
    const p = await person('VIEWER', itUnit);
    const second = await t.login(p.email, 'a-password-of-mine');
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Phone Browser 1.0' },
      body: JSON.stringify({ query: `mutation($e: String!) { login(email: $e, password: "a-password-of-mine") { token } }`, variables: { e: p.email } }),
    });
    const third = (await res.json()).data.login.token;
    // Action
    const sessions = (await g.must(SESSIONS, { u: p.id }, t.tokens.admin)).userSessions;
    // Assert
    expect(sessions).toHaveLength(3);
    expect(sessions.map((s: any) => s.userAgent)).toContain('Phone Browser 1.0');
    expect(sessions.every((s: any) => s.clientAddress && s.createdAt && s.lastSeenAt && s.current === false)).toBe(true);
    // Action: end the phone's session, then all
    const phone = sessions.find((s: any) => s.userAgent === 'Phone Browser 1.0');
    expect((await g.must(`mutation($u: ID!, $s: ID) { endUserSessions(userId: $u, sessionId: $s) }`, { u: p.id, s: phone.id }, t.tokens.admin)).endUserSessions).toBe(1);
    expect(errorCode(await t.gql(ME, {}, third))).toBe('UNAUTHENTICATED');
    expect((await g.must(ME, {}, second)).me.id).toBe(p.id);
    expect((await g.must(`mutation($u: ID!) { endUserSessions(userId: $u) }`, { u: p.id }, t.tokens.admin)).endUserSessions).toBe(2);
    expect(errorCode(await t.gql(ME, {}, p.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(ME, {}, second))).toBe('UNAUTHENTICATED');
    expect((await g.must(SESSIONS, { u: p.id }, t.tokens.admin)).userSessions).toEqual([]);
    const [entry] = await t.db.dataSource.query(`SELECT after FROM audit_entry WHERE entity_id = $1 AND action = 'user.sessionsEnded' ORDER BY seq DESC LIMIT 1`, [p.id]);
    expect(entry.after).toEqual({ sessionsEnded: 2 });
  });

  it('reads the people list in as many statements for a few people as for many', async () => {
    const count = async () => {
      const before = t.db.statements.count;
      await g.must(`{ people { id email roles { role } mustChangePassword } }`, {}, t.tokens.admin);
      return t.db.statements.count - before;
    };
    const few = await count();
    for (let i = 0; i < 5; i++) await invite({ role: 'VIEWER', scopeId: itUnit });
    expect(await count()).toBe(few);
  });
});
