import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** One graphql-ws connection of a test: what it received, the errors and close codes it saw. */
export interface LiveClient {
  client: Client;
  events: any[];
  errors: unknown[];
  closes: number[];
  subscribe(query: string): void;
}

/**
 * The graphql-ws clients a test file opens against a test app (signed in with `token` at connection_init);
 * `disposeAll` in afterAll closes every one of them.
 */
export class LiveClients {
  private readonly clients: Client[] = [];

  connect(baseUrl: string, token: string): LiveClient {
    const closes: number[] = [];
    const client = createClient({
      url: baseUrl.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { token },
      retryAttempts: 0,
      lazy: false,
      on: { closed: (e) => closes.push((e as { code: number }).code) },
      onNonLazyError: () => {},
    });
    this.clients.push(client);
    const events: any[] = [];
    const errors: unknown[] = [];
    const subscribe = (query: string) => void client.subscribe({ query }, { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => {} });
    return { client, events, errors, closes, subscribe };
  }

  async disposeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.dispose()));
  }
}
