import { Arg, Ctx, Field, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { eventStream, type DomainEvent, type EventOf, type Topic } from '../../events/event-bus.js';
import { requireActor, type GraphQLContext } from '../../graphql/context.js';
import { type Actor, canRead } from '../access/index.js';
import { GateRequest } from '../governance/index.js';
import { Measure } from '../measures/index.js';
import { PortfolioSummary } from '../portfolio/index.js';
import { User } from '../users/index.js';
import { TicketGroup } from '../tickets/index.js';
import { Int } from 'type-graphql';

@ObjectType({ description: 'Something happened to a measure.' })
export class MeasureEvent {
  @Field(() => Measure)
  measure: Measure;

  @Field(() => String, { description: 'CREATED, UPDATED, VALUES_CHANGED, GATE_DECIDED, SIGNED_OFF, …' })
  kind: string;

  @Field(() => User, { nullable: true })
  actor: User | null;

  @Field(() => Date)
  at: Date;
}

@ObjectType({ description: 'An import or a link changed ticket groups.' })
export class TicketGroupEvent {
  @Field(() => [TicketGroup], { description: 'The groups changed (at most 100).' })
  groups: TicketGroup[];

  @Field(() => Int)
  inserted: number;

  @Field(() => Int)
  updated: number;

  @Field(() => Date)
  at: Date;
}

type Data = SubscribeResolverData<unknown, { scopeId?: string | null }, GraphQLContext>;

/**
 * Events of `topics` in the subscriber's organisation, below `scopeId` when given, on measures whose scope the
 * subscriber can read. The resolver re-reads the entity with the subscriber's rights before anything is sent.
 */
function subscribe(topics: Topic[]) {
  return ({ args, context }: Data): AsyncIterable<DomainEvent> => {
    const actor = requireActor(context);
    const scopeId = args.scopeId ? assertId(args.scopeId, 'scopeId') : null;
    const accept = (current: Actor) => (e: DomainEvent) =>
      e.organisationId === current.organisation.id && (!('path' in e) || ((!scopeId || e.path.includes(scopeId)) && visible(current, e)));
    // A cheap first filter on the organisation and the asked scope; what the subscriber may see is decided by the
    // re-check below, against the session and roles as they are when the event arrives (a role granted again counts too).
    const relevant = (e: DomainEvent) => e.organisationId === actor.organisation.id && (!scopeId || !('path' in e) || e.path.includes(scopeId));
    const streams = topics.map((t) => eventStream(context.services.bus, t, relevant));
    const merged = streams.length === 1 ? streams[0] : merge<DomainEvent>(streams);
    return recheckEach(merged, async (e) => {
      const current = context.refreshActor ? await context.refreshActor() : context.actor;
      if (!current) return 'end';
      // Resolvers read with the refreshed actor: a revoked role is not used to load the payload either.
      context.actor = current;
      return accept(current)(e) ? 'deliver' : 'skip';
    });
  };
}

/**
 * Events pass only after `check` says so against the subscriber's current session and roles: 'skip' drops an
 * event the subscriber may no longer see, 'end' finishes the subscription (the session ended).
 */
function recheckEach<T>(source: AsyncIterableIterator<T>, check: (event: T) => Promise<'deliver' | 'skip' | 'end'>): AsyncIterableIterator<T> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const r = await source.next();
        if (r.done) return r;
        const verdict = await check(r.value);
        if (verdict === 'deliver') return r;
        if (verdict === 'end') {
          await source.return?.();
          return { value: undefined, done: true };
        }
      }
    },
    async return(): Promise<IteratorResult<T>> {
      await source.return?.();
      return { value: undefined, done: true };
    },
  };
}

/** The subscriber may read the entity: a role on its scope, or one of the measure's people. */
function visible(actor: Actor, e: DomainEvent): boolean {
  return 'path' in e && canRead(actor, e.path, e.people);
}

function merge<T>(streams: AsyncIterableIterator<T>[]): AsyncIterableIterator<T> {
  const pending = new Map(streams.map((s, i) => [i, s.next().then((r) => ({ i, r }))]));
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      while (pending.size > 0) {
        const { i, r } = await Promise.race(pending.values());
        if (r.done) {
          pending.delete(i);
          continue;
        }
        pending.set(i, streams[i].next().then((n) => ({ i, r: n })));
        return r;
      }
      return { value: undefined, done: true };
    },
    async return() {
      await Promise.all(streams.map((s) => s.return?.()));
      pending.clear();
      return { value: undefined, done: true };
    },
  };
}

@Resolver()
export class LiveResolver {
  @Subscription(() => MeasureEvent, { subscribe: subscribe(['measureChanged']), description: 'Measures changed below scopeId (or anywhere the caller can see).' })
  async measureChanged(
    @Root() event: EventOf<'measureChanged'>,
    @Arg('scopeId', () => ID, { nullable: true }) _scopeId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MeasureEvent> {
    const measure = await ctx.services.measures.get(requireActor(ctx), event.measureId);
    if (!measure) throw notFound('Measure');
    return { measure, kind: event.kind, actor: event.actorId ? await ctx.loaders.user.load(event.actorId) : null, at: new Date(event.at) };
  }

  @Subscription(() => GateRequest, { subscribe: subscribe(['gateRequestChanged']), description: 'Gate requests filed, decided or withdrawn below scopeId.' })
  async gateRequestChanged(
    @Root() event: EventOf<'gateRequestChanged'>,
    @Arg('scopeId', () => ID, { nullable: true }) _scopeId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GateRequest> {
    const actor = requireActor(ctx);
    await ctx.services.measures.get(actor, event.measureId);
    const request = await ctx.services.dataSource.getRepository(GateRequest).findOneBy({ id: event.requestId });
    if (!request) throw notFound('Gate request');
    return request;
  }

  @Subscription(() => TicketGroupEvent, { subscribe: subscribe(['ticketGroupsChanged']), description: 'Ticket groups changed by an import or a link.' })
  async ticketGroupsChanged(@Root() event: EventOf<'ticketGroupsChanged'>, @Ctx() ctx: GraphQLContext): Promise<TicketGroupEvent> {
    requireActor(ctx);
    const groups = (await ctx.loaders.ticketGroup.loadMany(event.groupIds)).filter((g): g is TicketGroup => g instanceof TicketGroup);
    return { groups, inserted: event.inserted, updated: event.updated, at: new Date(event.at) };
  }

  @Subscription(() => PortfolioSummary, {
    subscribe: subscribe(['measureChanged', 'gateRequestChanged']),
    description: 'The portfolio summary of scopeId, sent again whenever something in it changes.',
  })
  async portfolioSummaryChanged(
    @Root() _event: DomainEvent,
    @Arg('scopeId', () => ID, { nullable: true }) scopeId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PortfolioSummary> {
    return ctx.services.portfolio.summary(requireActor(ctx), scopeId);
  }
}
