import { isAllowed } from '@gatehouse/shared';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { CreateMeasurePackageInput, CreateOrgUnitInput, CreateProgramInput, OrganisationSettingsInput } from './hierarchy.inputs.js';
import { MeasurePackage } from './measure-package.entity.js';
import { Organisation } from './organisation.entity.js';
import { OrgUnit } from './org-unit.entity.js';
import { Program } from './program.entity.js';

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => Organisation, { description: 'The caller’s organisation; its id is a scope id.' })
  async organisation(@Ctx() ctx: GraphQLContext): Promise<Organisation> {
    return ctx.services.hierarchy.organisation(requireActor(ctx));
  }

  @Mutation(() => Organisation, { description: 'Status thresholds and DoI probabilities (admin).' })
  async updateOrganisationSettings(
    @Arg('input', () => OrganisationSettingsInput) input: OrganisationSettingsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Organisation> {
    return ctx.services.hierarchy.updateSettings(requireActor(ctx), input);
  }
}

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  @Query(() => [OrgUnit], { description: 'Children of parentId; the top-level units when it is empty.' })
  async orgUnits(@Arg('parentId', () => ID, { nullable: true }) parentId: string | null, @Ctx() ctx: GraphQLContext): Promise<OrgUnit[]> {
    return ctx.services.hierarchy.orgUnits(requireActor(ctx), parentId);
  }

  @Mutation(() => OrgUnit)
  async createOrgUnit(@Arg('input', () => CreateOrgUnitInput) input: CreateOrgUnitInput, @Ctx() ctx: GraphQLContext): Promise<OrgUnit> {
    return ctx.services.hierarchy.createOrgUnit(requireActor(ctx), input);
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  async parent(@Root() unit: OrgUnit, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> {
    return unit.parentId ? ctx.loaders.orgUnit.load(unit.parentId) : null;
  }
}

@Resolver(() => Program)
export class ProgramResolver {
  @Query(() => [Program], { description: 'Programs of an org unit, or every program the caller can see.' })
  async programs(@Arg('orgUnitId', () => ID, { nullable: true }) orgUnitId: string | null, @Ctx() ctx: GraphQLContext): Promise<Program[]> {
    return ctx.services.hierarchy.programs(requireActor(ctx), orgUnitId);
  }

  @Mutation(() => Program)
  async createProgram(@Arg('input', () => CreateProgramInput) input: CreateProgramInput, @Ctx() ctx: GraphQLContext): Promise<Program> {
    return ctx.services.hierarchy.createProgram(requireActor(ctx), input);
  }

  @FieldResolver(() => OrgUnit)
  async orgUnit(@Root() program: Program, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> {
    return ctx.loaders.orgUnit.load(program.orgUnitId);
  }
}

@Resolver(() => MeasurePackage)
export class MeasurePackageResolver {
  @Query(() => [MeasurePackage], { description: 'Packages of a program, or every package the caller can see.' })
  async measurePackages(
    @Arg('programId', () => ID, { nullable: true }) programId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MeasurePackage[]> {
    return ctx.services.hierarchy.measurePackages(requireActor(ctx), programId);
  }

  @Mutation(() => MeasurePackage)
  async createMeasurePackage(
    @Arg('input', () => CreateMeasurePackageInput) input: CreateMeasurePackageInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MeasurePackage> {
    return ctx.services.hierarchy.createMeasurePackage(requireActor(ctx), input);
  }

  @FieldResolver(() => Program)
  async program(@Root() pkg: MeasurePackage, @Ctx() ctx: GraphQLContext): Promise<Program | null> {
    return ctx.loaders.program.load(pkg.programId);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller may create measures in this package (measure.create on its scope).' })
  viewerCanCreateMeasure(@Root() pkg: MeasurePackage, @Ctx() ctx: GraphQLContext): boolean {
    return isAllowed('measure.create', requireActor(ctx), { path: pkg.path });
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller may make someone else the owner of a measure here.' })
  viewerCanAssignOwner(@Root() pkg: MeasurePackage, @Ctx() ctx: GraphQLContext): boolean {
    return isAllowed('measure.assignOwner', requireActor(ctx), { path: pkg.path });
  }

  @FieldResolver(() => User, { nullable: true })
  async owner(@Root() pkg: MeasurePackage, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return pkg.ownerId ? ctx.loaders.user.load(pkg.ownerId) : null;
  }
}
