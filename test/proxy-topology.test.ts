import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/test-database.js';
import { gql, login, startServer, type ServerProcess } from './support/server-process.js';
import { writeServiceNowExport } from './support/servicenow-file.js';

/**
 * The deployment's topology without Docker: the shipped deploy/nginx.conf in front of two instances on one
 * PostgreSQL database, reached the way a browser reaches it — a host name that is not localhost, on a port that
 * is not 80, so the Host header carries the port and WebSocket upgrades carry an Origin.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const SHIPPED = path.join(ROOT, 'deploy/nginx.conf');
/** A loopback address other than 127.0.0.1, and the public name the test resolves to it. */
const PROXY_ADDRESS = '127.0.0.2';
const PUBLIC_NAME = 'gatehouse.test';

/** The nginx binary (Debian installs it in /usr/sbin, which a user's PATH may lack), or null. */
function findNginx(): string | null {
  for (const candidate of ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

const NGINX = findNginx();
const skipReason = !process.env.TEST_DATABASE_URL
  ? 'skipped: needs TEST_DATABASE_URL (two instances share one PostgreSQL database; PGlite belongs to one process)'
  : !NGINX
    ? 'skipped: no nginx binary (apt-get install nginx; CI installs it in .ci/run)'
    : null;

/** Replaces `pattern`, which must occur exactly once: a shipped file that changed shape fails loudly here. */
function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  const count = text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
  if (count !== 1) throw new Error(`deploy/nginx.conf: expected ${pattern} once, found it ${count} times`);
  return text.replace(pattern, replacement);
}

/**
 * The shipped configuration with only what differs outside Docker replaced: the upstream servers (two instances
 * instead of Docker's name for the replicas), the listen addresses (HTTPS, or plain HTTP for the load tests when
 * `tls` is false; the redirecting port 80), the certificate, and the files nginx writes (pid, logs, temporary
 * bodies) moved into `dir`. Everything else — limits, headers, timeouts, TLS settings — is the shipped text.
 */
function nginxConfigFor(shipped: string, o: { listen: string; redirectListen: string; tls: boolean; certificate: { crt: string; key: string }; upstreams: string[]; dir: string }): string {
  let conf = replaceOnce(shipped, /^([ \t]*)server gatehouse:4000;$/m, o.upstreams.map((u) => `$1server ${u};`).join('\n'));
  conf = replaceOnce(conf, /^([ \t]*)listen 443 ssl;$/m, `$1listen ${o.listen}${o.tls ? ' ssl' : ''};`);
  conf = replaceOnce(conf, /^([ \t]*)listen 80;$/m, `$1listen ${o.redirectListen};`);
  conf = replaceOnce(conf, /^([ \t]*)ssl_certificate \/etc\/nginx\/certs\/tls\.crt;$/m, `$1ssl_certificate ${o.certificate.crt};`);
  conf = replaceOnce(conf, /^([ \t]*)ssl_certificate_key \/etc\/nginx\/certs\/tls\.key;$/m, `$1ssl_certificate_key ${o.certificate.key};`);
  conf = `pid ${o.dir}/nginx.pid;\nerror_log ${o.dir}/error.log warn;\n${conf}`;
  const paths = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((p) => `  ${p}_temp_path ${o.dir}/${p};`).join('\n');
  return replaceOnce(conf, /^http \{$/m, `http {\n${paths}\n  access_log ${o.dir}/access.log;`);
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs nginx on `conf` in `dir` (its pid, logs and temporary files there). */
function runNginx(dir: string, conf: string, onOutput: (d: string) => void): ChildProcess {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(`${dir}/nginx.conf`, conf);
  const child = spawn(NGINX!, ['-p', dir, '-c', `${dir}/nginx.conf`, '-e', `${dir}/error.log`, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => onOutput(String(d)));
  child.stderr!.on('data', (d) => onOutput(String(d)));
  return child;
}

async function stopNginx(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

async function waitForPort(host: string, port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port }, () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${host}:${port} within 10 s:\n${log()}`);
}

/** Resolves the public name to the proxy's loopback address, as DNS would. */
const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
  options.all ? callback(null, [{ address: PROXY_ADDRESS, family: 4 }]) : callback(null, PROXY_ADDRESS, 4)) as unknown as net.LookupFunction;

interface Answer {
  status: number;
  text: string;
  socket: net.Socket;
}

describe.skipIf(skipReason !== null)(`nginx (deploy/nginx.conf) in front of two instances${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let nginx: ChildProcess;
  let tlsNginx: ChildProcess;
  let dir: string;
  let tlsPort: number;
  let redirectPort: number;
  let certificate: { crt: string; key: string };
  let origin: string;
  let port: number;
  let nginxLog = '';
  const errorLog = () => `${nginxLog}\n${fs.existsSync(`${dir}/error.log`) ? fs.readFileSync(`${dir}/error.log`, 'utf8').slice(-4000) : ''}`;

  /** One request through the proxy to http://gatehouse.test:<port>. */
  function request(method: string, pathname: string, o: { headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: PUBLIC_NAME, port, path: pathname, method, headers: o.headers, lookup, agent: o.agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text, socket: req.socket! }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(o.body);
    });
  }

  async function proxiedLogin(email: string, agent?: http.Agent): Promise<string> {
    const res = await request('POST', '/graphql', {
      agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: email, p: 'demo-password' } }),
    });
    const token = JSON.parse(res.text).data?.login?.token;
    if (res.status !== 200 || !token) throw new Error(`sign-in through the proxy answered ${res.status}: ${res.text.slice(0, 300)}`);
    return token;
  }

  /** A browser's WebSocket: the public name, and the page's Origin. */
  function socket(): WebSocket {
    return new WebSocket(`ws://${PUBLIC_NAME}:${port}/graphql`, 'graphql-transport-ws', { lookup, origin } as WebSocket.ClientOptions);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startServer({ DATABASE_URL: db.url!, DEMO_DATA: 'on', TRUST_PROXY_HOPS: '1' });
    b = await startServer({ DATABASE_URL: db.url!, TRUST_PROXY_HOPS: '1' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-nginx-'));
    // Run as root, nginx's workers switch to `nobody`, who must reach the temporary directories.
    fs.chmodSync(dir, 0o755);
    // A self-signed certificate for the public name, made the way deploy/tls-entrypoint.sh makes one.
    certificate = { crt: `${dir}/tls.crt`, key: `${dir}/tls.key` };
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-days', '1', '-nodes', '-keyout', certificate.key, '-out', certificate.crt,
      '-subj', `/CN=${PUBLIC_NAME}`, '-addext', `subjectAltName=DNS:${PUBLIC_NAME}`], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
    port = await freePort(PROXY_ADDRESS);
    origin = `http://${PUBLIC_NAME}:${port}`;
    const upstreams = [new URL(a.url).host, new URL(b.url).host];
    const shipped = fs.readFileSync(SHIPPED, 'utf8');
    // The load tests speak plain HTTP to the proxied server block (TLS would measure the test's own handshakes).
    const plainRedirect = await freePort(PROXY_ADDRESS);
    nginx = runNginx(dir, nginxConfigFor(shipped, { listen: `${PROXY_ADDRESS}:${port}`, redirectListen: `${PROXY_ADDRESS}:${plainRedirect}`, tls: false, certificate, upstreams, dir }), (d) => (nginxLog += d));
    await waitForPort(PROXY_ADDRESS, port, nginx, errorLog);
    // The shipped HTTPS server and its redirect, as docker-compose.yml runs them.
    tlsPort = await freePort(PROXY_ADDRESS);
    redirectPort = await freePort(PROXY_ADDRESS);
    const tlsDir = `${dir}/tls`;
    tlsNginx = runNginx(tlsDir, nginxConfigFor(shipped, { listen: `${PROXY_ADDRESS}:${tlsPort}`, redirectListen: `${PROXY_ADDRESS}:${redirectPort}`, tls: true, certificate, upstreams, dir: tlsDir }), (d) => (nginxLog += d));
    await waitForPort(PROXY_ADDRESS, tlsPort, tlsNginx, errorLog);
  });

  afterAll(async () => {
    await stopNginx(nginx);
    await stopNginx(tlsNginx);
    await a?.stop();
    await b?.stop();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the certificate, redirects plain HTTP to it, and sets a Secure session cookie for a public name', async () => {
    const redirect = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
      http.get({ host: PUBLIC_NAME, port: redirectPort, path: '/measures?doi=3', lookup }, (res) => (res.resume(), resolve({ status: res.statusCode!, location: res.headers.location }))).on('error', reject);
    });
    expect(redirect).toEqual({ status: 301, location: `https://${PUBLIC_NAME}/measures?doi=3` });

    /** A request over TLS to https://gatehouse.test:<port>, trusting only the test's certificate. */
    const secure = (pathname: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
      new Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders; protocol: string | null }>((resolve, reject) => {
        const req = https.request(
          { host: PUBLIC_NAME, servername: PUBLIC_NAME, port: tlsPort, path: pathname, method: o.method ?? 'GET', headers: o.headers, lookup, ca: fs.readFileSync(certificate.crt) },
          (res) => {
            let text = '';
            const protocol = (res.socket as import('node:tls').TLSSocket).getProtocol();
            res.setEncoding('utf8');
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers, protocol }));
          },
        );
        req.on('error', reject);
        req.end(o.body);
      });
    const signIn = await secure('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { sessionCookieKept } }', variables: { e: 'viewer@northwind.example', p: 'demo-password' } }),
    });
    expect(signIn.status, signIn.text.slice(0, 300)).toBe(200);
    expect(signIn.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(JSON.parse(signIn.text).data.login.sessionCookieKept).toBe(true);
    const cookie = signIn.headers['set-cookie']![0]!;
    // The app saw https through the trusted proxy hop (X-Forwarded-Proto): the cookie is Secure.
    expect(cookie).toMatch(/^gh_session=[\w-]+;/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    const me = await secure('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookie.split(';')[0]!, origin: `https://${PUBLIC_NAME}:${tlsPort}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(JSON.parse(me.text).data).toEqual({ me: { name: 'Vera Viewer' } });
  });

  it('signs in through the proxy and delivers live events from both instances to a subscriber on the proxy', async () => {
    const token = await proxiedLogin('owner@northwind.example');
    const client = createClient({
      url: `ws://${PUBLIC_NAME}:${port}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { lookup, origin } as WebSocket.ClientOptions);
        }
      },
      connectionParams: { token },
      retryAttempts: 0,
    });
    const events: any[] = [];
    const errors: unknown[] = [];
    let connected = false;
    client.on('connected', () => (connected = true));
    client.subscribe({ query: 'subscription { measureChanged { kind measure { id title } } }' }, { next: (e) => events.push(e), error: (e) => errors.push(e), complete: () => {} });
    await expect.poll(() => connected || errors.length > 0, { timeout: 5000 }).toBe(true);
    expect(errors).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));

    // The subscription sits on one instance (round-robin); a change on each instance means one comes from the other.
    const me = (await gql(a.url, '{ me { id } }', {}, token)).data.me.id;
    let m = (await gql(a.url, 'query($o: ID!) { measures(first: 1, filter: { ownerId: $o, state: ACTIVE }) { edges { node { id version } } } }', { o: me }, token)).data.measures.edges[0].node;
    for (const [name, instance] of [['A', a], ['B', b]] as const) {
      const res = await gql(instance.url, 'mutation($id: ID!, $v: Int!, $t: String!) { updateMeasure(id: $id, version: $v, input: { title: $t }) { id version } }', { id: m.id, v: m.version, t: `Changed on ${name}` }, token);
      expect(res.errors).toBeUndefined();
      m = { id: m.id, version: res.data.updateMeasure.version };
    }
    await expect.poll(() => events.length, { timeout: 3000, interval: 20 }).toBe(2);
    expect(events.map((e) => e.data.measureChanged)).toEqual([
      { kind: 'UPDATED', measure: { id: m.id, title: 'Changed on A' } },
      { kind: 'UPDATED', measure: { id: m.id, title: 'Changed on B' } },
    ]);
    await client.dispose();
  });

  it('streams a 50 MB ServiceNow upload through the proxy, with progress lines while it runs', async () => {
    const token = await proxiedLogin('admin@northwind.example');
    const file = path.join(dir, 'servicenow.csv');
    writeServiceNowExport(file, 20_500, { updates: 8 });
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(50 * 1024 * 1024);

    const started = Date.now();
    const lines: { at: number; line: any }[] = [];
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: PUBLIC_NAME,
          port,
          lookup,
          method: 'POST',
          path: '/imports/tickets?format=servicenow&name=servicenow.csv',
          headers: { authorization: `Bearer ${token}`, 'x-gatehouse-import': '1', 'content-type': 'text/csv', 'content-length': String(size) },
        },
        (res) => {
          let rest = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            const parts = (rest + d).split('\n');
            rest = parts.pop()!;
            for (const p of parts) if (p) lines.push({ at: Date.now(), line: p.startsWith('{') ? JSON.parse(p) : p });
          });
          res.on('end', () => {
            if (rest) lines.push({ at: Date.now(), line: rest });
            resolve(res.statusCode!);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      fs.createReadStream(file).pipe(req);
    });
    const summary = () => JSON.stringify(lines.slice(-3).map((l) => l.line)).slice(0, 600);
    expect(status, summary()).toBe(200);
    const done = lines.find((l) => l.line.type === 'done');
    expect(done, summary()).toBeDefined();
    expect(done!.line.rows).toBe(20_500 * 8);
    const progress = lines.filter((l) => l.line.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)!.line.percent).toBe(100);
    // Streamed, not buffered by the proxy until the end: progress arrived well before the result.
    expect(done!.at - progress[0]!.at).toBeGreaterThan(1000);
    console.log(`upload of ${(size / 1048576).toFixed(1)} MB through the proxy: ${done!.line.rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s, ${progress.length} progress lines`);
  });

  it('lets a 25 MB evidence file through to the app, and a byte more gets the app’s own 413 answer', async () => {
    const token = await proxiedLogin('owner@northwind.example');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const me = JSON.parse((await request('POST', '/graphql', { headers: auth, body: JSON.stringify({ query: '{ me { id } }' }) })).text).data.me.id;
    const query = 'query($o: ID) { measures(filter: { state: ACTIVE, ownerId: $o }, first: 1) { edges { node { id } } } }';
    const measures = await request('POST', '/graphql', { headers: auth, body: JSON.stringify({ query, variables: { o: me } }) });
    const id = JSON.parse(measures.text).data.measures.edges[0].node.id;
    // The app may close the connection once it has refused a body too large: a write cut short is expected.
    const upload = (size: number) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const headers = { authorization: `Bearer ${token}`, 'x-gatehouse-upload': '1', 'content-type': 'application/octet-stream', 'content-length': String(size) };
        const req = http.request({ host: PUBLIC_NAME, port, lookup, method: 'POST', path: `/measures/${id}/evidence/files?name=big.txt`, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        });
        const cutShort = (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e));
        req.on('error', cutShort);
        req.on('socket', (s) => s.on('error', cutShort));
        req.end(Buffer.alloc(size, 0x61));
      });
    const exact = await upload(25 * 1024 * 1024);
    expect(exact.status, exact.text.slice(0, 300)).toBe(201);
    expect(JSON.parse(exact.text).file).toMatchObject({ type: 'text/plain', size: 25 * 1024 * 1024 });
    const over = await upload(25 * 1024 * 1024 + 1);
    expect(over.status).toBe(413);
    expect(JSON.parse(over.text)).toEqual({ code: 'BAD_USER_INPUT', message: 'The file is larger than 25 MB: evidence files take up to 25 MB' });
  });

  it('holds 500 concurrent HTTP clients and 200 WebSockets at once, every one answered', async () => {
    const started = Date.now();
    // One instance admits 10 WebSockets per session, so 25 sessions with 8 sockets each.
    const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
    const tokens: string[] = [];
    for (let i = 0; i < 25; i++) tokens.push(await proxiedLogin('viewer@northwind.example', agent));
    agent.destroy();

    const sockets: WebSocket[] = [];
    const acknowledged = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const ws = socket();
        sockets.push(ws);
        return new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 20_000);
          ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { token: tokens[i % tokens.length] } })));
          ws.on('message', (data) => {
            if (JSON.parse(String(data)).type === 'connection_ack') {
              clearTimeout(timer);
              resolve(true);
            }
          });
          ws.on('error', () => (clearTimeout(timer), resolve(false)));
          ws.on('close', () => (clearTimeout(timer), resolve(false)));
        });
      }),
    );
    const wsAccepted = acknowledged.filter(Boolean).length;

    // Each request on its own connection, kept open after its answer: 500 clients connected at the same time.
    const clients = new http.Agent({ keepAlive: true, maxSockets: Infinity });
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        request('POST', '/graphql', {
          agent: clients,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
          body: JSON.stringify({ query: '{ me { id } }' }),
        }).catch((e: Error) => ({ status: 0, text: e.message, socket: null })),
      ),
    );
    const ok = answers.filter((r) => r.status === 200 && JSON.parse(r.text).data?.me?.id).length;
    const connections = new Set(answers.map((r) => r.socket).filter(Boolean)).size;
    const stillOpen = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    const seconds = (Date.now() - started) / 1000;
    console.log(`500 clients: ${ok} answered on ${connections} connections; WebSockets: ${wsAccepted} of 200 accepted, ${stillOpen} still open; ${seconds.toFixed(1)} s`);
    clients.destroy();
    for (const s of sockets) s.terminate();

    expect({ ok, connections, wsAccepted, stillOpen }, answers.find((r) => r.status !== 200)?.text.slice(0, 300)).toEqual({ ok: 500, connections: 500, wsAccepted: 200, stillOpen: 200 });
    expect(seconds).toBeLessThan(60);
  });
});
