import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(text) as { services: Record<string, { environment?: Record<string, string | number> | string[] }> };

/** Every environment entry of every service as [service, variable, value]. */
function environment(): [string, string, string][] {
  return Object.entries(compose.services).flatMap(([service, s]) => {
    const env = s.environment ?? {};
    const pairs = Array.isArray(env) ? env.map((e) => e.split(/=(.*)/s) as [string, string]) : Object.entries(env);
    return pairs.map(([k, v]) => [service, k, String(v ?? '')] as [string, string, string]);
  });
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$/;
/** ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message} */
const INTERPOLATION = /\$\{([A-Z0-9_]+)(:?[-?+])?([^}]*)\}/g;

describe('docker-compose.yml', () => {
  it('requires every secret with ${VAR:?…}: no default password, no literal credential in a URL', () => {
    const env = environment();
    expect(env.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const [service, name, value] of env) {
      const interpolations = [...value.matchAll(INTERPOLATION)];
      // A secret variable, or one interpolated into a secret's place (a URL's password), must be required.
      if (SECRET_NAME.test(name) && interpolations.length === 0 && value !== '') problems.push(`${service}.${name} is a literal`);
      for (const [whole, variable, operator] of interpolations) {
        if (SECRET_NAME.test(variable!) && operator !== ':?') problems.push(`${service}.${name} uses ${whole}`);
      }
      const credentials = /:\/\/[^:/@\s]+:([^@\s]+)@/.exec(value);
      if (credentials && !/^\$\{[A-Z0-9_]+:\?[^}]*\}$/.test(credentials[1]!)) problems.push(`${service}.${name} has a password that is not required from the environment`);
    }
    expect(problems).toEqual([]);
    // The passwords the file used to default to, and the demo's, appear nowhere.
    for (const known of ['change-me-please', 'gatehouse-owner', 'gatehouse-app', 'postgres-admin', 'demo-password']) expect(text).not.toContain(known);
    // What the checks above read: the three database passwords and the first admin's, each required.
    const required = new Set([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]));
    for (const name of ['POSTGRES_PASSWORD', 'GATEHOUSE_OWNER_PASSWORD', 'GATEHOUSE_APP_PASSWORD', 'ADMIN_PASSWORD']) expect(required).toContain(name);
  });

  it('runs the API in production, where the demo organisation is refused', () => {
    const api = Object.fromEntries(environment().filter(([s]) => s === 'gatehouse').map(([, k, v]) => [k, v]));
    expect(api.NODE_ENV).toBe('production');
    expect(api.DEMO_DATA).toBe('${DEMO_DATA:-off}');
  });
});

/** The Dockerfile's stages: each FROM line and the instructions under it (continuation lines joined). */
function dockerfileStages(): { from: string; name?: string; lines: string[] }[] {
  const source = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: { from: string; name?: string; lines: string[] }[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2], lines: [] });
    else stages.at(-1)!.lines.push(line);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerfileStages();
  const runtime = stages.at(-1)!;
  const build = stages[0]!;

  it('builds in one stage and runs the built output on a current Node LTS in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const major = Number(/^node:(\d+)-/.exec(stage.from)?.[1]);
      // Node 24 is the Active LTS line (even majors become LTS); 20 leaves maintenance in April 2026.
      expect(major, stage.from).toBeGreaterThanOrEqual(24);
      expect(major % 2, stage.from).toBe(0);
    }
    expect(build.lines.some((l) => /^RUN npm ci\b/.test(l) && !l.includes('--omit=dev'))).toBe(true);
    expect(build.lines).toContain('RUN npm run build');
    // The runtime takes only built output from the build stage: no node_modules with its devDependencies.
    const copied = runtime.lines.filter((l) => l.startsWith(`COPY --from=${build.name}`)).map((l) => l.split(/\s+/)[2]);
    expect(copied.sort()).toEqual(['/app/server/dist', '/app/shared/dist', '/app/web/dist']);
  });

  it('installs only the production dependencies of server and shared in the runtime stage', () => {
    const installs = runtime.lines.filter((l) => /\bnpm (ci|install|i)\b/.test(l));
    expect(installs).toHaveLength(1);
    const install = installs[0]!;
    expect(install).toMatch(/npm ci --omit=dev/);
    expect(install).toMatch(/--workspace server/);
    expect(install).toMatch(/--workspace shared/);
    expect(install).not.toMatch(/--workspace (web|test)\b|--include=dev|--workspaces\b/);
    expect(runtime.lines.join('\n')).not.toMatch(/npm prune|node_modules/);
    // What that leaves out: every devDependency of every workspace (a typo here would show up as a missing name).
    const devOnly = ['typescript', 'vite', 'vitest', 'oidc-provider', 'supertest', 'playwright-core'];
    const manifests = ['package.json', 'server/package.json', 'shared/package.json'].map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    const production = new Set(manifests.flatMap((m) => Object.keys(m.dependencies ?? {})));
    for (const name of devOnly) expect(production.has(name), name).toBe(false);
  });

  it('has every package the server’s code imports among the production dependencies it installs', () => {
    const manifests = ['server/package.json', 'shared/package.json'].map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    const installed = new Set([...manifests.flatMap((m) => Object.keys(m.dependencies ?? {})), '@gatehouse/shared']);
    const files = ['server/src', 'shared/src'].flatMap((dir) =>
      (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.split(path.sep).includes('testing'))
        .map((f) => path.join(ROOT, dir, f)),
    );
    expect(files.length).toBeGreaterThan(100);
    const missing = new Set<string>();
    const seen = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      // import … from 'x', export … from 'x', import 'x', import('x'): the package names, not relative files.
      const specs = [
        ...text.matchAll(/^\s*(?:import|export)\b[^;']*?\bfrom\s*'([^'.][^']*)'/gm),
        ...text.matchAll(/^\s*import\s*'([^'.][^']*)'/gm),
        ...text.matchAll(/\bimport\(\s*'([^'.][^']*)'\s*\)/g),
      ].map((m) => m[1]!);
      for (const spec of specs) {
        if (spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        seen.add(name);
        if (!installed.has(name)) missing.add(`${path.relative(ROOT, file)}: ${name}`);
      }
    }
    expect([...missing]).toEqual([]);
    // The scan found the imports (openid-client among them), so an empty list means something.
    expect(seen.size).toBeGreaterThan(20);
    expect(seen).toContain('openid-client');
  });

  it('runs as a user that is not root, with a data directory it owns as a volume, and checks readiness', () => {
    const user = runtime.lines.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
    const index = (prefix: string) => runtime.lines.findIndex((l) => l.startsWith(prefix));
    expect(index('USER ')).toBeLessThan(index('CMD '));
    expect(runtime.lines).toContain('ENV NODE_ENV=production PORT=4000 DATA_DIR=/app/data');
    expect(runtime.lines.some((l) => /^RUN .*chown node:node \/app\/data/.test(l))).toBe(true);
    expect(user).toBe('USER node');
    expect(runtime.lines).toContain('VOLUME ["/app/data"]');
    expect(runtime.lines.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/(readyz|livez)/);
  });
});

describe('TLS in docker-compose.yml', () => {
  const proxy = (compose as unknown as { services: Record<string, { ports?: string[]; volumes?: string[]; entrypoint?: string[]; healthcheck?: { test: string[] } }> }).services.proxy!;
  const nginx = fs.readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8');

  it('publishes HTTPS and a redirecting HTTP port, with the certificate directory and the entrypoint that fills it', () => {
    expect(proxy.ports).toEqual(['443:443', '80:80']);
    expect(proxy.volumes).toContain('${TLS_CERT_DIR:-./deploy/tls}:/etc/nginx/certs');
    expect(proxy.entrypoint).toEqual(['/bin/sh', '/gatehouse/tls-entrypoint.sh']);
    expect(proxy.healthcheck!.test.join(' ')).toContain('https://127.0.0.1/healthz');
    expect(nginx).toMatch(/listen 80;\s+location \/ \{\s+return 301 https:\/\/\$host\$request_uri;/);
    expect(nginx).toMatch(/listen 443 ssl;\s+ssl_certificate \/etc\/nginx\/certs\/tls\.crt;\s+ssl_certificate_key \/etc\/nginx\/certs\/tls\.key;/);
    // Every proxied location tells the app the scheme, which TRUST_PROXY_HOPS=1 lets it believe.
    expect(nginx.match(/proxy_pass /g)?.length).toBe(nginx.match(/proxy_set_header X-Forwarded-Proto \$scheme;/g)?.length);
    const script = fs.readFileSync(path.join(ROOT, 'deploy/tls-entrypoint.sh'), 'utf8');
    expect(script).toContain('openssl req -x509');
    expect(script).toMatch(/exec \/docker-entrypoint\.sh "\$@"\s*$/);
  });

  it('creates a self-signed certificate on the first start, keeps it afterwards, and refuses half a certificate', () => {
    // The shipped script, with only the certificate directory and the final hand-over to the nginx image replaced.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tls-'));
    try {
      const certs = path.join(dir, 'certs');
      const script = fs
        .readFileSync(path.join(ROOT, 'deploy/tls-entrypoint.sh'), 'utf8')
        .replace('dir=/etc/nginx/certs', `dir=${certs}`)
        .replace('exec /docker-entrypoint.sh "$@"', 'echo "handed over: $*"');
      fs.writeFileSync(path.join(dir, 'run.sh'), script);
      const run = () => spawnSync('sh', [path.join(dir, 'run.sh'), 'nginx', '-g', 'daemon off;'], { encoding: 'utf8', env: { PATH: process.env.PATH, TLS_HOSTNAME: 'gatehouse.example' } });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain('created a self-signed one for gatehouse.example');
      expect(first.stdout).toContain('handed over: nginx -g daemon off;');
      const x509 = spawnSync('openssl', ['x509', '-in', path.join(certs, 'tls.crt'), '-noout', '-subject', '-ext', 'subjectAltName'], { encoding: 'utf8' });
      expect(x509.stdout).toMatch(/CN ?= ?gatehouse\.example/);
      expect(x509.stdout).toContain('DNS:gatehouse.example');
      expect(fs.statSync(path.join(certs, 'tls.key')).mode & 0o077).toBe(0);
      const crt = fs.readFileSync(path.join(certs, 'tls.crt'), 'utf8');
      const second = run();
      expect(second.stdout).toContain('using the certificate');
      expect(fs.readFileSync(path.join(certs, 'tls.crt'), 'utf8')).toBe(crt);
      fs.rmSync(path.join(certs, 'tls.key'));
      const half = run();
      expect(half.status).toBe(1);
      expect(half.stderr).toContain('only one of tls.crt and tls.key');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
