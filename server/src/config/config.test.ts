import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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
    expect(loadConfig({}).loginThrottle).toEqual({ maxFailuresPerAccount: 5, maxFailuresPerAddress: 50, windowMinutes: 15 });
  });
});
