import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../../testing/governance-helpers.js';
import { LiveClients } from '../../testing/live-clients.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
const live = new LiveClients();
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await live.disposeAll();
  await t?.close();
});

const CREATE = `mutation($n: String!, $d: Int!, $r: Boolean!) {
  createApiToken(input: { name: $n, expiresInDays: $d, readOnly: $r }) { token apiToken { id name readOnly createdAt expiresAt lastUsedAt } }
}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createToken(session: string, name: string, options: { days?: number; readOnly?: boolean } = {}) {
  const res = await t.gql(CREATE, { n: name, d: options.days ?? 30, r: options.readOnly ?? false }, session);
  if (!res.data?.createApiToken) throw new Error(JSON.stringify(res.errors));
  return res.data.createApiToken as { token: string; apiToken: { id: string; name: string; readOnly: boolean; createdAt: string; expiresAt: string; lastUsedAt: string | null } };
}

async function newUser(email: string, role = 'ADMIN'): Promise<{ id: string; session: string }> {
  const g = governance(t);
  const user = (await g.must(`mutation($e: String!) { createUser(input: { email: $e, name: "Token Person", password: "a-long-password" }) { id } }`, { e: email }, t.tokens.admin)).createUser;
  const org = (await g.must(`{ organisation { id } }`, {}, t.tokens.admin)).organisation.id;
  await g.must(`mutation($u: ID!, $s: ID!, $r: Role!) { grantRole(userId: $u, role: $r, scopeId: $s) { id } }`, { u: user.id, s: org, r: role }, t.tokens.admin);
  return { id: user.id, session: await t.login(email, 'a-long-password') };
}

const row = async (id: string) => (await t.db.dataSource.query(`SELECT * FROM api_token WHERE id = $1`, [id]))[0];

describe('API tokens', () => {
  it('are created once with a recognisable prefix, stored only as their SHA-256, and act as their user over HTTP', async () => {
    // Action
    const created = await createToken(t.tokens.viewer, '  CI export  ', { days: 90 });
    // Assert: the token is 256 bits behind gh_pat_; the table holds its hash, nowhere the token itself
    expect(created.token).toMatch(/^gh_pat_[\w-]{43}$/);
    expect(created.apiToken).toMatchObject({ name: 'CI export', readOnly: false, lastUsedAt: null });
    const days = (Date.parse(created.apiToken.expiresAt) - Date.parse(created.apiToken.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(90, 3);
    const stored = await row(created.apiToken.id);
    expect(stored.token_hash).toBe(sha256(created.token));
    expect(JSON.stringify(stored)).not.toContain(created.token.slice(7));
    // The audit entry names the token, never carries it
    const audit = await t.db.dataSource.query(`SELECT action, before, after FROM audit_entry WHERE action = 'apiToken.created' AND after->>'tokenId' = $1`, [created.apiToken.id]);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(created.token.slice(7));
    // As Bearer it answers as the viewer
    const me = await t.gql(`{ me { email } }`, {}, created.token);
    expect(me.data!.me.email).toBe('viewer@northwind.example');
    // Listed for its owner (with last used now set), for nobody else
    const mine = (await t.gql(`{ myApiTokens { id name lastUsedAt } }`, {}, t.tokens.viewer)).data!.myApiTokens;
    expect(mine.map((x: any) => x.id)).toContain(created.apiToken.id);
    expect(mine.find((x: any) => x.id === created.apiToken.id).lastUsedAt).not.toBeNull();
    const others = (await t.gql(`{ myApiTokens { id } }`, {}, t.tokens.owner)).data!.myApiTokens;
    expect(others.map((x: any) => x.id)).not.toContain(created.apiToken.id);
  });

  it('read-only: queries answer, every mutation is FORBIDDEN and changes nothing', async () => {
    // Setup: an admin's read-only and full tokens, each used once (so last used is fresh and not written again)
    const readOnly = (await createToken(t.tokens.admin, 'Reporting', { readOnly: true })).token;
    const full = (await createToken(t.tokens.admin, 'Provisioning')).token;
    expect((await t.gql(`{ organisation { id } }`, {}, readOnly)).data!.organisation.id).toBeTruthy();
    await t.gql(`{ me { id } }`, {}, full);
    const createUnit = `mutation { createOrgUnit(input: { name: "Token unit" }) { id } }`;
    // Action
    const before = await t.checksum();
    const refused = await t.gql(createUnit, {}, readOnly);
    const refusedTokenMint = await t.gql(CREATE, { n: 'x', d: 1, r: false }, readOnly);
    const after = await t.checksum();
    // Assert
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.errors![0].message).toBe('This API token is read-only');
    expect(errorCode(refusedTokenMint)).toBe('FORBIDDEN');
    expect(after).toBe(before);
    // The same mutation with the full token goes through: the token, not the user, was the limit
    expect((await t.gql(createUnit, {}, full)).data!.createOrgUnit.id).toBeTruthy();
    // A token never mints tokens, read-only or not; it is not a session to log out of (it stays valid)
    expect(errorCode(await t.gql(CREATE, { n: 'child', d: 1, r: false }, full))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(`mutation { logout }`, {}, full))).toBe('BAD_USER_INPUT');
    expect((await t.gql(`{ me { id } }`, {}, full)).data!.me.id).toBeTruthy();
  });

  it('read-only: the ticket upload, a write outside GraphQL, is FORBIDDEN too and stores nothing', async () => {
    const readOnly = (await createToken(t.tokens.admin, 'Read-only upload', { readOnly: true })).token;
    const upload = (token: string) =>
      fetch(`${t.url}/imports/tickets?format=jira&name=read-only.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-gatehouse-import': '1', 'content-type': 'text/csv' },
        body: 'Issue key,Summary,Created,Status,Priority\nRO-1,Printer jam,2024-01-01 10:00,Open,High\n',
      });
    await t.gql(`{ me { id } }`, {}, readOnly); // used once: its last use is fresh, not written again
    const before = await t.checksum();
    const refused = await upload(readOnly);
    expect(refused.status).toBe(403);
    expect(JSON.parse((await refused.text()).trim())).toMatchObject({ type: 'error', code: 'FORBIDDEN', message: 'This API token is read-only' });
    expect(await t.checksum()).toBe(before);
  });

  it('revoked, expired and deactivated-user tokens are UNAUTHENTICATED', async () => {
    const person = await newUser('token.person@northwind.example', 'VIEWER');
    const revoked = await createToken(person.session, 'Revoked');
    const expired = await createToken(person.session, 'Expired');
    const kept = await createToken(person.session, 'Kept');
    // Revoke one (audited), expire one
    expect((await t.gql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: revoked.apiToken.id }, person.session)).data!.revokeApiToken).toBe(true);
    await t.db.dataSource.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.apiToken.id]);
    expect(errorCode(await t.gql(`{ me { id } }`, {}, revoked.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gql(`{ me { id } }`, {}, expired.token))).toBe('UNAUTHENTICATED');
    expect((await t.gql(`{ me { id } }`, {}, kept.token)).data!.me.id).toBe(person.id);
    const listed = (await t.gql(`{ myApiTokens { name } }`, {}, person.session)).data!.myApiTokens.map((x: any) => x.name);
    expect(listed).toEqual(['Kept']);
    const audit = await t.db.dataSource.query(`SELECT before FROM audit_entry WHERE action = 'apiToken.revoked' AND entity_id = $1`, [person.id]);
    expect(audit.map((a: any) => a.before.name)).toEqual(['Revoked']);
    // Revoking again, or someone else's token, is NOT_FOUND
    expect(errorCode(await t.gql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: revoked.apiToken.id }, person.session))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: kept.apiToken.id }, t.tokens.admin))).toBe('NOT_FOUND');
    // Deactivating the user stops the token
    await t.gql(`mutation($u: ID!) { deactivateUser(userId: $u) { id } }`, { u: person.id }, t.tokens.admin);
    expect(errorCode(await t.gql(`{ me { id } }`, {}, kept.token))).toBe('UNAUTHENTICATED');
  });

  it('writes last used at most once a minute', async () => {
    const { token, apiToken } = await createToken(t.tokens.controller, 'Throttle');
    await t.gql(`{ me { id } }`, {}, token);
    const first = (await row(apiToken.id)).last_used_at;
    expect(first).not.toBeNull();
    await t.gql(`{ me { id } }`, {}, token);
    expect((await row(apiToken.id)).last_used_at).toEqual(first);
    // A minute and more later the next request moves it
    await t.db.dataSource.query(`UPDATE api_token SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [apiToken.id]);
    const old = (await row(apiToken.id)).last_used_at;
    await t.gql(`{ me { id } }`, {}, token);
    expect(new Date((await row(apiToken.id)).last_used_at).getTime()).toBeGreaterThan(new Date(old).getTime() + 100_000);
  });

  it('refuses a bad name, a lifetime outside 1–365 days and a 21st token, creating nothing', async () => {
    const person = await newUser('token.cap@northwind.example', 'VIEWER');
    const before = await t.checksum();
    expect(errorCode(await t.gql(CREATE, { n: '   ', d: 30, r: false }, person.session))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { n: 'x'.repeat(101), d: 30, r: false }, person.session))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { n: 'Nul\u0000byte', d: 30, r: false }, person.session))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { n: 'Too long', d: 366, r: false }, person.session))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { n: 'Too short', d: 0, r: false }, person.session))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(CREATE, { n: 'Nobody', d: 30, r: false }))).toBe('UNAUTHENTICATED');
    expect(await t.checksum()).toBe(before);
    for (let i = 0; i < 20; i++) await createToken(person.session, `Token ${i}`, { days: 365 });
    expect(errorCode(await t.gql(CREATE, { n: 'Twenty-first', d: 30, r: false }, person.session))).toBe('CONFLICT');
  });

  it('opens a WebSocket with the token in connection_init, and closes it when the token is revoked', async () => {
    const { token, apiToken } = await createToken(t.tokens.viewer, 'Live feed', { readOnly: true });
    const { closes, errors, subscribe } = live.connect(t.url, token);
    subscribe('subscription { measureChanged { kind } }');
    await settle(300);
    expect(closes).toEqual([]);
    expect(errors).toEqual([]);
    await t.gql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: apiToken.id }, t.tokens.viewer);
    await settle(300);
    expect(closes).toEqual([4403]);
  });
});
