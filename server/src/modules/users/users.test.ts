import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCOPED_ACCOUNTS } from '../demo/index.js';
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

describe('people pickers', () => {
  /** Creates a user holding `role` on the named scope (or nothing), and signs them in. */
  async function person(name: string, role: string | null, scopeId: string | null, signIn = true): Promise<{ id: string; token: string }> {
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@pickers.example`;
    const { id } = (await t.gql(`mutation($e: String!, $n: String!) { createUser(input: { email: $e, name: $n, password: "a-long-password" }) { id } }`, { e: email, n: name }, t.tokens.admin)).data!.createUser;
    if (role) await t.gql(`mutation($u: ID!, $r: Role!, $s: ID!) { grantRole(userId: $u, role: $r, scopeId: $s) { id } }`, { u: id, r: role, s: scopeId }, t.tokens.admin);
    return { id, token: signIn ? await t.login(email, 'a-long-password') : '' };
  }
  const PEOPLE = `query($s: String) { users(search: $s) { id name email roles { role } } }`;

  it('lists to a scoped steering member the people on scopes containing or inside theirs, by name, e-mail for admins and oneself only', async () => {
    // Setup: Sales Operations with a sub-unit and a program, and IT Service beside it
    const units = (await t.gql(`{ orgUnits { id name } }`, {}, t.tokens.admin)).data!.orgUnits;
    const sales = units.find((u: any) => u.name === 'Sales Operations');
    const crm = (await t.gql(`query($p: ID) { orgUnits(parentId: $p) { id name } }`, { p: sales.id }, t.tokens.admin)).data!.orgUnits.find((u: any) => u.name === 'CRM & Quoting');
    const it = units.find((u: any) => u.name === 'IT Service');
    const program = (await t.gql(`query($u: ID) { programs(orgUnitId: $u) { id name } }`, { u: sales.id }, t.tokens.admin)).data!.programs[0];
    expect(program.name).toBe('Lead-to-Cash Acceleration');
    const steering = await person('Picker Sales Steering', 'STEERING_COMMITTEE', sales.id);
    const crmOwner = await person('Picker CRM Owner', 'OWNER', crm.id);
    const programViewer = await person('Picker Program Viewer', 'VIEWER', program.id);
    const itOwner = await person('Picker IT Owner', 'OWNER', it.id);
    const nobody = await person('Picker Nobody', null, null);
    // Action
    const asSteering = await t.gql(PEOPLE, {}, steering.token);
    const asCrmOwner = await t.gql(PEOPLE, {}, crmOwner.token);
    const asNobody = await t.gql(PEOPLE, {}, nobody.token);
    const asViewer = await t.gql(PEOPLE, {}, t.tokens.viewer);
    const asAdmin = await t.gql(PEOPLE, {}, t.tokens.admin);
    // Assert: the steering member of Sales Operations finds the organisation's people, the CRM owner and the
    // program's viewer below, not IT Service's owner nor someone without a role
    expect(errorCode(asSteering)).toBeUndefined();
    const names = (res: any) => res.data.users.map((u: any) => u.name);
    const pickers = (res: any) => names(res).filter((n: string) => n.startsWith('Picker '));
    expect(names(asSteering)).toEqual(expect.arrayContaining(['Alex Admin', 'Olivia Owner', 'Sam Steering', 'Chris Controller', 'Vera Viewer']));
    expect(pickers(asSteering).sort()).toEqual(['Picker CRM Owner', 'Picker Program Viewer', 'Picker Sales Steering']);
    // Only their own e-mail and roles
    for (const u of asSteering.data!.users) {
      if (u.id === steering.id) expect(u).toMatchObject({ email: 'picker.sales.steering@pickers.example', roles: [{ role: 'STEERING_COMMITTEE' }] });
      else expect(u, u.name).toMatchObject({ email: null, roles: [] });
    }
    // The CRM owner sees Sales Operations' steering member above, not the program beside their unit
    expect(pickers(asCrmOwner).sort()).toEqual(['Picker CRM Owner', 'Picker Sales Steering']);
    expect(asNobody.data!.users).toEqual([]);
    // An organisation-wide viewer lists everyone with a role, without e-mail addresses; an admin everyone, with them
    expect(pickers(asViewer).sort()).toEqual(['Picker CRM Owner', 'Picker IT Owner', 'Picker Program Viewer', 'Picker Sales Steering']);
    expect(asViewer.data!.users.filter((u: any) => u.email !== null).map((u: any) => u.name)).toEqual(['Vera Viewer']);
    expect(pickers(asAdmin).sort()).toEqual(['Picker CRM Owner', 'Picker IT Owner', 'Picker Nobody', 'Picker Program Viewer', 'Picker Sales Steering']);
    expect(asAdmin.data!.users.find((u: any) => u.id === itOwner.id)).toMatchObject({ email: 'picker.it.owner@pickers.example', roles: [{ role: 'OWNER' }] });
    // A search looks at e-mail addresses only for those who may read them
    expect((await t.gql(PEOPLE, { s: 'pickers.example' }, steering.token)).data!.users).toEqual([]);
    expect((await t.gql(PEOPLE, { s: 'pickers.example' }, t.tokens.admin)).data!.users).toHaveLength(5);
    expect(names(await t.gql(PEOPLE, { s: 'crm' }, steering.token))).toEqual(['Picker CRM Owner']);
    // A gate review of Sales Operations takes the people the picker offered as participants
    const review = await t.gql(
      `mutation($s: ID!, $c: ID!, $p: [ID!]) { createGateReview(input: { scopeId: $s, chairId: $c, date: "2027-03-01T09:00:00Z", participantIds: $p }) { participants { name } } }`,
      { s: sales.id, c: steering.id, p: [crmOwner.id, programViewer.id] },
      steering.token,
    );
    expect(errorCode(review)).toBeUndefined();
    expect(review.data!.createGateReview.participants.map((p: any) => p.name).sort()).toEqual(['Picker CRM Owner', 'Picker Program Viewer', 'Picker Sales Steering']);
  });

  it('reads the list in as many statements for three people as for thirty', async () => {
    // Setup: a steering member of IT Service, then people on its sub-units (their count must not change the statements)
    const it = (await t.gql(`{ orgUnits { id name } }`, {}, t.tokens.admin)).data!.orgUnits.find((u: any) => u.name === 'IT Service');
    const children = (await t.gql(`query($p: ID) { orgUnits(parentId: $p) { id } }`, { p: it.id }, t.tokens.admin)).data!.orgUnits;
    const steering = await person('Counted Steering', 'STEERING_COMMITTEE', it.id);
    const statements = async () => {
      const before = t.db.statements.count;
      expect(errorCode(await t.gql(`{ users { id name email roles { role } } }`, {}, steering.token))).toBeUndefined();
      return t.db.statements.count - before;
    };
    const few = await statements();
    for (let i = 0; i < 27; i++) await person(`Counted ${i}`, 'VIEWER', children[i % 2].id, false);
    expect(await statements()).toBe(few);
  });

  it('signs in the demo’s people scoped below the organisation, each with their role there and people to pick', async () => {
    // Setup: the unit or program each of them is meant to hold their role on
    const units = (await t.gql(`{ orgUnits { id name } }`, {}, t.tokens.admin)).data!.orgUnits;
    const programs = (await t.gql(`{ programs { id name } }`, {}, t.tokens.admin)).data!.programs;
    const expected: Record<string, [string, string, string]> = {
      'it.owner@northwind.example': ['OWNER', 'ORG_UNIT', 'IT Service'],
      'sales.steering@northwind.example': ['STEERING_COMMITTEE', 'ORG_UNIT', 'Sales Operations'],
      'finance.controller@northwind.example': ['CONTROLLER', 'ORG_UNIT', 'Finance'],
      'lead-to-cash.viewer@northwind.example': ['VIEWER', 'PROGRAM', 'Lead-to-Cash Acceleration'],
    };
    expect(DEMO_SCOPED_ACCOUNTS.map((a) => a.email).sort()).toEqual(Object.keys(expected).sort());
    for (const [email, [role, scopeKind, scopeName]] of Object.entries(expected)) {
      // Action
      const token = await t.login(email);
      const me = (await t.gql(`{ me { roles { role scopeKind scopeId } } }`, {}, token)).data!.me;
      const people = await t.gql(`{ users { name } }`, {}, token);
      // Assert
      const scopeId = [...units, ...programs].find((x: any) => x.name === scopeName).id;
      expect(me.roles, email).toEqual([{ role, scopeKind, scopeId }]);
      expect(errorCode(people), email).toBeUndefined();
      expect(people.data!.users.map((u: any) => u.name), email).toContain('Sam Steering');
    }
  });
});
