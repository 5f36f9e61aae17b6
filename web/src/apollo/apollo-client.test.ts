import { gql } from '@apollo/client';
import type { Client } from 'graphql-ws';
import { describe, expect, it, vi } from 'vitest';
import { CurrentSessionDocument } from '../graphql/generated';
import { fakeFetch } from '../testing/fake-graphql';
import { createGatehouseClient, reconnectDelay, subscriptionConnectionParams, subscriptionUrl } from './apollo-client';

describe('the Apollo client', () => {
  it('sends queries over HTTP and opens no WebSocket for them', async () => {
    const fetch = fakeFetch(() => ({ data: { me: null, organisation: { __typename: 'Organisation', id: 'o', name: 'N', currency: 'EUR', potentialGreenPercent: 95, potentialAmberPercent: 80 } } }));
    const createWsClient = vi.fn();
    const client = createGatehouseClient({ fetch, createWsClient, location: { protocol: 'http:', host: 'app.local' } });
    await client.query({ query: CurrentSessionDocument });
    expect(fetch.requests.map((r) => r.operationName)).toEqual(['CurrentSession']);
    expect(createWsClient).not.toHaveBeenCalled();
  });

  it('sends subscriptions over graphql-ws on /graphql with the connection params', async () => {
    const subscribe = vi.fn((_payload: unknown, sink: { next(v: unknown): void; complete(): void }) => {
      sink.next({ data: { measureChanged: { __typename: 'MeasureEvent', kind: 'UPDATED' } } });
      sink.complete();
      return () => {};
    });
    const createWsClient = vi.fn(() => ({ subscribe }) as unknown as Client);
    const fetch = fakeFetch(() => ({ data: {} }));
    const client = createGatehouseClient({ fetch, createWsClient, location: { protocol: 'https:', host: 'gatehouse.example' } });

    const events: unknown[] = [];
    await new Promise<void>((resolve) => {
      client.subscribe({ query: gql`subscription Live { measureChanged { kind } }` }).subscribe({ next: (e) => events.push(e.data), complete: resolve });
    });

    expect(createWsClient).toHaveBeenCalledWith(expect.objectContaining({ url: 'wss://gatehouse.example/graphql', connectionParams: subscriptionConnectionParams, lazy: true }));
    expect(subscribe.mock.calls[0][0]).toMatchObject({ operationName: 'Live' });
    expect(events).toEqual([{ measureChanged: { __typename: 'MeasureEvent', kind: 'UPDATED' } }]);
    expect(fetch.requests).toEqual([]);
  });

  it('keeps reconnecting the socket with a growing, capped, jittered wait, and reports connects and drops', async () => {
    const subscribe = vi.fn(() => () => {});
    const createWsClient = vi.fn(() => ({ subscribe }) as unknown as Client);
    const onSocket = vi.fn();
    const client = createGatehouseClient({ fetch: fakeFetch(() => ({ data: {} })), createWsClient, onSocket, location: { protocol: 'http:', host: 'a' } });
    client.subscribe({ query: gql`subscription Live { measureChanged { kind } }` }).subscribe({});
    const options = (createWsClient.mock.calls[0] as unknown as [{ retryAttempts: number; shouldRetry: () => boolean; on: { connected: (...a: unknown[]) => void; closed: () => void } }])[0];
    expect(options.retryAttempts).toBe(Number.POSITIVE_INFINITY);
    expect(options.shouldRetry()).toBe(true);
    options.on.connected({}, {}, true);
    options.on.closed();
    expect(onSocket.mock.calls).toEqual([[{ type: 'connected', wasRetry: true }], [{ type: 'closed' }]]);

    expect(reconnectDelay(0, () => 0.5)).toBe(500);
    expect(reconnectDelay(3, () => 0.5)).toBe(4000);
    expect(reconnectDelay(20, () => 0.5)).toBe(10_000);
    expect(reconnectDelay(20, () => 1)).toBe(12_500);
    expect(reconnectDelay(0, () => 0)).toBe(375);
  });

  it('sends no token with WebSocket connections: the server reads the session cookie of the upgrade', () => {
    expect(subscriptionConnectionParams()).toEqual({});
    expect(subscriptionUrl({ protocol: 'http:', host: 'localhost:4000' })).toBe('ws://localhost:4000/graphql');
  });

  it('reports a lost session on UNAUTHENTICATED, but not a failed sign-in', async () => {
    const onUnauthenticated = vi.fn();
    const fetch = fakeFetch(() => ({ errors: [{ message: 'Sign in first', extensions: { code: 'UNAUTHENTICATED' } }] }));
    const client = createGatehouseClient({ fetch, onUnauthenticated });
    await client.mutate({ mutation: gql`mutation SignIn { logout }` }).catch(() => undefined);
    expect(onUnauthenticated).not.toHaveBeenCalled();
    await client.query({ query: CurrentSessionDocument }).catch(() => undefined);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });
});
