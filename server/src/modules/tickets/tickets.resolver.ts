import { TicketSource } from '@gatehouse/shared';
import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { connectionType } from '../../graphql/connection.js';
import { requireActor, type GraphQLContext } from '../context.js';
import { Organisation } from '../hierarchy/index.js';
import { Measure } from '../measures/index.js';
import { ServiceCategory, SlaPolicy, Ticket, TicketGroup } from './tickets.entities.js';
import { ticketReadScope } from './ticket-scope.js';
import {
  ImportResult,
  ServiceCategoryInput,
  SlaPolicyInput,
  TicketEffect,
  TicketFilter,
  TicketGroupFilter,
  TicketGroupPermissions,
  TicketInput,
  TicketSettingsInput,
  TicketTrendPoint,
} from './tickets.inputs.js';

export const TicketConnection = connectionType(Ticket, 'Ticket');
export type TicketConnection = InstanceType<typeof TicketConnection>;
export const TicketGroupConnection = connectionType(TicketGroup, 'TicketGroup');
export type TicketGroupConnection = InstanceType<typeof TicketGroupConnection>;

@Resolver(() => Ticket)
export class TicketResolver {
  @Query(() => TicketConnection, { description: 'Tickets, newest first.' })
  async tickets(
    @Arg('filter', () => TicketFilter, { nullable: true }) filter: TicketFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TicketConnection> {
    const page = await ctx.services.tickets.listTickets(requireActor(ctx), filter ?? {}, first, after);
    return TicketConnection.of(page.nodes, page.cursors, page.hasNextPage, page.totalCount);
  }

  @Mutation(() => ImportResult, { description: 'Idempotent import of up to 5,000 tickets (admin); a bad row is reported and skipped.' })
  async importTickets(
    @Arg('source', () => TicketSource) source: TicketSource,
    @Arg('tickets', () => [TicketInput]) tickets: TicketInput[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportResult> {
    const r = await ctx.services.tickets.importTickets(requireActor(ctx), source, tickets);
    return { inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejections, slaDisagreements: r.slaDisagreements, groupsTouched: r.groupsTouched, warnings: r.warnings };
  }

  @FieldResolver(() => TicketGroup)
  async group(@Root() t: Ticket, @Ctx() ctx: GraphQLContext): Promise<TicketGroup | null> {
    return ctx.loaders.readableTicketGroup.load({ id: t.groupId, scope: ticketReadScope(requireActor(ctx)) });
  }
}

@Resolver(() => TicketGroup)
export class TicketGroupResolver {
  @Query(() => TicketGroupConnection, { description: 'Ticket groups, the largest first.' })
  async ticketGroups(
    @Arg('filter', () => TicketGroupFilter, { nullable: true }) filter: TicketGroupFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TicketGroupConnection> {
    const page = await ctx.services.tickets.listGroups(requireActor(ctx), filter ?? {}, first, after);
    return TicketGroupConnection.of(page.nodes, page.cursors, page.hasNextPage, page.totalCount);
  }

  @Query(() => TicketGroup)
  async ticketGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<TicketGroup> {
    return ctx.services.tickets.group(requireActor(ctx), id);
  }

  @Mutation(() => TicketGroup, { description: 'Links a group to a measure that should remove its tickets.' })
  async linkTicketGroup(@Arg('groupId', () => ID) groupId: string, @Arg('measureId', () => ID) measureId: string, @Ctx() ctx: GraphQLContext): Promise<TicketGroup> {
    return ctx.services.ticketLinks.link(requireActor(ctx), groupId, measureId);
  }

  @Mutation(() => TicketGroup)
  async unlinkTicketGroup(@Arg('groupId', () => ID) groupId: string, @Arg('measureId', () => ID) measureId: string, @Ctx() ctx: GraphQLContext): Promise<TicketGroup> {
    return ctx.services.ticketLinks.unlink(requireActor(ctx), groupId, measureId);
  }

  @Mutation(() => Measure, { description: 'A new DoI-1 measure from a group, its potential prefilled from ticket volume x cost per ticket.' })
  async createMeasureFromTicketGroup(
    @Arg('groupId', () => ID) groupId: string,
    @Arg('packageId', () => ID) packageId: string,
    @Arg('ownerId', () => ID) ownerId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Measure> {
    return ctx.services.ticketLinks.createMeasureFromGroup(requireActor(ctx), groupId, packageId, ownerId);
  }

  @FieldResolver(() => [Measure], { description: 'Measures this group is linked to (those the caller may read).' })
  async measures(@Root() g: TicketGroup, @Ctx() ctx: GraphQLContext): Promise<Measure[]> {
    const actor = requireActor(ctx);
    const ids = await ctx.loaders.measureIdsByGroup.load(g.id);
    const measures = await ctx.loaders.measure.loadMany(ids);
    return measures.filter((m): m is Measure => m instanceof Measure && ctx.services.measures.mayRead(actor, m));
  }

  @FieldResolver(() => [TicketTrendPoint], { description: 'Tickets and SLA breaches per month.' })
  async trend(@Root() g: TicketGroup, @Arg('months', () => Int, { defaultValue: 12 }) months: number, @Ctx() ctx: GraphQLContext): Promise<TicketTrendPoint[]> {
    return ctx.services.tickets.trend(g, months, ticketReadScope(requireActor(ctx)));
  }

  @FieldResolver(() => Int, { description: 'Tickets that breached their resolution SLA.' })
  async breachedCount(@Root() g: TicketGroup, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.loaders.readableBreachedCount.load({ id: g.id, scope: ticketReadScope(requireActor(ctx)) });
  }

  @FieldResolver(() => Float, { description: 'Tickets a year at the group’s pace.' })
  async annualRate(@Root() g: TicketGroup, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.services.tickets.annualRate(g, requireActor(ctx).organisation.recurringWindowDays);
  }

  @FieldResolver(() => TicketGroupPermissions)
  viewerCan(@Ctx() ctx: GraphQLContext): TicketGroupPermissions {
    return ctx.services.ticketLinks.groupPermissions(requireActor(ctx));
  }

  @FieldResolver(() => [TicketEffect], { description: 'Ticket rate before and after each linked measure reached DoI 4.' })
  async effects(@Root() g: TicketGroup, @Ctx() ctx: GraphQLContext): Promise<TicketEffect[]> {
    return ctx.services.tickets.effects(requireActor(ctx), { groupId: g.id });
  }
}

@Resolver(() => Measure)
export class MeasureTicketsResolver {
  @FieldResolver(() => [TicketGroup], { description: 'Recurring ticket groups linked to this measure.' })
  async ticketGroups(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<TicketGroup[]> {
    const ids = await ctx.loaders.groupIdsByMeasure.load(m.id);
    const scope = ticketReadScope(requireActor(ctx));
    // Only the groups the caller may read, counted over their tickets (ticket-scope.ts).
    return (await ctx.loaders.readableTicketGroup.loadMany(ids.map((id) => ({ id, scope })))).filter((g): g is TicketGroup => g instanceof TicketGroup);
  }

  @FieldResolver(() => [TicketEffect], { description: 'The effect check: ticket rates of linked groups before and after DoI 4.' })
  async ticketEffects(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<TicketEffect[]> {
    return ctx.services.tickets.effects(requireActor(ctx), { measureId: m.id });
  }
}

@Resolver(() => SlaPolicy)
export class SlaPolicyResolver {
  @FieldResolver(() => ServiceCategory, { nullable: true, description: 'The category the targets apply to; none for the default of the priority.' })
  async category(@Root() p: SlaPolicy, @Ctx() ctx: GraphQLContext): Promise<ServiceCategory | null> {
    return p.categoryId ? ctx.loaders.serviceCategory.load(p.categoryId) : null;
  }
}

@Resolver()
export class TicketSettingsResolver {
  @Query(() => [ServiceCategory])
  async serviceCategories(@Ctx() ctx: GraphQLContext): Promise<ServiceCategory[]> {
    return ctx.services.ticketSettings.categories(requireActor(ctx));
  }

  @Query(() => [SlaPolicy])
  async slaPolicies(@Ctx() ctx: GraphQLContext): Promise<SlaPolicy[]> {
    return ctx.services.ticketSettings.slaPolicies(requireActor(ctx));
  }

  @Mutation(() => ServiceCategory, { description: 'Creates or updates a service category by name (admin).' })
  async saveServiceCategory(@Arg('input', () => ServiceCategoryInput) input: ServiceCategoryInput, @Ctx() ctx: GraphQLContext): Promise<ServiceCategory> {
    return ctx.services.ticketSettings.upsertCategory(requireActor(ctx), input);
  }

  @Mutation(() => SlaPolicy, { description: 'Sets the SLA targets of a category and priority (admin).' })
  async setSlaPolicy(@Arg('input', () => SlaPolicyInput) input: SlaPolicyInput, @Ctx() ctx: GraphQLContext): Promise<SlaPolicy> {
    return ctx.services.ticketSettings.setSlaPolicy(requireActor(ctx), input);
  }

  @Mutation(() => Organisation, { description: 'Recurring threshold N, window W and cost per ticket (admin).' })
  async updateTicketSettings(@Arg('input', () => TicketSettingsInput) input: TicketSettingsInput, @Ctx() ctx: GraphQLContext): Promise<Organisation> {
    return ctx.services.ticketSettings.updateSettings(requireActor(ctx), input);
  }
}
