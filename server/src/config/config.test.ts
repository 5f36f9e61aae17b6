import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, refuseKnownCredentials, requireAuditSigningKey } from './config.js';

describe('config', () => {
  it('defaults to the embedded database in ./data with demo data on port 4000', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.database).toMatchObject({ kind: 'embedded' });
    expect(c.demoData).toBe(true);
  });

  it('uses a PostgreSQL server with DATABASE_URL, demo data off unless asked', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/gatehouse' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/gatehouse', poolSize: 10 });
    expect(c.demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/g', DEMO_DATA: 'on' }).demoData).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_URL: '', DATABASE_URL: '' }).database.kind).toBe('embedded');
  });

  it('refuses invalid values with a message naming each', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ADMIN_PASSWORD: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/DATABASE_URL/);
    }
  });

  it('hides introspection and suggestions in production unless switched on, and validates allowed origins', () => {
    expect(loadConfig({}).graphql).toEqual({ introspection: true, fieldSuggestions: true });
    expect(loadConfig({ NODE_ENV: 'production' }).graphql).toEqual({ introspection: false, fieldSuggestions: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'on' }).graphql).toEqual({ introspection: true, fieldSuggestions: false });
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://app.example, http://localhost:5173' }).http.allowedOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://app.example/path' })).toThrow(ConfigError);
    expect(() => loadConfig({ ALLOWED_ORIGINS: '*' })).toThrow(ConfigError);
    expect(loadConfig({}).loginThrottle).toEqual({ failuresBeforeDelay: 3, maxDelaySeconds: 300, maxFailuresPerAddress: 50, windowMinutes: 15 });
  });

  it('takes the audit signing key from a secret or a file, keeps the embedded one in DATA_DIR, and requires one in production on PostgreSQL', () => {
    expect(loadConfig({ AUDIT_SIGNING_KEY: 'pem text' }).audit.signingKey).toEqual({ kind: 'pem', pem: 'pem text' });
    expect(loadConfig({ AUDIT_SIGNING_KEY_FILE: '/etc/gatehouse/key.pem' }).audit.signingKey).toEqual({ kind: 'file', file: '/etc/gatehouse/key.pem', createIfMissing: false });
    expect(loadConfig({ DATA_DIR: '/var/gatehouse' }).audit.signingKey).toEqual({ kind: 'file', file: '/var/gatehouse/audit-signing-key.pem', createIfMissing: true });
    expect(() => loadConfig({ AUDIT_SIGNING_KEY: 'a', AUDIT_SIGNING_KEY_FILE: 'b' })).toThrow(/set one of them, not both/);
    const server = loadConfig({ DATABASE_URL: 'postgres://u@db/g', NODE_ENV: 'production' });
    expect(server.audit).toEqual({ signingKey: null, checkpointMinutes: 60 });
    expect(() => requireAuditSigningKey(server)).toThrow(/AUDIT_SIGNING_KEY_FILE: required in production on PostgreSQL/);
    expect(() => requireAuditSigningKey(loadConfig({ DATABASE_URL: 'postgres://u@db/g' }))).not.toThrow();
  });

  it('migrates as MIGRATION_DATABASE_URL’s role only beside a DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/g', MIGRATION_DATABASE_URL: 'postgres://owner@db/g' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://app@db/g',
      poolSize: 10,
      migrationUrl: 'postgres://owner@db/g',
    });
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: 'postgres://owner@db/g' })).toThrow(/set DATABASE_URL too/);
    expect(loadConfig({}).http.uploadLimitMb).toBe(500);
  });

  it('refuses the demo (known passwords) in production, explicit or by default with the embedded database', () => {
    const refused = /DEMO_DATA: the demo organisation cannot run in production/;
    expect(() => refuseKnownCredentials(loadConfig({ NODE_ENV: 'production' }))).toThrow(refused);
    expect(() => refuseKnownCredentials(loadConfig({ NODE_ENV: 'production' }))).toThrow(/on by default with the embedded database/);
    expect(() => refuseKnownCredentials(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db/g', DEMO_DATA: 'true' }))).toThrow(refused);
    expect(() => refuseKnownCredentials(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'on' }))).toThrow(ConfigError);
    // A published default as the first admin's password is no better.
    const withPassword = (p: string) => loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'off', ORG_NAME: 'Contoso', ADMIN_EMAIL: 'a@contoso.example', ADMIN_PASSWORD: p });
    expect(() => refuseKnownCredentials(withPassword('change-me-please'))).toThrow(/ADMIN_PASSWORD: a published default/);
    // Allowed: production without the demo, and the demo outside production.
    expect(() => refuseKnownCredentials(withPassword('a-password-of-our-own'))).not.toThrow();
    expect(() => refuseKnownCredentials(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db/g' }))).not.toThrow();
    expect(() => refuseKnownCredentials(loadConfig({ DEMO_DATA: 'on' }))).not.toThrow();
    expect(() => refuseKnownCredentials(loadConfig({ NODE_ENV: 'test' }))).not.toThrow();
  });
});
