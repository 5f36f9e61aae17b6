import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SERVER_ENTRY = path.join(ROOT, 'server/dist/main.js');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built server (`server/dist/main.js`) as its own process, the way `npm start` does. */
export function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = () => {
      const m = /running at (http:\/\/\S+?) /.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        url: m[1],
        child,
        output: () => output,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`server exited with ${code} before starting:\n${output}`), { code, output }));
    });
  });
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function expectStartFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  try {
    const server = await startServer(env);
    await server.stop('SIGKILL');
    throw new Error('server started but was expected to refuse');
  } catch (e) {
    const err = e as { code?: number | null; output?: string };
    if (err.output === undefined) throw e;
    return { code: err.code ?? null, output: err.output };
  }
}

export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

export async function login(url: string, email: string, password = 'demo-password'): Promise<string> {
  const res = await gql<{ login: { token: string } }>(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
    e: email,
    p: password,
  });
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.login.token;
}
