import 'reflect-metadata';
import './pg-types.js';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Config } from '../config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { SqlStatementCounter } from './sql-statement-counter.js';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** `dataDir: null` keeps the embedded database in memory (tests). */
  | { kind: 'embedded'; dataDir: string | null };

export interface Database {
  kind: DatabaseTarget['kind'];
  dataSource: DataSource;
  statements: SqlStatementCounter;
  /** True once migrations ran; /healthz also pings the database. */
  migrated: boolean;
  migrate(): Promise<string[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function databaseTarget(config: Config['database']): DatabaseTarget {
  return config.kind === 'postgres' ? { kind: 'postgres', url: config.url, poolSize: config.poolSize } : config;
}

export async function openDatabase(target: DatabaseTarget, options: { logErrors?: boolean } = {}): Promise<Database> {
  const statements = new SqlStatementCounter(options.logErrors ?? false);
  let embedded: EmbeddedPostgres | undefined;
  let connection: Record<string, unknown>;
  if (target.kind === 'embedded') {
    embedded = await startEmbeddedPostgres(target.dataDir);
    connection = { host: embedded.socketDir, port: embedded.port, username: 'postgres', database: 'postgres', poolSize: 1 };
  } else {
    connection = { url: target.url, poolSize: target.poolSize ?? 10 };
  }
  const dataSource = new DataSource({
    type: 'postgres',
    ...connection,
    entities,
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'all',
    synchronize: false,
    logger: statements,
    logging: ['query', 'error'],
    extra: {
      // Every session speaks UTC, so dates and month boundaries never depend on the host's zone.
      options: '-c TimeZone=UTC',
      connectionTimeoutMillis: 10_000,
      application_name: 'gatehouse',
    },
  });
  try {
    await dataSource.initialize();
  } catch (e) {
    await embedded?.close();
    throw e;
  }
  const db: Database = {
    kind: target.kind,
    dataSource,
    statements,
    migrated: false,
    async migrate() {
      // Several instances may start together on one server database: the first migrates, the others wait for it
      // on a session advisory lock held by a connection of its own (PGlite serves a single process anyway).
      const lock = target.kind === 'postgres' ? new pg.Client({ connectionString: target.url }) : null;
      try {
        if (lock) {
          await lock.connect();
          await lock.query(`SELECT pg_advisory_lock(hashtext('gatehouse.migrations'))`);
        }
        const ran = await dataSource.runMigrations({ transaction: 'all' });
        db.migrated = true;
        return ran.map((m) => m.name);
      } finally {
        await lock?.end().catch(() => undefined);
      }
    },
    async ping() {
      try {
        await dataSource.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.close();
    },
  };
  return db;
}
