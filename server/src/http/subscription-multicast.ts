import { print, subscribe as graphqlSubscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { SUBSCRIPTION_BUFFER, SubscriptionEnded } from '../events/event-pub-sub.js';
import { errorFields, logger } from '../observability/logger.js';

type Result = ExecutionResult;

/** What the multicast reads of a subscriber's context: who it is. */
export interface SubscriberContext {
  actor: { userId: string; grants: { role: string; scopeId: string }[] } | null;
}

/** One shared execution of a subscription and the subscribers it feeds. */
interface Shared {
  source: AsyncIterator<Result> | null;
  sinks: Set<Sink>;
  starting: Promise<AsyncIterator<Result> | Result> | null;
}

/** Answers the subscriber's current principal signature, or null once its session has ended. */
export type PrincipalCheck = (context: SubscriberContext) => Promise<string | null>;

/** The roles part of a principal: who holds what where. */
export function grantsSignature(actor: { userId: string; grants: { role: string; scopeId: string }[] }): string {
  return `${actor.userId}|${actor.grants.map((g) => `${g.role}@${g.scopeId}`).sort().join(',')}`;
}

/**
 * A subscriber's queue, fed by the shared execution. The execution runs at its own pace, so a subscriber whose
 * socket drains slowly falls behind here: it keeps its newest `limit` results and loses the older ones, as the
 * event buffer before the execution does (EventBusPubSub).
 */
class Sink implements AsyncIterableIterator<Result> {
  private readonly queue: Result[] = [];
  private wake: (() => void) | null = null;
  private done = false;

  constructor(
    private readonly leave: (sink: Sink) => void,
    /** Checked before each result is handed over: false ends this subscriber's subscription. */
    private readonly admit: () => Promise<boolean>,
    private readonly limit: number,
  ) {}

  push(result: Result): void {
    if (this.done) return;
    this.queue.push(result);
    if (this.queue.length > this.limit) this.queue.shift();
    this.wake?.();
  }

  end(): void {
    this.done = true;
    this.wake?.();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  async next(): Promise<IteratorResult<Result>> {
    while (!this.done && this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (this.queue.length > 0) {
      const value = this.queue.shift()!;
      if (await this.admit()) return { value, done: false };
      return this.return();
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<Result>> {
    this.done = true;
    this.leave(this);
    return { value: undefined, done: true };
  }
}

/**
 * Executes each event once per distinct subscription shape instead of once per subscriber. A shape is the
 * operation, its variables and the principal it runs for (the user and the roles they hold): subscribers
 * that share all three would receive identical results, so the first one's execution is multicast to all of
 * them. A thousand dashboards of one team cost one execution per event, not a thousand.
 */
export class SubscriptionMulticast {
  private readonly shapes = new Map<string, Shared>();

  constructor(
    private readonly principalNow: PrincipalCheck = async (c) => (c.actor ? grantsSignature(c.actor) : null),
    /** Results a subscriber may hold unread. */
    private readonly resultBuffer = SUBSCRIPTION_BUFFER,
  ) {}

  /** graphql-ws's `subscribe` hook. */
  subscribe = async (args: ExecutionArgs): Promise<AsyncIterableIterator<Result> | Result> => {
    const key = this.shapeOf(args);
    let shared = this.shapes.get(key);
    if (!shared) {
      shared = { source: null, sinks: new Set(), starting: null };
      this.shapes.set(key, shared);
    }
    const current = shared;
    const context = args.contextValue as SubscriberContext;
    const principal = context.actor ? grantsSignature(context.actor) : null;
    const sink = new Sink(
      (s) => this.leave(key, current, s),
      async () => principal !== null && (await this.principalNow(context)) === principal,
      this.resultBuffer,
    );
    current.sinks.add(sink);
    if (!current.source) {
      current.starting ??= Promise.resolve(graphqlSubscribe(args)) as Promise<AsyncIterator<Result> | Result>;
      const started = await current.starting;
      if (!(Symbol.asyncIterator in (started as object))) {
        // An error result (bad arguments, not allowed): every subscriber of this shape gets it.
        this.shapes.delete(key);
        return started as Result;
      }
      if (!current.source) {
        current.source = started as AsyncIterator<Result>;
        void this.pump(key, current);
      }
    }
    return sink;
  };

  /** Subscriptions currently executed, and subscribers fed: for tests and the benchmark. */
  stats(): { shapes: number; subscribers: number } {
    let subscribers = 0;
    for (const s of this.shapes.values()) subscribers += s.sinks.size;
    return { shapes: this.shapes.size, subscribers };
  }

  private async pump(key: string, shared: Shared): Promise<void> {
    try {
      for (;;) {
        const next = await shared.source!.next();
        if (next.done) break;
        for (const sink of shared.sinks) sink.push(next.value);
      }
    } catch (e) {
      // The session the execution ran with has ended: its subscribers complete (and subscribe again), no error.
      if (e instanceof SubscriptionEnded) return;
      const result: Result = { errors: [{ message: 'The subscription failed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] as never };
      for (const sink of shared.sinks) sink.push(result);
      logger.error(errorFields(e), 'subscription source failed');
    } finally {
      for (const sink of shared.sinks) sink.end();
      if (this.shapes.get(key) === shared) this.shapes.delete(key);
    }
  }

  private leave(key: string, shared: Shared, sink: Sink): void {
    shared.sinks.delete(sink);
    if (shared.sinks.size === 0) {
      if (this.shapes.get(key) === shared) this.shapes.delete(key);
      void shared.source?.return?.();
    }
  }

  private shapeOf(args: ExecutionArgs): string {
    const actor = (args.contextValue as SubscriberContext).actor;
    const principal = actor ? grantsSignature(actor) : 'anonymous';
    return `${principal}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${print(args.document)}`;
  }
}
