import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { GateTemplate, GateTemplateInput } from './gate-template.types.js';

@Resolver(() => GateTemplate)
export class GateTemplateResolver {
  @Query(() => GateTemplate)
  async gateTemplate(@Ctx() ctx: GraphQLContext): Promise<GateTemplate> {
    return ctx.services.gateTemplates.current(requireActor(ctx));
  }

  @Query(() => [GateTemplate], { description: 'Every version of the gate template, newest first, with what changed from the one before.' })
  async gateTemplateVersions(@Ctx() ctx: GraphQLContext): Promise<GateTemplate[]> {
    return ctx.services.gateTemplates.versions(requireActor(ctx));
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who wrote this version (none for the default).' })
  async createdBy(@Root() template: GateTemplate, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return template.createdBy ? ctx.loaders.user.load(template.createdBy) : null;
  }

  @Mutation(() => GateTemplate, { description: 'Admins edit checklist items and thresholds; a new version results.' })
  async updateGateTemplate(@Arg('input', () => GateTemplateInput) input: GateTemplateInput, @Ctx() ctx: GraphQLContext): Promise<GateTemplate> {
    return ctx.services.gateTemplates.update(requireActor(ctx), input);
  }
}
