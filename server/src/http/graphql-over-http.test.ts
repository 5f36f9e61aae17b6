import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * graphql-http's conformance audits for the GraphQL over HTTP specification against Gatehouse's /graphql. Every
 * MUST passes; the SHOULD and MAY results are listed in the test output. Requests carry the CSRF preflight
 * header, as every real client of ours does (Apollo refuses GET and simple POST requests without it).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ demo: false });
});
afterAll(async () => {
  await t?.close();
});

describe('GraphQL over HTTP conformance', () => {
  it('passes every MUST audit of graphql-http', async () => {
    const audits = serverAudits({
      url: `${t.url}/graphql`,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('apollo-require-preflight', 'true');
        return fetch(input, { ...init, headers });
      },
    });
    const failed: string[] = [];
    const notes: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status === 'ok') continue;
      const line = `${audit.name}: ${result.reason}`;
      if (audit.name.startsWith('MUST')) failed.push(line);
      else notes.push(line);
    }
    console.info(`graphql-http audits: ${audits.length} run, ${notes.length} SHOULD/MAY not met:\n${notes.join('\n')}`);
    expect(failed).toEqual([]);
  });
});
