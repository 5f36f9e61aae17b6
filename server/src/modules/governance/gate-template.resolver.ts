import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { GateTemplate, GateTemplateInput } from './gate-template.types.js';

@Resolver(() => GateTemplate)
export class GateTemplateResolver {
  @Query(() => GateTemplate)
  async gateTemplate(@Ctx() ctx: GraphQLContext): Promise<GateTemplate> {
    return ctx.services.gateTemplates.current(requireActor(ctx));
  }

  @Mutation(() => GateTemplate, { description: 'Admins edit checklist items and thresholds; a new version results.' })
  async updateGateTemplate(@Arg('input', () => GateTemplateInput) input: GateTemplateInput, @Ctx() ctx: GraphQLContext): Promise<GateTemplate> {
    return ctx.services.gateTemplates.update(requireActor(ctx), input);
  }
}
