import { Ctx, Mutation, Resolver } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { SlaReapplyResult } from './sla-reapply.js';

@Resolver()
export class SlaReapplyResolver {
  @Mutation(() => SlaReapplyResult, { description: 'Applies the current SLA policies to open tickets, which otherwise keep the SLA they were opened under (admin).' })
  async reapplySlaPolicies(@Ctx() ctx: GraphQLContext): Promise<SlaReapplyResult> {
    return ctx.services.slaReapply.reapply(requireActor(ctx));
  }
}
