import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';

const ENTRY = path.resolve(import.meta.dirname, '../../server/dist/main.js');
/** Production on PostgreSQL signs audit checkpoints: one throwaway key for the run. */
const AUDIT_SIGNING_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The built server as its own process (as in production), with a small GraphQL client. */
export function startServerProcess(env) {
  const child = spawn(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'info', AUDIT_SIGNING_KEY, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+?) /.exec(out);
      if (!m) return;
      // Request log lines (info, as in production) are read and dropped from here on.
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      const url = m[1].replace('localhost', '127.0.0.1');
      const gql = async (query, variables, token) =>
        (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) })).json();
      resolve({
        url,
        pid: child.pid,
        gql,
        login: async (email) => (await gql(`mutation($e: String!) { login(email: $e, password: "demo-password") { token } }`, { e: email })).data.login.token,
        stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }),
      });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}
