import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DomainEvent, EventBus, EventOf, Topic } from './event-bus.js';
import { errorFields, logger } from '../observability/logger.js';

/** What crosses between instances: the event, tagged with the instance that published it. */
interface Envelope {
  from: string;
  event: DomainEvent;
}

/** A transport that carries serialised envelopes to every instance (PostgreSQL NOTIFY, Redis PUBLISH). */
export interface EventTransport {
  publish(message: string): Promise<void>;
  /** Starts delivering every message published by any instance, this one included. */
  listen(onMessage: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL NOTIFY payloads must stay under 8,000 bytes; events carry ids only, well below that. */
export const MAX_EVENT_BYTES = 7900;

/**
 * An event bus shared by several server instances. An event reaches this instance's subscribers at once and the
 * other instances through the transport; an instance ignores its own messages coming back.
 */
export class RemoteEventBus implements EventBus {
  private readonly emitter = new EventEmitter();
  private readonly instance = randomUUID();

  private constructor(private readonly transport: EventTransport) {
    this.emitter.setMaxListeners(0);
  }

  static async start(transport: EventTransport): Promise<RemoteEventBus> {
    const bus = new RemoteEventBus(transport);
    await transport.listen((message) => bus.receive(message));
    return bus;
  }

  publish(event: DomainEvent): void {
    this.emitter.emit(event.topic, event);
    const message = JSON.stringify({ from: this.instance, event } satisfies Envelope);
    if (Buffer.byteLength(message) > MAX_EVENT_BYTES) {
      logger.error(`event ${event.topic} too large to share (${Buffer.byteLength(message)} bytes); other instances miss it`);
      return;
    }
    this.transport.publish(message).catch((e: unknown) => logger.error(errorFields(e), 'publishing an event to other instances failed'));
  }

  on<T extends Topic>(topic: T, handler: (event: EventOf<T>) => void): () => void {
    this.emitter.on(topic, handler as (e: DomainEvent) => void);
    return () => this.emitter.off(topic, handler as (e: DomainEvent) => void);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await this.transport.close();
  }

  private receive(message: string): void {
    try {
      const envelope = JSON.parse(message) as Envelope;
      if (envelope.from === this.instance) return;
      this.emitter.emit(envelope.event.topic, envelope.event);
    } catch (e) {
      logger.error(errorFields(e), 'an unreadable event from another instance was dropped');
    }
  }
}
