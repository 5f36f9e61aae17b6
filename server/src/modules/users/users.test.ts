import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('login and sessions', () => {
  it('signs in, returns a long random token and sets an httpOnly cookie', async () => {
    const res = await request(t.app.httpServer)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: `mutation { login(email: "Admin@Northwind.example", password: "demo-password") { token user { email } } }` });
    expect(res.body.data.login.user.email).toBe('admin@northwind.example');
    const token: string = res.body.data.login.token;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/gh_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
  });

  it('accepts the session cookie as well as the bearer token', async () => {
    const token = await t.login('viewer@northwind.example');
    const res = await request(t.app.httpServer)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', `gh_session=${token}`)
      .send({ query: `{ me { email roles { role scopeKind } } }` });
    expect(res.body.data.me).toEqual({ email: 'viewer@northwind.example', roles: [{ role: 'VIEWER', scopeKind: 'ORGANISATION' }] });
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await t.gql(`mutation { login(email: "admin@northwind.example", password: "nope-nope-nope") { token } }`);
    const unknown = await t.gql(`mutation { login(email: "nobody@northwind.example", password: "nope-nope-nope") { token } }`);
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
  });

  it('ends the session at logout', async () => {
    const token = await t.login('owner@northwind.example');
    expect((await t.gql(`{ me { email } }`, {}, token)).data!.me.email).toBe('owner@northwind.example');
    expect((await t.gql(`mutation { logout }`, {}, token)).data!.logout).toBe(true);
    expect(errorCode(await t.gql(`{ organisation { name } }`, {}, token))).toBe('UNAUTHENTICATED');
  });

  it('needs a signed-in user for everything but login', async () => {
    for (const q of [`{ organisation { name } }`, `{ orgUnits { id } }`, `{ users { id } }`, `mutation { logout }`]) {
      expect(errorCode(await t.gql(q)), q).toBe('UNAUTHENTICATED');
    }
    expect(errorCode(await t.gql(`{ organisation { name } }`, {}, 'forged-token'))).toBe('UNAUTHENTICATED');
  });

  it('shows the caller’s organisation', async () => {
    const res = await t.gql(`{ organisation { id name currency doiWeights } }`, {}, t.tokens.viewer);
    expect(res.data!.organisation).toMatchObject({ name: 'Northwind Services', currency: 'EUR', doiWeights: [10, 30, 60, 90, 100] });
  });
});

describe('users and roles', () => {
  it('lets an admin create a user who can then sign in', async () => {
    const res = await t.gql(
      `mutation { createUser(input: { email: "New.Person@northwind.example", name: "New Person", password: "a-long-password" }) { id email active } }`,
      {},
      t.tokens.admin,
    );
    expect(res.data!.createUser).toMatchObject({ email: 'new.person@northwind.example', active: true });
    await expect(t.login('new.person@northwind.example', 'a-long-password')).resolves.toBeTruthy();
    const dup = await t.gql(
      `mutation { createUser(input: { email: "new.person@northwind.example", name: "Again", password: "a-long-password" }) { id } }`,
      {},
      t.tokens.admin,
    );
    expect(errorCode(dup)).toBe('CONFLICT');
  });

  it('refuses a short password, a bad e-mail and a non-admin with clear codes, changing nothing', async () => {
    const before = await t.checksum();
    const short = await t.gql(`mutation { createUser(input: { email: "a@b.example", name: "A", password: "short" }) { id } }`, {}, t.tokens.admin);
    expect(errorCode(short)).toBe('BAD_USER_INPUT');
    const email = await t.gql(`mutation { createUser(input: { email: "not-an-email", name: "A", password: "long-enough-pw" }) { id } }`, {}, t.tokens.admin);
    expect(errorCode(email)).toBe('BAD_USER_INPUT');
    const owner = await t.gql(`mutation { createUser(input: { email: "o@b.example", name: "A", password: "long-enough-pw" }) { id } }`, {}, t.tokens.owner);
    expect(errorCode(owner)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });

  it('scopes a role granted on an org unit to that unit and below', async () => {
    // Setup: a user with VIEWER on one org unit only
    const unit = (await t.gql(`{ orgUnits { id name } }`, {}, t.tokens.admin)).data!.orgUnits.find((u: any) => u.name === 'IT Service');
    const user = (
      await t.gql(`mutation { createUser(input: { email: "it.viewer@northwind.example", name: "IT Viewer", password: "a-long-password" }) { id } }`, {}, t.tokens.admin)
    ).data!.createUser;
    // Action
    const grant = await t.gql(
      `mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: VIEWER, scopeId: $s) { role scopeId scopeKind } }`,
      { u: user.id, s: unit.id },
      t.tokens.admin,
    );
    const token = await t.login('it.viewer@northwind.example', 'a-long-password');
    // Assert
    expect(grant.data!.grantRole).toEqual({ role: 'VIEWER', scopeId: unit.id, scopeKind: 'ORG_UNIT' });
    const visible = (await t.gql(`{ measures(first: 200) { totalCount edges { node { program { name } } } } }`, {}, token)).data!.measures;
    const all = (await t.gql(`{ measures(first: 1) { totalCount } }`, {}, t.tokens.admin)).data!.measures.totalCount;
    expect(visible.totalCount).toBeGreaterThan(0);
    expect(visible.totalCount).toBeLessThan(all);
    expect(visible.edges.every((e: any) => e.node.program.name === 'Service Excellence 2027')).toBe(true);
    const units = (await t.gql(`{ orgUnits { name } }`, {}, token)).data!.orgUnits.map((u: any) => u.name);
    expect(units).toEqual(['IT Service']);
    const outside = (await t.gql(`{ measures(first: 200, filter: { search: "Quote templates" }) { edges { node { id } } } }`, {}, t.tokens.admin)).data!
      .measures.edges[0].node.id;
    expect(errorCode(await t.gql(`query($id: ID!) { measure(id: $id) { id } }`, { id: outside }, token))).toBe('FORBIDDEN');
    // Revoking takes effect on the next request.
    const revoked = await t.gql(`mutation($u: ID!, $s: ID!) { revokeRole(userId: $u, role: VIEWER, scopeId: $s) }`, { u: user.id, s: unit.id }, t.tokens.admin);
    expect(revoked.data!.revokeRole).toBe(true);
    expect((await t.gql(`{ measures(first: 1) { totalCount } }`, {}, token)).data!.measures.totalCount).toBe(0);
  });

  it('refuses a duplicate grant, a grant on a package and the last organisation admin’s revocation', async () => {
    const org = (await t.gql(`{ organisation { id } }`, {}, t.tokens.admin)).data!.organisation.id;
    const dup = await t.gql(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: VIEWER, scopeId: $s) { id } }`, { u: t.demo!.users.viewer, s: org }, t.tokens.admin);
    expect(errorCode(dup)).toBe('CONFLICT');
    const pkg = (await t.gql(`{ measurePackages { id } }`, {}, t.tokens.admin)).data!.measurePackages[0].id;
    const onPackage = await t.gql(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: VIEWER, scopeId: $s) { id } }`, { u: t.demo!.users.viewer, s: pkg }, t.tokens.admin);
    expect(errorCode(onPackage)).toBe('BAD_USER_INPUT');
    const last = await t.gql(`mutation($u: ID!, $s: ID!) { revokeRole(userId: $u, role: ADMIN, scopeId: $s) }`, { u: t.demo!.users.admin, s: org }, t.tokens.admin);
    expect(errorCode(last)).toBe('CONFLICT');
  });
});
