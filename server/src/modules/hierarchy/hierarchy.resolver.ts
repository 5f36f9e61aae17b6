import { isAllowed } from '@gatehouse/shared';
import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import {
  CreateMeasurePackageInput,
  CreateOrgUnitInput,
  CreateProgramInput,
  OrganisationSettingsInput,
  UpdateMeasurePackageInput,
  UpdateOrgUnitInput,
  UpdateProgramInput,
} from './hierarchy.inputs.js';
import { MeasurePackage } from './measure-package.entity.js';
import { Organisation } from './organisation.entity.js';
import { OrgUnit } from './org-unit.entity.js';
import { Program } from './program.entity.js';

@ObjectType({ description: 'The part of the structure the caller administers (ADMIN on it or above), for the admin area.' })
export class AdminStructure {
  @Field(() => Boolean, { description: 'ADMIN on the organisation: may create and move top-level units.' })
  organisationAdmin: boolean;

  @Field(() => [OrgUnit])
  orgUnits: OrgUnit[];

  @Field(() => [Program])
  programs: Program[];

  @Field(() => [MeasurePackage])
  measurePackages: MeasurePackage[];
}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => AdminStructure, { description: 'Every org unit, program and package the caller administers; empty lists for non-admins.' })
  async adminStructure(@Ctx() ctx: GraphQLContext): Promise<AdminStructure> {
    return ctx.services.hierarchy.adminStructure(requireActor(ctx));
  }

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

  @Mutation(() => OrgUnit, { description: 'Renames, or moves under another parent (parentId; null is the top level); every path below follows.' })
  async updateOrgUnit(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateOrgUnitInput) input: UpdateOrgUnitInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrgUnit> {
    return ctx.services.hierarchy.updateOrgUnit(requireActor(ctx), id, input);
  }

  @Mutation(() => OrgUnit, { description: 'Archives an empty org unit (no active sub-unit, no program); CONFLICT with reason NOT_EMPTY otherwise.' })
  async archiveOrgUnit(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<OrgUnit> {
    return ctx.services.hierarchy.archiveOrgUnit(requireActor(ctx), id);
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

  @Mutation(() => Program, { description: 'Name, objective, owner, or a move to another org unit with its packages and measures.' })
  async updateProgram(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateProgramInput) input: UpdateProgramInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Program> {
    return ctx.services.hierarchy.updateProgram(requireActor(ctx), id, input);
  }

  @FieldResolver(() => OrgUnit)
  async orgUnit(@Root() program: Program, @Ctx() ctx: GraphQLContext): Promise<OrgUnit | null> {
    return ctx.loaders.orgUnit.load(program.orgUnitId);
  }

  @FieldResolver(() => User, { nullable: true })
  async owner(@Root() program: Program, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return program.ownerId ? ctx.loaders.user.load(program.ownerId) : null;
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

  @Mutation(() => MeasurePackage, { description: 'Name, owner, or a move to another program with its measures.' })
  async updateMeasurePackage(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateMeasurePackageInput) input: UpdateMeasurePackageInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MeasurePackage> {
    return ctx.services.hierarchy.updateMeasurePackage(requireActor(ctx), id, input);
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
