import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { ScopeRef } from '../access/index.js';
import { DoiBridge, PortfolioSummary } from './portfolio.types.js';

@Resolver()
export class PortfolioResolver {
  @Query(() => PortfolioSummary, { description: 'Rollups for a node of the hierarchy (the organisation when empty).' })
  async portfolioSummary(@Arg('scopeId', () => ID, { nullable: true }) scopeId: string | null, @Ctx() ctx: GraphQLContext): Promise<PortfolioSummary> {
    return ctx.services.portfolio.summary(requireActor(ctx), scopeId);
  }

  @Query(() => DoiBridge, { description: 'Value that moved between DoI levels from one date to another.' })
  async doiBridge(
    @Arg('scopeId', () => ID, { nullable: true }) scopeId: string | null,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DoiBridge> {
    return ctx.services.portfolio.doiBridge(requireActor(ctx), scopeId, from, to);
  }

  @Query(() => ScopeRef, { description: 'Any node of the hierarchy by id.' })
  async scope(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ScopeRef> {
    return ctx.services.hierarchy.scope(requireActor(ctx), id);
  }
}
