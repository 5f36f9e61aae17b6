import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../database/database.js';

/**
 * A fresh database for one test file: an in-memory PGlite, or — when TEST_DATABASE_URL points at a PostgreSQL
 * server — a new database created on it and dropped afterwards.
 */
export interface TestDatabase {
  target: DatabaseTarget;
  /** The connection URL on a server, for tests that start the real server process. */
  url?: string;
  drop(): Promise<void>;
}

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = serverUrl();
  if (!adminUrl) return { target: { kind: 'embedded', dataDir: null }, drop: async () => {} };
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString(), poolSize: 10 },
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
