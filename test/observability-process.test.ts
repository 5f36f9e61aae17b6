import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectStartFailure, SERVER_ENTRY, startServer } from './support/server-process.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('refuses to start in production with the demo data, explicit or by default, before touching the database', async () => {
    expect(fs.existsSync(SERVER_ENTRY), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    const byDefault = await expectStartFailure({ NODE_ENV: 'production', DATA_DIR: dir });
    expect(byDefault.code).toBe(1);
    expect(byDefault.output).toMatch(/Gatehouse cannot start: Invalid configuration:\\n {2}DEMO_DATA: the demo organisation cannot run in production/);
    const explicit = await expectStartFailure({ NODE_ENV: 'production', DATA_DIR: dir, DEMO_DATA: 'true' });
    expect(explicit.code).toBe(1);
    expect(explicit.output).toMatch(/DEMO_DATA: the demo organisation cannot run in production/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('logs JSON lines, and exits within 10 s of SIGTERM even with a request that never finishes', async () => {
    // Setup: a first start without the demo (quicker), one stalled request (half its body sent) and one idle connection
    const server = await startServer({ DATA_DIR: tempDir(), DEMO_DATA: 'off', ORG_NAME: 'Contoso', ADMIN_EMAIL: 'a@contoso.example', ADMIN_PASSWORD: 'a-password-of-our-own' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/livez`)).status).toBe(200);
    const { port } = new URL(server.url);
    const stalled = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => stalled.once('connect', r));
    stalled.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"query":');
    const idle = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => idle.once('connect', r));
    const closed = Promise.all([stalled, idle].map((s) => new Promise((r) => s.once('close', r))));
    stalled.on('error', () => {});
    idle.on('error', () => {});
    await new Promise((r) => setTimeout(r, 200));
    // Action
    const started = Date.now();
    const code = await server.stop('SIGTERM');
    const took = Date.now() - started;
    // Assert
    expect(took).toBeLessThan(10_000);
    expect(code).toBe(0);
    expect(server.output()).toMatch(/stopped cleanly/);
    await closed;
    const lines = server.output().trim().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as { level: string; msg: string; service: string });
    expect(parsed.every((l) => l.service === 'gatehouse' && typeof l.msg === 'string')).toBe(true);
    expect(parsed.filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(2);
    expect(server.output()).toMatch(/SIGTERM received/);
  }, 90_000);
});
