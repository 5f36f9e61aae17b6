import 'reflect-metadata';
import './pg-types.js';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Config } from '../config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { migrations } from './migrations/index.js';
import { SqlStatementCounter } from './sql-statement-counter.js';
import { grantApplicationRole } from './database-roles.js';

export type DatabaseTarget =
  /** `migrationUrl`: the owner role that migrates; the application's role (`url`) is then granted only what it needs. */
  | { kind: 'postgres'; url: string; poolSize?: number; migrationUrl?: string }
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
  return config.kind === 'postgres' ? { kind: 'postgres', url: config.url, poolSize: config.poolSize, migrationUrl: config.migrationUrl } : config;
}

/** The entity classes a data source maps: the application's list comes from its composition (open-database.ts). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

export async function openDatabase(target: DatabaseTarget, options: { entities: EntityList; logErrors?: boolean }): Promise<Database> {
  const statements = new SqlStatementCounter(options.logErrors ?? false);
  let embedded: EmbeddedPostgres | undefined;
  let connection: Record<string, unknown>;
  if (target.kind === 'embedded') {
    embedded = await startEmbeddedPostgres(target.dataDir);
    connection = { host: embedded.socketDir, port: embedded.port, username: 'postgres', database: 'postgres', poolSize: 1 };
  } else {
    connection = { url: target.url, poolSize: target.poolSize ?? 10 };
  }
  const dataSource = new DataSource({ ...dataSourceOptions(connection, options.entities), logger: statements, logging: ['query', 'error'] });
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
      const lock = target.kind === 'postgres' ? new pg.Client({ connectionString: target.migrationUrl ?? target.url }) : null;
      try {
        if (lock) {
          await lock.connect();
          await lock.query(`SELECT pg_advisory_lock(hashtext('gatehouse.migrations'))`);
        }
        const ran =
          target.kind === 'postgres' && target.migrationUrl
            ? await migrateAsOwner(target.migrationUrl, dataSource)
            : (await dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name);
        db.migrated = true;
        return ran;
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

function dataSourceOptions(connection: Record<string, unknown>, entities: EntityList) {
  return {
    type: 'postgres' as const,
    ...connection,
    entities,
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'all' as const,
    synchronize: false,
    // The migrations make the schema. TypeORM would otherwise CREATE EXTENSION "uuid-ossp" on every connect for the
    // uuid columns, which default to the built-in gen_random_uuid() and never need it (and the application's own
    // role, with separate roles, may not create extensions).
    installExtensions: false,
    extra: {
      // Every session speaks UTC, so dates and month boundaries never depend on the host's zone.
      options: '-c TimeZone=UTC',
      connectionTimeoutMillis: 10_000,
      application_name: 'gatehouse',
    },
  };
}

/**
 * Runs the migrations over the owner role's own connection, then grants the application's role (that of `app`)
 * what it needs (database-roles.ts). The owner's connection is closed again: the application never holds it.
 */
async function migrateAsOwner(ownerUrl: string, app: DataSource): Promise<string[]> {
  const owner = new DataSource({ ...dataSourceOptions({ url: ownerUrl, poolSize: 1 }, app.options.entities ?? []), logging: false });
  await owner.initialize();
  try {
    const ran = await owner.runMigrations({ transaction: 'all' });
    const [{ role }]: { role: string }[] = await app.query(`SELECT current_user AS role`);
    const [{ ownerRole }]: { ownerRole: string }[] = await owner.query(`SELECT current_user AS "ownerRole"`);
    if (role !== ownerRole) await grantApplicationRole(owner, role);
    return ran.map((m) => m.name);
  } finally {
    await owner.destroy();
  }
}
