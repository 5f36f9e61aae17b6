import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite (PostgreSQL compiled to WebAssembly) served over a private Unix socket, so the application reaches the
 * embedded database through the same `pg` driver, wire protocol and SQL as a PostgreSQL server.
 *
 * PGlite is a single session: the pool in front of it must hold exactly one connection, or two transactions
 * would interleave on the one session.
 */
export interface EmbeddedPostgres {
  /** Directory holding the socket `.s.PGSQL.5432`: pass it as the `host` of a pg connection. */
  socketDir: string;
  port: number;
  close(): Promise<void>;
}

export const EMBEDDED_LOCK_FILE = 'gatehouse.lock';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly url: string | undefined,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}${url ? ` (Gatehouse at ${url})` : ''}. ` +
        'PGlite allows one process at a time: stop that process, or send your work to the running server.',
    );
  }
}

interface LockInfo {
  pid: number;
  url?: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `dataDir` holds an embedded database already (else the first start creates one). */
const PG_DATA_DIR = 'pgdata';

export function embeddedDatabaseExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, PG_DATA_DIR));
}

/** Who holds the embedded database in `dataDir`, if anyone still running does. */
export function readDataDirLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, EMBEDDED_LOCK_FILE), 'utf8')) as LockInfo;
    return Number.isInteger(info.pid) && info.pid !== process.pid && processAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Records where the server holding the data directory listens, so the import command can point users there. */
export function announceDataDirUrl(dataDir: string, url: string): void {
  fs.writeFileSync(path.join(dataDir, EMBEDDED_LOCK_FILE), JSON.stringify({ pid: process.pid, url }));
}

function takeLock(dataDir: string): () => void {
  const holder = readDataDirLock(dataDir);
  if (holder) throw new DataDirInUseError(dataDir, holder.pid, holder.url);
  const file = path.join(dataDir, EMBEDDED_LOCK_FILE);
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid }));
  return () => {
    try {
      const info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      if (info.pid === process.pid) fs.unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
}

/** Opens PGlite in `dataDir` (created if missing), or in memory when `dataDir` is null. */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  let releaseLock = () => {};
  let pgDataDir: string | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = takeLock(dataDir);
    pgDataDir = path.join(dataDir, PG_DATA_DIR);
  }
  try {
    const db = await PGlite.create(pgDataDir ? { dataDir: pgDataDir } : {});
    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-pg-'));
    fs.chmodSync(socketDir, 0o700);
    const port = 5432;
    const server = new PGLiteSocketServer({ db, path: path.join(socketDir, `.s.PGSQL.${port}`) });
    await server.start();
    return {
      socketDir,
      port,
      async close() {
        await server.stop();
        await db.close();
        fs.rmSync(socketDir, { recursive: true, force: true });
        releaseLock();
      },
    };
  } catch (e) {
    releaseLock();
    throw e;
  }
}
