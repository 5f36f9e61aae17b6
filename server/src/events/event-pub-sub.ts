import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { PubSub } from 'type-graphql';
import type { DomainEvent, EventBus, Topic } from './event-bus.js';

/**
 * Unread events one subscription may hold. A mutation publishes one or two events, so a subscriber this far
 * behind is stuck (or its executions are); it loses the oldest events rather than growing the server without end.
 */
export const SUBSCRIPTION_BUFFER = 1000;

/**
 * Thrown by a subscription's filter to end the subscription without an error: the session it runs with has ended.
 * (type-graphql's filter can only drop an event; returning false would leave the subscription open but silent.)
 */
export class SubscriptionEnded extends Error {
  constructor() {
    super('the subscriber’s session has ended');
  }
}

/**
 * type-graphql's PubSub over the app's event bus, so that `@Subscription({ topics, topicId, filter })` works as
 * designed while the bus (local, or fanned out to other instances through PostgreSQL or Redis) stays the one way
 * events travel: nothing is published here that the bus would not carry to every instance.
 * - `subscribe(topic, organisationId)`: one bus listener per subscription, added when it starts and removed when
 *   it ends; events of other organisations are dropped before they are buffered.
 * - Each subscription buffers at most `bufferSize` unread events, dropping the oldest (a sliding buffer).
 */
export class EventBusPubSub implements PubSub {
  constructor(
    private readonly bus: EventBus,
    private readonly bufferSize = SUBSCRIPTION_BUFFER,
  ) {}

  /** Publishes through the bus, which reaches this instance's subscribers and the other instances. */
  publish(topic: string, event: unknown): void {
    if ((event as DomainEvent | undefined)?.topic !== topic) throw new Error(`an event published on ${topic} must carry that topic`);
    this.bus.publish(event as DomainEvent);
  }

  subscribe(topic: string, organisationId?: unknown): AsyncIterable<DomainEvent> {
    return new Repeater<DomainEvent>(async (push, stop) => {
      const off = this.bus.on(topic as Topic, (event) => {
        if (organisationId === undefined || event.organisationId === organisationId) void push(event);
      });
      await stop;
      off();
    }, new SlidingBuffer(this.bufferSize));
  }
}
