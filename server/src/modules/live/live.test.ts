import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { governance } from '../../testing/governance-helpers.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.close();
});

function connect(token: string | undefined): Client {
  const client = createClient({ url: t.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: token ? { token } : {}, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
  clients.push(client);
  return client;
}

/** Collects the events of one subscription; resolves `ready` once the server has acknowledged it. */
function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: any[] = [];
  const errors: unknown[] = [];
  const state = { events, errors, completed: false, dispose: () => {} };
  state.dispose = client.subscribe({ query, variables }, { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => (state.completed = true) });
  return state;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live updates over graphql-ws', () => {
  it('delivers measureChanged within a second of a committed update, and nothing to a subscriber whose scope excludes the measure', async () => {
    // Setup: a viewer of everything, and a viewer of Finance only (the measure sits in IT Service)
    const g = governance(t);
    const m = await g.newMeasure('Live measure');
    const units = (await t.gql(`{ orgUnits { id name } }`, {}, t.tokens.admin)).data!.orgUnits;
    const finance = units.find((u: any) => u.name === 'Finance');
    const user = (await g.must(`mutation { createUser(input: { email: "fin.viewer@northwind.example", name: "Fin Viewer", password: "a-long-password" }) { id } }`, {}, t.tokens.admin)).createUser;
    await g.must(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: VIEWER, scopeId: $s) { id } }`, { u: user.id, s: finance.id }, t.tokens.admin);
    const financeToken = await t.login('fin.viewer@northwind.example', 'a-long-password');
    const query = `subscription($s: ID) { measureChanged(scopeId: $s) { kind at measure { id title version } actor { name } } }`;
    const inScope = subscribe(connect(t.tokens.viewer), query);
    const outOfScope = subscribe(connect(financeToken), query);
    const wrongScope = subscribe(connect(t.tokens.viewer), query, { s: finance.id });
    await settle(300);
    // Action
    const started = Date.now();
    await g.must(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Live measure, renamed" }) { id } }`, { id: m.id, v: await g.version(m.id) }, t.tokens.owner);
    // Assert
    await expect.poll(() => inScope.events.length, { timeout: 1000, interval: 10 }).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(inScope.events[0].data.measureChanged).toMatchObject({ kind: 'UPDATED', measure: { id: m.id, title: 'Live measure, renamed' }, actor: { name: 'Olivia Owner' } });
    await settle(300);
    expect(outOfScope.events).toEqual([]);
    expect(wrongScope.events).toEqual([]);
    expect(inScope.errors).toEqual([]);
  });

  it('pushes gate requests and a fresh portfolio summary when a gate is requested', async () => {
    const g = governance(t);
    const m = await g.newMeasure('Live gate');
    await g.plan(m.id);
    const requests = subscribe(connect(t.tokens.steering), `subscription { gateRequestChanged { id status measure { id } } }`);
    const summary = subscribe(connect(t.tokens.steering), `subscription { portfolioSummaryChanged { pendingGateRequests } }`);
    await settle(300);
    const before = (await t.gql(`{ portfolioSummary { pendingGateRequests } }`, {}, t.tokens.steering)).data!.portfolioSummary.pendingGateRequests;
    await g.requestGate(m.id);
    await expect.poll(() => requests.events.length, { timeout: 1000 }).toBe(1);
    expect(requests.events[0].data.gateRequestChanged).toMatchObject({ status: 'PENDING', measure: { id: m.id } });
    await expect.poll(() => summary.events.some((e) => e.data.portfolioSummaryChanged.pendingGateRequests === before + 1), { timeout: 1000 }).toBe(true);
  });

  it('announces ticket groups changed by an import once it has committed', async () => {
    const groups = subscribe(connect(t.tokens.viewer), `subscription { ticketGroupsChanged { inserted updated groups { title ticketCount } } }`);
    await settle(300);
    await t.gql(
      `mutation($t: [TicketInput!]!) { importTickets(source: JIRA, tickets: $t) { inserted } }`,
      { t: [{ externalId: 'LIVE-1', summary: 'Quote tool times out' }, { externalId: 'LIVE-2', summary: 'Quote tool times out again' }] },
      t.tokens.admin,
    );
    await expect.poll(() => groups.events.length, { timeout: 1000 }).toBe(1);
    expect(groups.events[0].data.ticketGroupsChanged).toMatchObject({ inserted: 2, updated: 0 });
    expect(groups.events[0].data.ticketGroupsChanged.groups[0].ticketCount).toBe(2);
  });

  it('announces the groups that became recurring when the threshold is lowered', async () => {
    // Arrange: a group of two tickets, not recurring at the default threshold of 5
    await t.gql(
      `mutation($t: [TicketInput!]!) { importTickets(source: JIRA, tickets: $t) { inserted } }`,
      { t: [{ externalId: 'LIVE-N-1', summary: 'Badge reader offline', openedAt: '2026-11-01T09:00:00Z' }, { externalId: 'LIVE-N-2', summary: 'Badge reader offline', openedAt: '2026-11-02T09:00:00Z' }] },
      t.tokens.admin,
    );
    const groups = subscribe(connect(t.tokens.viewer), `subscription { ticketGroupsChanged { groups { title recurring } } }`);
    await settle(300);
    // Act
    const saved = await t.gql(`mutation { updateTicketSettings(input: { recurringThreshold: 2 }) { recurringThreshold } }`, {}, t.tokens.admin);
    // Assert
    expect(saved.errors).toBeUndefined();
    await expect.poll(() => groups.events.length, { timeout: 1000 }).toBe(1);
    expect(groups.events[0].data.ticketGroupsChanged.groups).toContainEqual({ title: expect.stringMatching(/badge reader offline/i), recurring: true });
    await t.gql(`mutation { updateTicketSettings(input: { recurringThreshold: 5 }) { recurringThreshold } }`, {}, t.tokens.admin);
  });

  it('ends, rather than silences, a subscription shared with a session that logged out', async () => {
    // Setup: two sessions of one user hold the same subscription (one shared execution, run with the first's session)
    const g = governance(t);
    const m = await g.newMeasure('Shared live measure');
    const first = await t.login('viewer@northwind.example');
    const second = await t.login('viewer@northwind.example');
    const query = `subscription { measureChanged { kind measure { id } } }`;
    subscribe(connect(first), query);
    await settle(100);
    const survivor = subscribe(connect(second), query);
    await settle(300);
    // Action: the first session logs out; past the re-check cache a measure changes
    await g.must(`mutation { logout }`, {}, first);
    await settle(1100);
    await g.must(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Shared, renamed" }) { id } }`, { id: m.id, v: await g.version(m.id) }, t.tokens.owner);
    // Assert: the other session is told its subscription completed (the web app subscribes again), with no error
    await expect.poll(() => survivor.completed, { timeout: 1000 }).toBe(true);
    expect(survivor.errors).toEqual([]);
    expect(survivor.events.filter((e) => e.errors)).toEqual([]);
  });

  it('refuses a malformed scopeId with BAD_USER_INPUT before listening to the event bus', async () => {
    const spy = vi.spyOn(t.app.services.bus, 'on');
    const bad = subscribe(connect(t.tokens.viewer), `subscription { measureChanged(scopeId: "not-an-id") { kind } }`);
    // An error at subscribe time comes as the subscription's only result
    await expect.poll(() => bad.events.length, { timeout: 1000 }).toBe(1);
    expect(bad.events[0].errors.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(spy.mock.calls.filter(([topic]) => topic === 'measureChanged')).toEqual([]);
    spy.mockRestore();
  });

  it('closes a connection without a valid session with 4403', async () => {
    const closed = await new Promise<number>((resolve) => {
      const ws = new WebSocket(t.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { token: 'forged' } })));
      ws.on('close', (code) => resolve(code));
    });
    expect(closed).toBe(4403);
  });
});
