import { deriveImplementationStatus, derivePotentialStatus, Status, ValueKind } from '@gatehouse/shared';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { connectionType } from '../../graphql/connection.js';
import { requireActor, type GraphQLContext } from '../context.js';
import { MeasurePackage, Program } from '../hierarchy/index.js';
import { User } from '../users/index.js';
import { MeasureValue } from './measure-value.entity.js';
import { Measure } from './measure.entity.js';
import {
  CreateMeasureInput,
  MeasureFilter,
  MeasureSort,
  MeasureValueInput,
  MilestoneInput,
  UpdateMilestoneInput,
  UpdateMeasureInput,
} from './measures.inputs.js';
import { Milestone } from './milestone.entity.js';

export const MeasureConnection = connectionType(Measure, 'Measure');
export type MeasureConnection = InstanceType<typeof MeasureConnection>;

@Resolver(() => Measure)
export class MeasuresResolver {
  @Query(() => MeasureConnection)
  async measures(
    @Arg('filter', () => MeasureFilter, { nullable: true }) filter: MeasureFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('sort', () => MeasureSort, { nullable: true }) sort: MeasureSort | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MeasureConnection> {
    const page = await ctx.services.measures.list(requireActor(ctx), filter ?? {}, sort, first, after);
    return MeasureConnection.of(page.nodes, page.cursors, page.hasNextPage, page.totalCount);
  }

  @Query(() => Measure, { nullable: true })
  async measure(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Measure | null> {
    return ctx.services.measures.get(requireActor(ctx), id);
  }

  @Mutation(() => Measure)
  async createMeasure(@Arg('input', () => CreateMeasureInput) input: CreateMeasureInput, @Ctx() ctx: GraphQLContext): Promise<Measure> {
    return ctx.services.measures.create(requireActor(ctx), input);
  }

  @Mutation(() => Measure, { description: 'Refused with CONFLICT when `version` is not the current one.' })
  async updateMeasure(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateMeasureInput) input: UpdateMeasureInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Measure> {
    return ctx.services.measures.update(requireActor(ctx), id, version, input);
  }

  @Mutation(() => Measure, { description: 'Upserts monthly values; refused with CONFLICT when `version` is stale.' })
  async setMeasureValues(
    @Arg('measureId', () => ID) measureId: string,
    @Arg('version', () => Int) version: number,
    @Arg('values', () => [MeasureValueInput]) values: MeasureValueInput[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<Measure> {
    return ctx.services.measures.setValues(requireActor(ctx), measureId, version, values);
  }

  @Mutation(() => Milestone)
  async addMilestone(
    @Arg('measureId', () => ID) measureId: string,
    @Arg('input', () => MilestoneInput) input: MilestoneInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Milestone> {
    return ctx.services.measures.addMilestone(requireActor(ctx), measureId, input);
  }

  @Mutation(() => Milestone)
  async completeMilestone(
    @Arg('id', () => ID) id: string,
    @Arg('doneOn', () => Date, { nullable: true }) doneOn: Date | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Milestone> {
    return ctx.services.measures.completeMilestone(requireActor(ctx), id, doneOn);
  }

  @Mutation(() => Milestone, { description: 'Corrects a milestone, or sets, moves or takes back the day it was done.' })
  async updateMilestone(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateMilestoneInput) input: UpdateMilestoneInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Milestone> {
    return ctx.services.measures.updateMilestone(requireActor(ctx), id, input);
  }

  @Mutation(() => Measure, { description: 'Removes a milestone; answers its measure. The audit trail keeps what it was.' })
  async deleteMilestone(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Measure> {
    return ctx.services.measures.deleteMilestone(requireActor(ctx), id);
  }

  @FieldResolver(() => User)
  async owner(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(m.ownerId);
  }

  @FieldResolver(() => User, { nullable: true })
  async sponsor(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return m.sponsorId ? ctx.loaders.user.load(m.sponsorId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  async controller(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return m.controllerId ? ctx.loaders.user.load(m.controllerId) : null;
  }

  @FieldResolver(() => MeasurePackage, { name: 'package' })
  async measurePackage(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<MeasurePackage | null> {
    return ctx.loaders.measurePackage.load(m.packageId);
  }

  @FieldResolver(() => Program)
  async program(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<Program | null> {
    const pkg = await ctx.loaders.measurePackage.load(m.packageId);
    return pkg ? ctx.loaders.program.load(pkg.programId) : null;
  }

  @FieldResolver(() => [MeasureValue], { description: 'Monthly values, optionally of one kind, ordered by kind and month.' })
  async values(
    @Root() m: Measure,
    @Arg('kind', () => ValueKind, { nullable: true }) kind: ValueKind | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MeasureValue[]> {
    const values = await ctx.loaders.valuesByMeasure.load(m.id);
    return kind ? values.filter((v) => v.kind === kind) : values;
  }

  @FieldResolver(() => [Milestone])
  async milestones(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<Milestone[]> {
    return ctx.loaders.milestonesByMeasure.load(m.id);
  }

  @FieldResolver(() => Status)
  implementationStatus(@Root() m: Measure): Status {
    return implementation(m).status;
  }

  @FieldResolver(() => String, { description: 'Why the Implementation Status is what it is (or the override’s reason).' })
  implementationStatusReason(@Root() m: Measure): string {
    return implementation(m).reason;
  }

  @FieldResolver(() => Boolean)
  implementationStatusOverridden(@Root() m: Measure): boolean {
    return m.implementationStatusOverride !== null;
  }

  @FieldResolver(() => Status)
  potentialStatus(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Status {
    return potential(m, ctx).status;
  }

  @FieldResolver(() => String, { description: 'Why the Potential Status is what it is (or the override’s reason).' })
  potentialStatusReason(@Root() m: Measure, @Ctx() ctx: GraphQLContext): string {
    return potential(m, ctx).reason;
  }

  @FieldResolver(() => Boolean)
  potentialStatusOverridden(@Root() m: Measure): boolean {
    return m.potentialStatusOverride !== null;
  }

  @FieldResolver(() => Boolean, { description: 'Something open (a milestone or the next gate) is past its due date.' })
  overdue(@Root() m: Measure): boolean {
    return m.nextDueOn !== null && m.nextDueOn.getTime() < Date.now();
  }
}

function implementation(m: Measure) {
  const override = m.implementationStatusOverride
    ? { status: m.implementationStatusOverride, reason: m.implementationStatusOverrideReason ?? '' }
    : null;
  return deriveImplementationStatus(m.nextDueOn, new Date(), override);
}

function potential(m: Measure, ctx: GraphQLContext) {
  const override = m.potentialStatusOverride ? { status: m.potentialStatusOverride, reason: m.potentialStatusOverrideReason ?? '' } : null;
  return derivePotentialStatus(m.planTotal, m.forecastTotal, requireActor(ctx).organisation, override);
}
