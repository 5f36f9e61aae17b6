import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster of its own (initdb in a temporary directory, a free port), for the fault tests
 * that stop and restart the database server: the machine's shared cluster must not be restarted under other work.
 * Needs the PostgreSQL server binaries; as root the server runs as the `postgres` user (it refuses root).
 */
export interface PrivatePostgres {
  /** Connection URL of its `postgres` database as the `postgres` superuser (trust auth, 127.0.0.1 only). */
  url: string;
  /** Fast shutdown: every session ends with 57P01, then new connections are refused until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and deletes its files. */
  destroy(): Promise<void>;
}

/** The directory of the server binaries, or undefined when this machine has none. */
export function postgresBinDir(): string | undefined {
  const candidates: string[] = [];
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromConfig.status === 0) candidates.push(fromConfig.stdout.trim());
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    for (const version of fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(debian, version, 'bin'));
  }
  const runsAsRoot = process.getuid?.() === 0;
  if (runsAsRoot && spawnSync('id', ['-u', 'postgres']).status !== 0) return undefined;
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((program) => fs.existsSync(path.join(dir, program))));
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries on this machine');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-private-pg-'));
  const dataDir = path.join(dir, 'data');
  if (asRoot) spawnSync('chown', ['postgres', dir]);
  // PostgreSQL refuses to run as root: then each binary runs as the postgres user, which owns the directory.
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]] : [path.join(bin, program), args];

  const [initCmd, initArgs] = command('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', cwd: dir });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();

  const pgCtl = (args: string[]) => {
    const [cmd, cmdArgs] = command('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'server.log'), ...args]);
    const run = spawnSync(cmd, cmdArgs, { encoding: 'utf8', cwd: dir, timeout: 60_000 });
    if (run.status !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${run.stderr || run.stdout}\n${readLog()}`);
  };
  const readLog = () => (fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-4000) : '');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`;
  let running = false;
  const start = async () => {
    pgCtl(['start', '-w', '-t', '30', '-o', options]);
    running = true;
  };
  // Fast shutdown: sessions are terminated (57P01), not waited for.
  const stop = async () => {
    if (!running) return;
    pgCtl(['stop', '-m', 'fast', '-w', '-t', '30']);
    running = false;
  };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await start();
  return {
    url,
    start,
    stop,
    async destroy() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
