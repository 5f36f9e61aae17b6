import type { ApolloClient } from '@apollo/client';
import { inject, shallowRef, watch, type InjectionKey, type Ref, type ShallowRef } from 'vue';
import type { SocketEvent } from '../../apollo/apollo-client';
import {
  GateRequestChangedDocument,
  MeasureChangedDocument,
  TicketGroupsChangedDocument,
  type MeasureChangedSubscription,
  type TicketGroupsChangedSubscription,
} from '../../graphql/generated';
import { refetchLiveQueries, TICKET_LIVE_QUERIES } from './live-queries';
import { createRefreshScheduler, type RefreshScheduler } from './refresh-scheduler';

/** idle: nothing subscribed; connecting: first connection; live: events flow; reconnecting: the socket dropped. */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting';

export type LiveMeasureEvent = MeasureChangedSubscription['measureChanged'];
export type LiveTicketEvent = TicketGroupsChangedSubscription['ticketGroupsChanged'];

export interface LiveStore {
  status: ShallowRef<LiveStatus>;
  /** The newest measure event, for "changed by … just now" notes. */
  lastMeasureEvent: ShallowRef<LiveMeasureEvent | null>;
  /** The newest ticket groups event (an import's batch, a link), for "updated just now" notes. */
  lastTicketEvent: ShallowRef<LiveTicketEvent | null>;
  /** Counts every refresh the live events caused; pages may watch it. */
  refreshes: ShallowRef<number>;
  /** Feed for the Apollo client's socket events (main.ts wires it). */
  onSocket(event: SocketEvent): void;
  /**
   * Keeps the open pages current for one scope while the returned function is not called: subscribes to measure
   * and gate request events below the scope and to ticket group events of the organisation, and after each
   * burst of them (or a reconnect, which may have missed some) reads the open pages' live queries again: the
   * measure and gate queries after measure and gate events, the ticket queries after ticket events.
   */
  follow(client: ApolloClient, scopeId: Ref<string | null>): () => void;
}

export const LIVE: InjectionKey<LiveStore> = Symbol('live');

export function useLive(): LiveStore {
  const live = inject(LIVE, null);
  if (!live) throw new Error('No live store provided');
  return live;
}

export interface LiveStoreOptions {
  delayMs?: number;
  /** Waits before subscribing again after a subscription failed. */
  resubscribeMs?: number;
  refetch?: (client: ApolloClient) => Promise<unknown>;
  refetchTickets?: (client: ApolloClient) => Promise<unknown>;
}

export function createLiveStore(options: LiveStoreOptions = {}): LiveStore {
  const status = shallowRef<LiveStatus>('idle');
  const lastMeasureEvent = shallowRef<LiveMeasureEvent | null>(null);
  const lastTicketEvent = shallowRef<LiveTicketEvent | null>(null);
  const refreshes = shallowRef(0);
  let schedulers: RefreshScheduler[] = [];

  return {
    status,
    lastMeasureEvent,
    lastTicketEvent,
    refreshes,
    onSocket(event) {
      if (event.type === 'closed') {
        if (status.value === 'live') status.value = 'reconnecting';
        return;
      }
      status.value = 'live';
      // Events sent while the socket was down are lost: read everything open again.
      if (event.wasRetry) for (const s of schedulers) s.notify();
    },
    follow(client, scopeId) {
      const refetch = options.refetch ?? ((c: ApolloClient) => refetchLiveQueries(c));
      const refetchTickets = options.refetchTickets ?? ((c: ApolloClient) => refetchLiveQueries(c, TICKET_LIVE_QUERIES));
      const scheduled = (run: (c: ApolloClient) => Promise<unknown>) =>
        createRefreshScheduler({
          delayMs: options.delayMs ?? 120,
          run: async () => {
            await run(client);
            refreshes.value++;
          },
        });
      const own = scheduled(refetch);
      // An import commits a batch every few thousand rows: each burst of its events reads the ticket pages once.
      const tickets = scheduled(refetchTickets);
      const mine = [own, tickets];
      schedulers = mine;
      const notifyAll = () => mine.forEach((s) => s.notify());
      let subscriptions: { unsubscribe(): void }[] = [];
      let retry: ReturnType<typeof setTimeout> | null = null;

      const stop = () => {
        for (const s of subscriptions) s.unsubscribe();
        subscriptions = [];
        if (retry) clearTimeout(retry);
        retry = null;
      };
      const start = (scope: string | null) => {
        stop();
        if (status.value === 'idle') status.value = 'connecting';
        const onError = () => {
          // The socket client retries by itself; this covers a subscription the server ended (e.g. a restart).
          if (retry) return;
          status.value = 'reconnecting';
          retry = setTimeout(() => {
            retry = null;
            start(scopeId.value);
            notifyAll();
          }, options.resubscribeMs ?? 2000);
        };
        subscriptions = [
          client.subscribe({ query: MeasureChangedDocument, variables: { scopeId: scope } }).subscribe({
            next: (result) => {
              const event = result.data?.measureChanged;
              if (event) lastMeasureEvent.value = event;
              own.notify();
            },
            error: onError,
            complete: onError,
          }),
          client.subscribe({ query: GateRequestChangedDocument, variables: { scopeId: scope } }).subscribe({
            next: () => own.notify(),
            error: onError,
            complete: onError,
          }),
          client.subscribe({ query: TicketGroupsChangedDocument }).subscribe({
            next: (result) => {
              const event = result.data?.ticketGroupsChanged;
              if (event) lastTicketEvent.value = event;
              tickets.notify();
            },
            error: onError,
            complete: onError,
          }),
        ];
      };

      const unwatch = watch(scopeId, (scope) => start(scope), { immediate: true });
      return () => {
        unwatch();
        stop();
        for (const s of mine) s.dispose();
        if (schedulers === mine) schedulers = [];
        status.value = 'idle';
      };
    },
  };
}
