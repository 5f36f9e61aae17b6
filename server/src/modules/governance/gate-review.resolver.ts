import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { readableRequests } from './readable-requests.js';
import { requireActor, type GraphQLContext } from '../context.js';
import { ScopeRef } from '../access/index.js';
import { User } from '../users/index.js';
import { GateRequest } from './gate-request.entity.js';
import { GateReview } from './gate-review.entity.js';
import { CreateGateReviewInput } from './governance.inputs.js';

@Resolver(() => GateReview)
export class GateReviewResolver {
  @Query(() => [GateReview])
  async gateReviews(@Arg('scopeId', () => ID, { nullable: true }) scopeId: string | null, @Ctx() ctx: GraphQLContext): Promise<GateReview[]> {
    return ctx.services.gateReviews.list(requireActor(ctx), scopeId);
  }

  @Query(() => GateReview)
  async gateReview(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<GateReview> {
    return ctx.services.gateReviews.get(requireActor(ctx), id);
  }

  @Mutation(() => GateReview)
  async createGateReview(@Arg('input', () => CreateGateReviewInput) input: CreateGateReviewInput, @Ctx() ctx: GraphQLContext): Promise<GateReview> {
    return ctx.services.gateReviews.create(requireActor(ctx), input);
  }

  @FieldResolver(() => ScopeRef)
  async scope(@Root() r: GateReview, @Ctx() ctx: GraphQLContext): Promise<ScopeRef | null> {
    return ctx.loaders.scopeNode.load(r.scopeId);
  }

  @FieldResolver(() => [User])
  async participants(@Root() r: GateReview, @Ctx() ctx: GraphQLContext): Promise<User[]> {
    const ids = await ctx.loaders.participantsByReview.load(r.id);
    return (await ctx.loaders.user.loadMany(ids)).filter((u): u is User => u instanceof User);
  }

  @FieldResolver(() => [GateRequest], { description: 'The requests on the agenda.' })
  async agenda(@Root() r: GateReview, @Ctx() ctx: GraphQLContext): Promise<GateRequest[]> {
    return readableRequests(requireActor(ctx), await ctx.loaders.agendaByReview.load(r.id), ctx.loaders);
  }

  @FieldResolver(() => [GateRequest], { description: 'Decisions taken in this review.' })
  async decisions(@Root() r: GateReview, @Ctx() ctx: GraphQLContext): Promise<GateRequest[]> {
    return readableRequests(requireActor(ctx), await ctx.loaders.decisionsByReview.load(r.id), ctx.loaders);
  }

  @FieldResolver(() => User)
  async createdBy(@Root() r: GateReview, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(r.createdById);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The participant who chairs the review: only they override failed gate criteria in it.' })
  async chair(@Root() r: GateReview, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(r.chairId);
  }

  @FieldResolver(() => String, { description: 'The review pack as CSV (signed-in download).' })
  packCsvUrl(@Root() r: GateReview): string {
    return `/reviews/${r.id}/pack.csv`;
  }

  @FieldResolver(() => String, { description: 'The review pack as a printable HTML page.' })
  packHtmlUrl(@Root() r: GateReview): string {
    return `/reviews/${r.id}/pack.html`;
  }
}
