import fs from 'node:fs';
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
