import { Arg, Ctx, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData, SubscriptionHandlerData } from 'type-graphql';
import { notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import type { DomainEvent, EventOf } from '../../events/event-bus.js';
import { SubscriptionEnded } from '../../events/event-pub-sub.js';
import { requireActor, type GraphQLContext } from '../context.js';
import { canRead } from '../access/index.js';
import { GateRequest } from '../governance/index.js';
import { Measure } from '../measures/index.js';
import { PortfolioSummary } from '../portfolio/index.js';
import { User } from '../users/index.js';
import { mayReceiveTicketEvent, TicketGroup, ticketReadScope, visibleCounts } from '../tickets/index.js';

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

type Args = { scopeId?: string | null };

/**
 * Live updates are type-graphql subscriptions over the app's event bus (EventBusPubSub, built into the schema):
 * `topics` names the bus topics, `topicId` routes the subscription to its organisation's events (and refuses a
 * caller without a session or with a malformed scopeId before anything listens), and `filter` decides per event
 * who receives it. Events carry ids only; the resolver re-reads the entity with the subscriber's rights.
 */
function organisationOf({ args, context }: SubscribeResolverData<unknown, Args, GraphQLContext>): string {
  const actor = requireActor(context);
  if (args.scopeId) assertId(args.scopeId, 'scopeId');
  return actor.organisation.id;
}

/**
 * The subscriber receives an event below the scope it asked for (if any) that it may read with its session and
 * roles as they are when the event arrives, not when it subscribed: a revoked role stops delivery, a role granted
 * again counts too. Over WebSocket `refreshActor` re-reads them (briefly cached, websocket.ts) and, once the
 * session has ended, closes the connection with 4403.
 */
async function mayReceive({ payload, args, context }: SubscriptionHandlerData<DomainEvent, Args, GraphQLContext>): Promise<boolean> {
  // The cheap check first: most events of a busy organisation lie outside a scoped subscriber's scope.
  // (scopeId was validated by organisationOf; ids are stored lower-case.)
  if (args.scopeId && 'path' in payload && !payload.path.includes(args.scopeId.toLowerCase())) return false;
  const current = context.refreshActor ? await context.refreshActor() : context.actor;
  // Ends the execution, which subscribers of the same user and roles on other sessions may share: they are told it
  // completed and subscribe again, rather than waiting on an execution that delivers nothing.
  if (!current) throw new SubscriptionEnded();
  // Resolvers read with the refreshed actor: a revoked role is not used to load the payload either.
  context.actor = current;
  if (payload.organisationId !== current.organisation.id) return false;
  // Ticket events name the scopes of their tickets (tickets/ticket-scope.ts).
  if (payload.topic === 'ticketGroupsChanged') return mayReceiveTicketEvent(current, payload);
  return !('path' in payload) || canRead(current, payload.path, payload.people);
}

@Resolver()
export class LiveResolver {
  @Subscription(() => MeasureEvent, { topics: 'measureChanged', topicId: organisationOf, filter: mayReceive, description: 'Measures changed below scopeId (or anywhere the caller can see).' })
  async measureChanged(
    @Root() event: EventOf<'measureChanged'>,
    @Arg('scopeId', () => ID, { nullable: true }) _scopeId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MeasureEvent> {
    const measure = await ctx.services.measures.get(requireActor(ctx), event.measureId);
    if (!measure) throw notFound('Measure');
    return { measure, kind: event.kind, actor: event.actorId ? await ctx.loaders.user.load(event.actorId) : null, at: new Date(event.at) };
  }

  @Subscription(() => GateRequest, { topics: 'gateRequestChanged', topicId: organisationOf, filter: mayReceive, description: 'Gate requests filed, decided or withdrawn below scopeId.' })
  async gateRequestChanged(
    @Root() event: EventOf<'gateRequestChanged'>,
    @Arg('scopeId', () => ID, { nullable: true }) _scopeId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GateRequest> {
    const actor = requireActor(ctx);
    await ctx.services.measures.get(actor, event.measureId);
    const request = await ctx.loaders.gateRequest.load(event.requestId);
    if (!request) throw notFound('Gate request');
    return request;
  }

  @Subscription(() => TicketGroupEvent, {
    topics: 'ticketGroupsChanged',
    topicId: organisationOf,
    filter: mayReceive,
    description: 'Ticket groups changed by an import, a link or the scope mapping: only events about tickets the caller may read, with only the groups and counts they may see.',
  })
  async ticketGroupsChanged(@Root() event: EventOf<'ticketGroupsChanged'>, @Ctx() ctx: GraphQLContext): Promise<TicketGroupEvent> {
    const actor = requireActor(ctx);
    const scope = ticketReadScope(actor);
    // The subscription's loaders live as long as it does: counts are read afresh for each event.
    ctx.loaders.readableTicketGroup.clearAll();
    const groups = (await ctx.loaders.readableTicketGroup.loadMany(event.groupIds.map((id) => ({ id, scope })))).filter((g): g is TicketGroup => g instanceof TicketGroup);
    return { groups, ...visibleCounts(actor, event), at: new Date(event.at) };
  }

  @Subscription(() => PortfolioSummary, {
    topics: ['measureChanged', 'gateRequestChanged', 'organisationChanged'],
    topicId: organisationOf,
    filter: mayReceive,
    description: 'The portfolio summary of scopeId, sent again whenever something in it changes, or the organisation’s settings do.',
  })
  async portfolioSummaryChanged(
    @Root() event: DomainEvent,
    @Arg('scopeId', () => ID, { nullable: true }) scopeId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PortfolioSummary> {
    let actor = requireActor(ctx);
    // The subscriber's actor may be a moment old (websocket.ts caches it briefly): new settings are read afresh.
    if (event.topic === 'organisationChanged') actor = { ...actor, organisation: await ctx.services.hierarchy.settingsOf(actor) };
    return ctx.services.portfolio.summary(actor, scopeId);
  }
}
