// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { refetchLiveQueries } from './live-queries';
import { createLiveStore } from './live-store';

/** A client whose subscriptions the test drives by hand. */
function fakeClient() {
  const subscriptions: { operation: string; variables: Record<string, unknown> | undefined; observer: { next(v: unknown): void; error(e: unknown): void; complete(): void }; closed: boolean }[] = [];
  const client = {
    subscribe({ query, variables }: { query: { definitions: { name?: { value: string } }[] }; variables?: Record<string, unknown> }) {
      return {
        subscribe(observer: (typeof subscriptions)[number]['observer']) {
          const entry = { operation: query.definitions[0].name?.value ?? '', variables, observer, closed: false };
          subscriptions.push(entry);
          return { unsubscribe: () => (entry.closed = true) };
        },
      };
    },
  };
  const open = () => subscriptions.filter((s) => !s.closed);
  return { client, subscriptions, open };
}

const measureEvent = (id: string, actor = 'Sam Steering') => ({
  data: { measureChanged: { kind: 'GATE_DECIDED', at: '2026-01-01T00:00:00Z', actor: { id: 'u', name: actor }, measure: { id, code: 'M-1', title: 'T' } } },
});

describe('the live store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('follows measure and gate request events below the chosen scope, and the organisation’s ticket group events', () => {
    const { client, open } = fakeClient();
    const live = createLiveStore({ refetch: async () => undefined, refetchTickets: async () => undefined });
    const stop = live.follow(client as never, ref('unit-1'));
    expect(open().map((s) => [s.operation, s.variables])).toEqual([
      ['MeasureChanged', { scopeId: 'unit-1' }],
      ['GateRequestChanged', { scopeId: 'unit-1' }],
      ['TicketGroupsChanged', undefined],
    ]);
    expect(live.status.value).toBe('connecting');
    stop();
    expect(open()).toEqual([]);
    expect(live.status.value).toBe('idle');
  });

  it('reads the open pages again once after a burst of events, and remembers who changed what', async () => {
    // Setup
    const { client, open } = fakeClient();
    const refetch = vi.fn(async () => undefined);
    const refetchTickets = vi.fn(async () => undefined);
    const live = createLiveStore({ refetch, refetchTickets, delayMs: 100 });
    live.follow(client as never, ref('org'));

    // Action: one decision, two events.
    open()[0].observer.next(measureEvent('m1'));
    open()[1].observer.next({ data: { gateRequestChanged: { id: 'r1', measure: { id: 'm1' } } } });
    await vi.advanceTimersByTimeAsync(150);

    // Assert
    expect(refetch).toHaveBeenCalledTimes(1);
    expect(refetchTickets).not.toHaveBeenCalled();
    expect(live.refreshes.value).toBe(1);
    expect(live.lastMeasureEvent.value?.actor?.name).toBe('Sam Steering');
  });

  it('reads the ticket pages again once per burst of ticket group events, and leaves the measure queries alone', async () => {
    // Setup
    const { client, open } = fakeClient();
    const refetch = vi.fn(async () => undefined);
    const refetchTickets = vi.fn(async () => undefined);
    const live = createLiveStore({ refetch, refetchTickets, delayMs: 100 });
    live.follow(client as never, ref('org'));
    const tickets = open().find((s) => s.operation === 'TicketGroupsChanged')!;

    // Action: an import commits three batches in quick succession.
    for (const inserted of [2000, 2000, 890]) {
      tickets.observer.next({ data: { ticketGroupsChanged: { inserted, updated: 0, at: '2026-01-01T00:00:00Z', groups: [{ id: 'g1', title: 'VPN drops', ticketCount: 12 }] } } });
    }
    await vi.advanceTimersByTimeAsync(150);

    // Assert
    expect(refetchTickets).toHaveBeenCalledTimes(1);
    expect(refetch).not.toHaveBeenCalled();
    expect(live.lastTicketEvent.value?.inserted).toBe(890);
  });

  it('subscribes again for a new scope and drops the old subscriptions', () => {
    const { client, open, subscriptions } = fakeClient();
    const scope = ref('unit-1');
    const live = createLiveStore({ refetch: async () => undefined, refetchTickets: async () => undefined });
    live.follow(client as never, scope);
    scope.value = 'unit-2';
    return Promise.resolve().then(() => {
      expect(subscriptions.filter((s) => s.closed)).toHaveLength(3);
      expect(open().map((s) => s.variables?.scopeId)).toEqual(['unit-2', 'unit-2', undefined]);
    });
  });

  it('after a dropped connection comes back, reads everything again (events in between were lost)', async () => {
    const { client } = fakeClient();
    const refetch = vi.fn(async () => undefined);
    const refetchTickets = vi.fn(async () => undefined);
    const live = createLiveStore({ refetch, refetchTickets, delayMs: 10 });
    live.follow(client as never, ref('org'));
    live.onSocket({ type: 'connected', wasRetry: false });
    expect(live.status.value).toBe('live');
    await vi.advanceTimersByTimeAsync(50);
    expect(refetch).not.toHaveBeenCalled();

    live.onSocket({ type: 'closed' });
    expect(live.status.value).toBe('reconnecting');
    live.onSocket({ type: 'connected', wasRetry: true });
    await vi.advanceTimersByTimeAsync(50);
    expect(live.status.value).toBe('live');
    expect(refetch).toHaveBeenCalledTimes(1);
    expect(refetchTickets).toHaveBeenCalledTimes(1);
  });

  it('subscribes again after the server ended a subscription, and catches up', async () => {
    const { client, open, subscriptions } = fakeClient();
    const refetch = vi.fn(async () => undefined);
    const live = createLiveStore({ refetch, refetchTickets: async () => undefined, delayMs: 10, resubscribeMs: 500 });
    live.follow(client as never, ref('org'));
    open()[0].observer.error(new Error('socket closed'));
    expect(live.status.value).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(600);
    expect(subscriptions).toHaveLength(6);
    expect(open()).toHaveLength(3);
    expect(refetch).toHaveBeenCalledTimes(1);
  });
});

describe('refetching the live queries', () => {
  it('reads again only the open queries that show other people’s changes', async () => {
    const q = (queryName: string) => ({ queryName, refetch: vi.fn(async () => ({})) });
    const open = [q('MeasureList'), q('People'), q('GateRequests'), q('PortfolioSummary')];
    const count = await refetchLiveQueries({ getObservableQueries: () => new Set(open) } as never);
    expect(count).toBe(2);
    expect(open.map((x) => x.refetch.mock.calls.length)).toEqual([1, 0, 1, 0]);
  });
});
