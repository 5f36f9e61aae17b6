import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LocalEventBus, type EventOf } from '../events/event-bus.js';
import { EventBusPubSub } from '../events/event-pub-sub.js';
import { SubscriptionMulticast } from './subscription-multicast.js';

const changed = (measureId: string): EventOf<'measureChanged'> => ({
  topic: 'measureChanged',
  organisationId: 'org-a',
  measureId,
  path: [],
  people: [],
  kind: 'UPDATED',
  actorId: null,
  at: '2026-12-07T00:00:00.000Z',
});

/** A one-field subscription over the event bus, answering the changed measure's id. */
function setup(resultBuffer: number) {
  const bus = new LocalEventBus();
  const pubSub = new EventBusPubSub(bus);
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        changed: { type: GraphQLString, subscribe: () => pubSub.subscribe('measureChanged'), resolve: (e: EventOf<'measureChanged'>) => e.measureId },
      },
    }),
  });
  const multicast = new SubscriptionMulticast(async () => 'u|', resultBuffer);
  const subscribe = async () => {
    const sink = await multicast.subscribe({ schema, document: parse('subscription { changed }'), contextValue: { actor: { userId: 'u', grants: [] } } });
    return sink as AsyncIterableIterator<ExecutionResult>;
  };
  return { bus, multicast, subscribe };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('SubscriptionMulticast', () => {
  it('runs one execution for subscribers of one shape, and a subscriber that does not read keeps only its newest results', async () => {
    const { bus, multicast, subscribe } = setup(3);
    const reader = await subscribe();
    const idle = await subscribe();
    expect(multicast.stats()).toEqual({ shapes: 1, subscribers: 2 });
    const read: unknown[] = [];
    const reading = (async () => {
      for await (const r of reader) if (read.push(r.data?.changed) === 6) break;
    })();
    await settle();
    for (let i = 1; i <= 6; i++) {
      bus.publish(changed(`m${i}`));
      await settle();
    }
    await reading;
    expect(read).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    const late = [(await idle.next()).value, (await idle.next()).value, (await idle.next()).value].map((r) => r.data.changed);
    expect(late).toEqual(['m4', 'm5', 'm6']);
    await idle.return!();
    expect(multicast.stats()).toEqual({ shapes: 0, subscribers: 0 });
  });
});
