import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../../server/dist/app.js';
import { bootstrapOrganisation } from '../../server/dist/bootstrap.js';
import { openDatabase } from '../../server/dist/open-database.js';
import { loadConfig } from '../../server/dist/config/config.js';

/** A migrated database with one organisation, opened by the real data layer. */
export async function openBenchDatabase(target) {
  const db = await openDatabase(target);
  await db.migrate();
  await bootstrapOrganisation(db, { demoData: false, bootstrap: { orgName: 'Bench Services', currency: 'EUR', adminEmail: 'admin@bench.example', adminPassword: 'bench-password-1' } });
  const [{ id: orgId }] = await db.dataSource.query(`SELECT id FROM organisation LIMIT 1`);
  return { db, orgId };
}

/** A user holding `role` on the organisation, with a session token, written straight into the database. */
export async function benchUser(db, orgId, role) {
  const token = randomBytes(32).toString('base64url');
  const [{ id }] = await db.dataSource.query(
    `INSERT INTO app_user (organisation_id, email, name, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id`,
    [orgId, `${role.toLowerCase()}-${randomBytes(3).toString('hex')}@bench.example`, `Bench ${role}`],
  );
  await db.dataSource.query(`INSERT INTO role_grant (user_id, role, scope_id, scope_kind) VALUES ($1, $2, $3, 'ORGANISATION')`, [id, role, orgId]);
  await db.dataSource.query(`INSERT INTO user_session (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [
    createHash('sha256').update(token).digest('hex'),
    id,
  ]);
  return { id, token };
}

/** The real HTTP app on an ephemeral port, and a GraphQL client for it. */
export async function startBenchApp(db) {
  // The production configuration (limits, headers, sessions), as `npm start` would have it, with a throwaway key.
  const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const app = await createApp({ ...loadConfig({ NODE_ENV: 'production', AUDIT_SIGNING_KEY: key }), webDistDir: '/nonexistent' }, db);
  const url = await app.listen(0, '127.0.0.1');
  const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 64 });
  const gql = async (query, variables, token) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      dispatcher: undefined,
      agent,
    });
    const body = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data;
  };
  return { app, url, gql, stop: () => app.stop() };
}

/** Milliseconds of each of `n` sequential runs of `fn`, after `warm` unmeasured ones; `fn` gets a run index. */
export async function timeRuns(fn, n, warm = 5) {
  for (let i = 0; i < warm; i++) await fn(i);
  const out = [];
  for (let i = warm; i < warm + n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export function pgPool(url) {
  return new pg.Pool({ connectionString: url, max: 10 });
}
