import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../server/src/app.js';
import { bootstrapOrganisation } from '../server/src/bootstrap.js';
import { openDatabase, type Database } from '../server/src/open-database.js';
import { DEMO_PASSWORD } from '../server/src/modules/demo/demo-catalogue.js';
import { rewriteAuditChain } from '../server/src/testing/audit-rewrite.js';
import { TEST_AUDIT_KEY, testAppConfig } from '../server/src/testing/test-app.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const AUDIT_CLI = path.join(ROOT, 'server/dist/cli/audit-cli.js');
const ADMIN_URL = process.env.TEST_DATABASE_URL;

function urlFor(role: string, database: string): string {
  const url = new URL(ADMIN_URL!);
  url.username = role;
  url.password = '';
  url.pathname = `/${database}`;
  return url.toString();
}

function runAuditCli(args: string[], databaseUrl: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AUDIT_CLI, ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, AUDIT_SIGNING_KEY: TEST_AUDIT_KEY.privateKeyPem, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** The real application on `db`, signed in as the demo admin. */
async function startOn(db: Database): Promise<{ app: App; gql: (query: string) => Promise<any> }> {
  await db.migrate();
  await bootstrapOrganisation(db, { demoData: true, bootstrap: { currency: 'EUR' } });
  const app = await createApp(testAppConfig(), db);
  const post = (query: string, token?: string) => {
    const req = request(app.httpServer).post('/graphql').set('content-type', 'application/json');
    if (token) req.set('authorization', `Bearer ${token}`);
    return req.send({ query }).then((r) => r.body);
  };
  const login = await post(`mutation { login(email: "admin@northwind.example", password: "${DEMO_PASSWORD}") { token } }`);
  const token = login.data.login.token as string;
  return {
    app,
    gql: async (query) => {
      const body = await post(query, token);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
  };
}

/** Audited changes: a new service category each. */
async function changes(gql: (q: string) => Promise<any>, n: number, label: string): Promise<void> {
  for (let i = 0; i < n; i++) await gql(`mutation { saveServiceCategory(input: { name: "${label} ${i}" }) { id } }`);
}

describe.runIf(Boolean(ADMIN_URL))('the audit chain against a rewrite with the application’s database credentials (needs TEST_DATABASE_URL)', () => {
  const suffix = randomBytes(4).toString('hex');
  const appRole = `gatehouse_app_${suffix}`;
  const ownerRole = `gatehouse_owner_${suffix}`;
  const databases = [`gatehouse_tamper_single_${suffix}`, `gatehouse_tamper_split_${suffix}`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-audit-'));
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  const opened: Database[] = [];
  const apps: App[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE ROLE ${appRole} LOGIN`);
    await admin.query(`CREATE ROLE ${ownerRole} LOGIN`);
    // One deployment as today: the application's role owns its database. One with the two roles of the README.
    await admin.query(`CREATE DATABASE ${databases[0]} OWNER ${appRole}`);
    await admin.query(`CREATE DATABASE ${databases[1]} OWNER ${ownerRole}`);
    await admin.query(`REVOKE ALL ON DATABASE ${databases[1]} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT ON DATABASE ${databases[1]} TO ${appRole}`);
    fs.writeFileSync(path.join(dir, 'public-key.pem'), TEST_AUDIT_KEY.publicKeyPem);
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    for (const db of opened) await db.close();
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${appRole}`);
    await admin.query(`DROP ROLE IF EXISTS ${ownerRole}`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the first entry an attacker rewrote, re-hashing every later entry and the head, where verifyAuditTrail answers ok', async () => {
    // Setup: the application connected as its own role, which owns the tables (a single-role deployment)
    const appUrl = urlFor(appRole, databases[0]);
    const db = await openDatabase({ kind: 'postgres', url: appUrl, poolSize: 4 });
    opened.push(db);
    const { app, gql } = await startOn(db);
    apps.push(app);
    await changes(gql, 6, 'Before the export');
    const checkpoint = (await gql(`mutation { createAuditCheckpoint { seq keyId } }`)).createAuditCheckpoint;
    expect(checkpoint.seq).toBeGreaterThan(6);
    const file = path.join(dir, 'checkpoints.json');
    const exported = await runAuditCli(['export', '--out', file], appUrl);
    expect(exported.code, exported.out).toBe(0);
    await changes(gql, 3, 'After the export');
    const intact = await runAuditCli(['verify', '--checkpoints', file, '--public-key', path.join(dir, 'public-key.pem')], appUrl);
    expect(intact.code, intact.out).toBe(0);

    // Action: with the application's credentials, rewrite one entry the export covers, re-hash everything after it
    // and the head, and remove the signed checkpoints the database held
    const attacker = new pg.Client({ connectionString: appUrl });
    await attacker.connect();
    const { rows: [target] } = await attacker.query(`SELECT id, seq FROM audit_entry WHERE action = 'serviceCategory.saved' ORDER BY seq OFFSET 2 LIMIT 1`);
    try {
      await attacker.query('BEGIN');
      await rewriteAuditChain(async (sql, params) => (await attacker.query(sql, params)).rows, target.id, `after = jsonb_set(after, '{name}', '"Quietly renamed"')`, { dropCheckpoints: true });
      await attacker.query('COMMIT');
    } finally {
      await attacker.end();
    }

    // Assert: the database alone cannot tell; the exported checkpoints name the rewritten entry
    const server = (await gql(`{ verifyAuditTrail { ok checked } }`)).verifyAuditTrail;
    expect(server.ok).toBe(true);
    const offline = await runAuditCli(['verify', '--checkpoints', file, '--public-key', path.join(dir, 'public-key.pem')], appUrl);
    expect(offline.code, offline.out).toBe(1);
    expect(offline.out).toContain(`✗ entry ${target.seq} (id ${target.id}, serviceCategory.saved`);
    expect(offline.out).toContain(`${Number(target.seq) - 1} entries before it match`);
  });

  it('lets the application’s role only read and append to the audit tables when the owner role migrates', async () => {
    // Setup: migrations and grants as the owner; the application as its own role
    const appUrl = urlFor(appRole, databases[1]);
    const db = await openDatabase({ kind: 'postgres', url: appUrl, poolSize: 4, migrationUrl: urlFor(ownerRole, databases[1]) });
    opened.push(db);
    const { app, gql } = await startOn(db);
    apps.push(app);
    await changes(gql, 3, 'Split roles');
    const measure = (await gql(`{ measures(first: 1) { edges { node { id version } } } }`)).measures.edges[0].node;
    await gql(`mutation { updateMeasure(id: "${measure.id}", version: ${measure.version}, input: { description: "Edited by the app role" }) { id } }`);
    expect((await gql(`mutation { createAuditCheckpoint { seq } }`)).createAuditCheckpoint.seq).toBeGreaterThan(3);
    const attacker = new pg.Client({ connectionString: appUrl });
    await attacker.connect();
    try {
      // Action and assert: every step of the rewrite is refused
      const refused = async (sql: string, pattern: RegExp) => {
        await attacker.query('BEGIN');
        await expect(attacker.query(sql), sql).rejects.toThrow(pattern);
        await attacker.query('ROLLBACK');
      };
      await refused(`ALTER TABLE audit_entry DISABLE TRIGGER USER`, /must be owner/);
      await refused(`DROP TRIGGER audit_entry_no_update_delete ON audit_entry`, /must be owner/);
      await refused(`UPDATE audit_entry SET reason = 'edited' WHERE seq = 2`, /permission denied/);
      await refused(`DELETE FROM audit_entry WHERE seq = 2`, /permission denied/);
      await refused(`TRUNCATE audit_entry`, /permission denied/);
      await refused(`UPDATE audit_chain_head SET seq = 1`, /permission denied/);
      await refused(`DELETE FROM audit_checkpoint`, /permission denied/);
      await refused(
        `INSERT INTO audit_entry (organisation_id, at, seq, action, entity_type, entity_id, prev_hash, hash)
         SELECT organisation_id, now(), seq + 5, 'forged', 'Nothing', 'x', hash, hash FROM audit_chain_head`,
        /continue the chain head/,
      );
    } finally {
      await attacker.end();
    }
    expect((await gql(`{ verifyAuditTrail { ok checkpoints } }`)).verifyAuditTrail).toEqual({ ok: true, checkpoints: 1 });
  });
});
