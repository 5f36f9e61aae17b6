import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './session-cookie.js';

describe('isLoopbackHost', () => {
  it('knows the names browsers treat as this machine, and nothing else', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [undefined, '', 'gatehouse.example', 'localhost.example', '10.0.0.5', '128.0.0.1', '::ffff:10.0.0.5', '127.0.0.1.nip.io']) expect(isLoopbackHost(host), String(host)).toBe(false);
  });
});
