import pg from 'pg';
import { governance } from './governance-helpers.js';
import type { GqlResult, TestApp } from './test-app.js';
import { waitFor } from './wait-for.js';

/** An updateMeasure in flight: inside its transaction, waiting on a row lock another session holds. */
export interface StalledUpdate {
  measureId: string;
  /** The measure's version before the update, which a retry can use. */
  version: number;
  /** Audit entries before the update. */
  auditsBefore: number;
  /** The update's answer, once the lock or the connection is gone. */
  answer: Promise<GqlResult>;
  /** Ends the session holding the lock (it may be dead already). */
  release(): Promise<void>;
}

/**
 * For the database fault tests: a new measure whose row another session locks, and an update of it (as its
 * owner) that starts and waits for that lock inside its transaction, so a fault can strike mid-request.
 */
export async function stalledUpdate(t: TestApp, title: string): Promise<StalledUpdate> {
  const g = governance(t);
  const m = await g.newMeasure(title);
  const version = await g.version(m.id);
  const auditsBefore = (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry`))[0].n;
  const databaseUrl = (t.db.dataSource.options as { url?: string }).url;
  const locker = new pg.Client({ connectionString: databaseUrl });
  const observer = new pg.Client({ connectionString: databaseUrl });
  for (const c of [locker, observer]) {
    c.on('error', () => undefined);
    await c.connect();
  }
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM measure WHERE id = $1 FOR UPDATE', [m.id]);
  const answer = t.gql(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Half-written?" }) { id } }`, { id: m.id, v: version }, t.tokens.owner);
  try {
    await waitFor(async () => (await observer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0);
  } finally {
    await observer.end().catch(() => undefined);
  }
  return { measureId: m.id, version, auditsBefore, answer, release: () => locker.end().catch(() => undefined) };
}
