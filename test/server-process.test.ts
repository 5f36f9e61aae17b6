import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/test-database.js';
import { expectStartFailure, gql, login, SERVER_ENTRY, startServer } from './support/server-process.js';

/** The server as a process: start, health, restart with the data kept, clean shutdown, refusals at start. */
describe.each(process.env.TEST_DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'])('the Gatehouse server on %s', (kind) => {
  let dataDir: string;
  let testDb: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    expect(fs.existsSync(SERVER_ENTRY), 'run `npm run build` first').toBe(true);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    if (kind === 'postgres') {
      testDb = await createTestDatabase();
      env = { DATABASE_URL: testDb.url!, DEMO_DATA: 'on' };
    } else {
      env = { DATA_DIR: dataDir };
    }
  });
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await testDb?.drop();
  });

  it('starts with demo data, keeps changes across a restart and stops cleanly on SIGTERM', async () => {
    // Setup
    const first = await startServer(env);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    const token = await login(first.url, 'admin@northwind.example');
    const page = await gql(first.url, `{ measures(first: 50) { totalCount edges { node { id version } } } }`, {}, token);
    expect(page.data.measures.edges).toHaveLength(50);
    expect(page.data.measures.totalCount).toBeGreaterThanOrEqual(60);
    const m = page.data.measures.edges[0].node;
    // Action
    const updated = await gql(
      first.url,
      `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Survives restarts" }) { version } }`,
      { id: m.id, v: m.version },
      token,
    );
    expect(updated.errors).toBeUndefined();
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toMatch(/stopped cleanly/);
    // The first start says what it is doing while it creates the database, the schema and the demo.
    const steps = kind === 'embedded' ? [/creating the embedded PostgreSQL \(PGlite\) database/] : [/connecting to the PostgreSQL database/];
    steps.push(/bringing the database schema up to date/, /applied migrations/, /loading the demo organisation Northwind Services/, /running at/);
    const at = steps.map((step) => first.output().search(step));
    expect(at.every((i) => i >= 0), first.output()).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const second = await startServer(env);
    // Assert
    try {
      const again = await login(second.url, 'admin@northwind.example');
      const after = await gql(second.url, `query($id: ID!) { measure(id: $id) { title } measures { totalCount } }`, { id: m.id }, again);
      expect(after.data.measure.title).toBe('Survives restarts');
      expect(after.data.measures.totalCount).toBe(page.data.measures.totalCount);
      expect(second.output()).not.toMatch(/Loaded the demo|loading the demo/);
      if (kind === 'embedded') expect(second.output()).toMatch(/opening the embedded PostgreSQL \(PGlite\) database/);
      // The old session survives the restart too: sessions live in the database.
      expect((await gql(second.url, `{ me { email } }`, {}, token)).data.me.email).toBe('admin@northwind.example');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it.runIf(kind === 'embedded')('refuses a second process on the same embedded database, naming the first', async () => {
    const first = await startServer(env);
    try {
      const refused = await expectStartFailure(env);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/in use by process \d+/);
      expect(refused.output).toContain(first.url);
    } finally {
      await first.stop();
    }
  });
});

describe('first start without demo data', () => {
  it('refuses to start on an empty database without the organisation and first admin, saying what to set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    try {
      const refused = await expectStartFailure({ DATA_DIR: dir, DEMO_DATA: 'off' });
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/Set ORG_NAME and ADMIN_EMAIL/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without ADMIN_PASSWORD logs a one-time setup link where the first admin chooses a password and is signed in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    const server = await startServer({ DATA_DIR: dir, DEMO_DATA: 'off', ORG_NAME: 'Contoso Setup', ADMIN_EMAIL: 'setup-admin@contoso.example' });
    try {
      // The link is printed once the server listens
      await expect.poll(() => /First admin setup: setup-admin@contoso.example chooses a password at (\S+)/.exec(server.output())?.[1] ?? '', { timeout: 10_000 }).toMatch(/set-password\?token=/);
      const link = /First admin setup: setup-admin@contoso.example chooses a password at (\S+)/.exec(server.output())![1];
      expect(link.startsWith(`${server.url}/set-password?token=`)).toBe(true);
      const token = new URL(link).searchParams.get('token')!;
      const set = await gql(server.url, `mutation($t: String!) { setPasswordWithToken(token: $t, newPassword: "my own admin passphrase") { token mustChangePassword } }`, { t: token });
      expect(set.data?.setPasswordWithToken.mustChangePassword).toBe(false);
      const me = await gql(server.url, `{ me { email roles { role scopeKind } } }`, {}, set.data!.setPasswordWithToken.token);
      expect(me.data).toEqual({ me: { email: 'setup-admin@contoso.example', roles: [{ role: 'ADMIN', scopeKind: 'ORGANISATION' }] } });
      await expect(login(server.url, 'setup-admin@contoso.example', 'my own admin passphrase')).resolves.toBeTruthy();
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the organisation and its first admin from the configuration', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    const server = await startServer({
      DATA_DIR: dir,
      DEMO_DATA: 'off',
      ORG_NAME: 'Contoso Support',
      ADMIN_EMAIL: 'it-admin@contoso.example',
      ADMIN_PASSWORD: 'correct-horse-battery',
    });
    try {
      const token = await login(server.url, 'it-admin@contoso.example', 'correct-horse-battery');
      // A password from the environment is not the admin's own: it is changed at first sign-in
      expect((await gql(server.url, `{ me { mustChangePassword } }`, {}, token)).data).toEqual({ me: { mustChangePassword: true } });
      const res = await gql(server.url, `{ organisation { name } measures { totalCount } me { roles { role scopeKind } } }`, {}, token);
      expect(res.data).toEqual({
        organisation: { name: 'Contoso Support' },
        measures: { totalCount: 0 },
        me: { roles: [{ role: 'ADMIN', scopeKind: 'ORGANISATION' }] },
      });
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
