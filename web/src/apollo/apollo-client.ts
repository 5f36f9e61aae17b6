import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, split } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { ErrorCode } from '@gatehouse/shared';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { gatehouseTypePolicies } from './cache-policy';
import { errorCode } from './graphql-errors';

/**
 * What a WebSocket connection sends when it opens. The server authenticates the socket with the session cookie
 * of the upgrade request (same origin), so the app, which cannot read the httpOnly cookie, sends nothing.
 */
export function subscriptionConnectionParams(): Record<string, unknown> {
  return {};
}

/** `ws://host/graphql` or `wss://host/graphql`, beside the page the app was served from. */
export function subscriptionUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
}

export interface GatehouseClientOptions {
  /** Called when any operation answers UNAUTHENTICATED: the session ended (expired, revoked, signed out elsewhere). */
  onUnauthenticated?: () => void;
  /** Replaces the network for tests. */
  fetch?: typeof fetch;
  /** The origin subscriptions connect to; `window.location` in the browser. */
  location?: Pick<Location, 'protocol' | 'host'>;
  /** Replaces graphql-ws's client for tests. */
  createWsClient?: typeof createClient;
  /** Told when the subscription socket connects (again, after a drop: `wasRetry`) and when it closes. */
  onSocket?: (event: SocketEvent) => void;
}

export type SocketEvent = { type: 'connected'; wasRetry: boolean } | { type: 'closed' };

/**
 * Waits before the next attempt to reconnect: 0.5 s, 1 s, 2 s, … up to 10 s, with jitter so that many open
 * dashboards do not knock on a restarted server at the same instant.
 */
export function reconnectDelay(retries: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** retries);
  return Math.round(base * (0.75 + random() * 0.5));
}

export function isSubscription(operation: ApolloLink.Operation): boolean {
  const definition = getMainDefinition(operation.query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
}

/**
 * The link chain: errors first, then queries and mutations over HTTP (the cookie rides along, same origin) and
 * subscriptions over graphql-ws. The WebSocket client is lazy: it connects on the first subscription only, so
 * pages without live data open no socket.
 */
export function createGatehouseLink(options: GatehouseClientOptions = {}): { link: ApolloLink; wsClient: () => WsClient } {
  const http = new HttpLink({ uri: '/graphql', credentials: 'same-origin', fetch: options.fetch });
  let ws: WsClient | undefined;
  const wsClient = () =>
    (ws ??= (options.createWsClient ?? createClient)({
      url: subscriptionUrl(options.location ?? window.location),
      connectionParams: subscriptionConnectionParams,
      lazy: true,
      // A dashboard stays open for hours: keep reconnecting through restarts and network drops.
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelay(retries))),
      shouldRetry: () => true,
      on: {
        connected: (_socket, _payload, wasRetry) => options.onSocket?.({ type: 'connected', wasRetry: Boolean(wasRetry) }),
        closed: () => options.onSocket?.({ type: 'closed' }),
      },
    }));
  let graphqlWs: GraphQLWsLink | undefined;
  const wsLink = new ApolloLink((operation) => (graphqlWs ??= new GraphQLWsLink(wsClient())).request(operation));
  const errors = new ErrorLink(({ error, operation }) => {
    // A failed sign-in answers UNAUTHENTICATED too; that is the sign-in form's to show, not a lost session.
    if (errorCode(error) === ErrorCode.UNAUTHENTICATED && operation.operationName !== 'SignIn') options.onUnauthenticated?.();
  });
  return { link: ApolloLink.from([errors, split(isSubscription, wsLink, http)]), wsClient };
}

export function createGatehouseClient(options: GatehouseClientOptions = {}): ApolloClient {
  const { link } = createGatehouseLink(options);
  return new ApolloClient({
    link,
    cache: new InMemoryCache({ typePolicies: gatehouseTypePolicies() }),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
