import { createClient, type RedisClientType } from 'redis';
import type { EventTransport } from './remote-event-bus.js';
import { logger } from '../observability/logger.js';

const CHANNEL = 'gatehouse:events';

/** Redis pub/sub, when REDIS_URL is set: one connection publishes, a second one subscribes. */
export class RedisTransport implements EventTransport {
  private readonly publisher: RedisClientType;
  private readonly subscriber: RedisClientType;

  constructor(url: string) {
    this.publisher = createClient({ url });
    this.subscriber = this.publisher.duplicate();
    for (const c of [this.publisher, this.subscriber]) c.on('error', (e) => logger.error({ error: e.message }, 'redis error'));
  }

  async publish(message: string): Promise<void> {
    await this.publisher.publish(CHANNEL, message);
  }

  async listen(onMessage: (message: string) => void): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(CHANNEL, (message) => onMessage(message));
  }

  async close(): Promise<void> {
    await Promise.all([this.subscriber.quit().catch(() => undefined), this.publisher.quit().catch(() => undefined)]);
  }
}
