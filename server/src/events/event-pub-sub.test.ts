import { describe, expect, it } from 'vitest';
import { LocalEventBus, type DomainEvent, type EventBus, type EventOf, type Topic } from './event-bus.js';
import { EventBusPubSub } from './event-pub-sub.js';

/** A local bus that counts its listeners, to see a subscription's listener go when it ends. */
class CountingBus extends LocalEventBus {
  listeners = 0;
  override on<T extends Topic>(topic: T, handler: (event: EventOf<T>) => void): () => void {
    const off = super.on(topic, handler);
    this.listeners++;
    return () => {
      this.listeners--;
      off();
    };
  }
}

const changed = (organisationId: string, measureId: string): EventOf<'measureChanged'> => ({
  topic: 'measureChanged',
  organisationId,
  measureId,
  path: [],
  people: [],
  kind: 'UPDATED',
  actorId: null,
  at: '2026-12-07T00:00:00.000Z',
});

/** Reads `n` values, or fails if they do not arrive within 200 ms. */
async function take<T>(iterator: AsyncIterator<T>, n: number): Promise<T[]> {
  const values: T[] = [];
  for (let i = 0; i < n; i++) {
    const next = await Promise.race([iterator.next(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`only ${i} of ${n} values arrived`)), 200))]);
    if (next.done) break;
    values.push(next.value);
  }
  return values;
}

const started = (iterable: AsyncIterable<DomainEvent>) => {
  const iterator = iterable[Symbol.asyncIterator]();
  // A Repeater starts listening at the first read; give it one it will answer later.
  const first = iterator.next();
  return { iterator, first };
};

describe('EventBusPubSub', () => {
  it("delivers the topic's events of the subscribed organisation only, in order", async () => {
    const bus = new CountingBus();
    const pubSub = new EventBusPubSub(bus);
    const { iterator, first } = started(pubSub.subscribe('measureChanged', 'org-a'));
    bus.publish(changed('org-a', 'm1'));
    bus.publish(changed('org-b', 'm2'));
    bus.publish({ topic: 'ticketGroupsChanged', organisationId: 'org-a', groupIds: [], inserted: 0, updated: 0, at: '2026-12-07T00:00:00.000Z' });
    bus.publish(changed('org-a', 'm3'));
    const ids = [(await first).value, ...(await take(iterator, 1))].map((e) => (e as EventOf<'measureChanged'>).measureId);
    expect(ids).toEqual(['m1', 'm3']);
    await iterator.return?.();
  });

  it('keeps only the newest events for a subscriber that does not read, and never more than its buffer', async () => {
    const bus = new CountingBus();
    const pubSub = new EventBusPubSub(bus, 3);
    const { iterator, first } = started(pubSub.subscribe('measureChanged', 'org-a'));
    bus.publish(changed('org-a', 'm0'));
    // m0 went to the pending first read; m1..m6 pile up in a buffer of three
    for (let i = 1; i <= 6; i++) bus.publish(changed('org-a', `m${i}`));
    expect(((await first).value as EventOf<'measureChanged'>).measureId).toBe('m0');
    const rest = await take(iterator, 3);
    expect(rest.map((e) => (e as EventOf<'measureChanged'>).measureId)).toEqual(['m4', 'm5', 'm6']);
    await iterator.return?.();
  });

  it('removes its bus listener when the subscription ends', async () => {
    const bus = new CountingBus();
    const pubSub = new EventBusPubSub(bus);
    const { iterator, first } = started(pubSub.subscribe('measureChanged', 'org-a'));
    expect(bus.listeners).toBe(1);
    await iterator.return?.();
    expect(await first).toEqual({ done: true, value: undefined });
    expect(bus.listeners).toBe(0);
  });

  it('publishes through the bus, and refuses an event of another topic', () => {
    const seen: DomainEvent[] = [];
    const bus: EventBus = { publish: (e) => seen.push(e), on: () => () => undefined, close: async () => undefined };
    const pubSub = new EventBusPubSub(bus);
    pubSub.publish('measureChanged', changed('org-a', 'm1'));
    expect(() => pubSub.publish('gateRequestChanged', changed('org-a', 'm2'))).toThrow(/must carry that topic/);
    expect(seen.map((e) => e.topic)).toEqual(['measureChanged']);
  });
});
