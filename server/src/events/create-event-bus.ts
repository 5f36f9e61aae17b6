import type { Config } from '../config/config.js';
import { LocalEventBus, type EventBus } from './event-bus.js';
import { PostgresTransport } from './postgres-transport.js';
import { RedisTransport } from './redis-transport.js';
import { RemoteEventBus } from './remote-event-bus.js';

/**
 * The embedded database serves one process: events stay local. On a PostgreSQL server several instances may
 * run, so events fan out through LISTEN/NOTIFY, or through Redis when REDIS_URL is set.
 */
export async function createEventBus(config: Pick<Config, 'database' | 'redisUrl'>): Promise<EventBus> {
  if (config.redisUrl) return RemoteEventBus.start(new RedisTransport(config.redisUrl));
  if (config.database.kind === 'postgres') return RemoteEventBus.start(new PostgresTransport(config.database.url));
  return new LocalEventBus();
}
