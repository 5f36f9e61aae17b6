import path from 'node:path';
import request from 'supertest';
import { createApp, type App, type AppConfig } from '../app.js';
import { loadConfig } from '../config/config.js';
import { bootstrapOrganisation } from '../bootstrap.js';
import { openDatabase, type Database } from '../open-database.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../modules/demo/demo-catalogue.js';
import type { DemoSummary } from '../modules/demo/demo-data.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { databaseChecksum } from './db-checksum.js';
import { generateSigningKeyPem } from '../modules/audit/audit-signing.js';

export type DemoRole = (typeof DEMO_ACCOUNTS)[number]['key'];

export interface GqlResult<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestApp {
  app: App;
  db: Database;
  url: string;
  demo: DemoSummary | null;
  /** Session tokens of the demo accounts, by role key. */
  tokens: Record<DemoRole, string>;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  login(email: string, password?: string): Promise<string>;
  checksum(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Boots the real application on a fresh, migrated database (with the demo organisation unless told otherwise)
 * and speaks HTTP to it, as a client would.
 */
export async function startTestApp(options: { demo?: boolean; config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  const testDb: TestDatabase = await createTestDatabase();
  const db = await openDatabase(testDb.target, { logErrors: false });
  await db.migrate();
  let demo: DemoSummary | null = null;
  if (options.demo !== false) {
    const boot = await bootstrapOrganisation(db, { demoData: true, bootstrap: { currency: 'EUR' } });
    if (boot.kind === 'demo') demo = boot.summary;
  }
  const app = await createApp({ ...testAppConfig(), ...options.config }, db);
  const url = await app.listen(0, '127.0.0.1');

  const gql: TestApp['gql'] = async (query, variables = {}, token) => {
    const req = request(app.httpServer).post('/graphql').set('content-type', 'application/json');
    if (token) req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    return res.body;
  };
  const login = async (email: string, password = DEMO_PASSWORD) => {
    const res = await gql<{ login: { token: string } }>(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
      { e: email, p: password },
    );
    if (!res.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
    return res.data.login.token;
  };
  const tokens = {} as Record<DemoRole, string>;
  if (demo) for (const a of DEMO_ACCOUNTS) tokens[a.key] = await login(a.email);

  return {
    app,
    db,
    url,
    demo,
    tokens,
    gql,
    login,
    checksum: () => databaseChecksum(db.dataSource),
    async close() {
      await app.stop();
      await db.close();
      await testDb.drop();
    },
  };
}

/** One audit signing key per test process, so no test writes a key file. */
export const TEST_AUDIT_KEY = generateSigningKeyPem();

/**
 * The configuration tests run with: the defaults of config.ts, one-hour idle and one-day absolute sessions, and
 * the process's audit signing key.
 */
export function testAppConfig(env: Record<string, string> = {}): AppConfig {
  const config = loadConfig({ NODE_ENV: 'test', AUDIT_SIGNING_KEY: TEST_AUDIT_KEY.privateKeyPem, ...env });
  return { ...config, session: { idleMinutes: 60, absoluteHours: 24 }, webDistDir: path.resolve(import.meta.dirname, '../../../web/dist') };
}

/** The error code of the first error, for terse assertions. */
export function errorCode(result: GqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
