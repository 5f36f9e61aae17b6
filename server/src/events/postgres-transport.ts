import pg from 'pg';
import type { EventTransport } from './remote-event-bus.js';

const CHANNEL = 'gatehouse_events';

/**
 * LISTEN/NOTIFY on the application database: no extra service to run. One dedicated connection listens (and
 * reconnects with backoff if the database goes away); notifications are sent through a small pool.
 */
export class PostgresTransport implements EventTransport {
  private listener: pg.Client | null = null;
  private readonly pool: pg.Pool;
  private closed = false;
  private onMessage: (message: string) => void = () => {};

  constructor(private readonly url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'gatehouse-events' });
    this.pool.on('error', () => undefined);
  }

  async publish(message: string): Promise<void> {
    await this.pool.query(`SELECT pg_notify($1, $2)`, [CHANNEL, message]);
  }

  async listen(onMessage: (message: string) => void): Promise<void> {
    this.onMessage = onMessage;
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private async connect(attempt = 0): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'gatehouse-events-listener' });
    client.on('notification', (n) => n.payload && this.onMessage(n.payload));
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
    } catch (e) {
      if (attempt === 0 && !this.listener) throw e;
      setTimeout(() => void this.connect(attempt + 1), Math.min(5000, 200 * 2 ** attempt)).unref();
    }
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.listener !== client) return;
    this.listener = null;
    client.removeAllListeners();
    setTimeout(() => void this.connect(1), 200).unref();
  }
}
