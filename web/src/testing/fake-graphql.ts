import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { createGatehouseClient } from '../apollo/apollo-client';

export interface FakeRequest {
  operationName: string;
  variables: Record<string, unknown>;
  query: string;
}

export type FakeAnswer = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
export type FakeHandler = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

/** A `fetch` that answers GraphQL requests from a handler, recording every request. */
export function fakeFetch(handler: FakeHandler): typeof fetch & { requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const fn = async (_input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as FakeRequest;
    requests.push(body);
    const answer = await handler(body);
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return Object.assign(fn as typeof fetch, { requests });
}

/** The app's own client (links, cache policies) over a fake network. */
export function fakeClient(handler: FakeHandler, onUnauthenticated?: () => void): { client: ApolloClient; requests: FakeRequest[] } {
  const fetch = fakeFetch(handler);
  const client = createGatehouseClient({ fetch, onUnauthenticated, location: { protocol: 'http:', host: 'test.local' } });
  return { client, requests: fetch.requests };
}

/** A bare client for tests that need no app links. */
export function bareClient(handler: FakeHandler): ApolloClient {
  return new ApolloClient({ link: new HttpLink({ uri: '/graphql', fetch: fakeFetch(handler) }), cache: new InMemoryCache() });
}

/** Lets pending promises and Vue watchers run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await settle();
  }
}
