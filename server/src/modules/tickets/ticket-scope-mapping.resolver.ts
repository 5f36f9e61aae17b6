import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { TicketScopeMapping, TicketScopeMappingInput } from './ticket-scope-mapping.entity.js';

@Resolver(() => TicketScopeMapping)
export class TicketScopeMappingResolver {
  @Query(() => [TicketScopeMapping], { description: 'Which desk assignment groups and requesting units belong to which org unit (admin).' })
  async ticketScopeMappings(@Ctx() ctx: GraphQLContext): Promise<TicketScopeMapping[]> {
    return ctx.services.ticketScopes.list(requireActor(ctx));
  }

  @Mutation(() => TicketScopeMapping, { description: 'Maps a desk value to an org unit (or moves it to another) and re-applies the mapping to stored tickets (admin).' })
  async saveTicketScopeMapping(@Arg('input', () => TicketScopeMappingInput) input: TicketScopeMappingInput, @Ctx() ctx: GraphQLContext): Promise<TicketScopeMapping> {
    return ctx.services.ticketScopes.save(requireActor(ctx), input);
  }

  @Mutation(() => Boolean, { description: 'Removes a mapping; its tickets fall back to the next rule or to the organisation (admin).' })
  async deleteTicketScopeMapping(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.ticketScopes.remove(requireActor(ctx), id);
  }
}
