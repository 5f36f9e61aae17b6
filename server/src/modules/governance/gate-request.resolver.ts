import { GateDecision, GateRequestStatus } from '@gatehouse/shared';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { Measure } from '../measures/index.js';
import { User } from '../users/index.js';
import { CriterionCheck } from './gate-template.types.js';
import { GateCondition } from './gate-condition.entity.js';
import { GateRequest } from './gate-request.entity.js';
import { GateReview } from './gate-review.entity.js';
import { GateConditionInput } from './governance.inputs.js';
import { loaderGateSources } from './gate-sources.js';

/** A review reached through a request: the same read rule as `gateReview(id)`, null instead of FORBIDDEN. */
async function readableReview(ctx: GraphQLContext, id: string | null): Promise<GateReview | null> {
  const review = id ? await ctx.loaders.gateReview.load(id) : null;
  return review && ctx.services.gateReviews.mayRead(requireActor(ctx), review) ? review : null;
}

@Resolver(() => GateRequest)
export class GateRequestResolver {
  @Query(() => [GateRequest], { description: 'Gate requests the caller may see, newest first.' })
  async gateRequests(
    @Arg('status', () => GateRequestStatus, { nullable: true }) status: GateRequestStatus | null,
    @Arg('scopeId', () => ID, { nullable: true }) scopeId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GateRequest[]> {
    const actor = requireActor(ctx);
    const scope = scopeId ? await ctx.services.portfolio.resolveScope(actor, scopeId) : null;
    return ctx.services.gates.list(actor, status, scope?.path);
  }

  @Mutation(() => GateRequest, { description: 'The owner asks for the next DoI level.' })
  async requestGate(
    @Arg('measureId', () => ID) measureId: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GateRequest> {
    return ctx.services.gates.requestGate(requireActor(ctx), measureId, note);
  }

  @Mutation(() => GateRequest, {
    description: 'Decides a pending request. A rationale is required; failed criteria give GATE_CRITERIA_UNMET unless a steering committee member overrides.',
  })
  async decideGate(
    @Arg('requestId', () => ID) requestId: string,
    @Arg('decision', () => GateDecision) decision: GateDecision,
    @Arg('rationale', () => String) rationale: string,
    @Arg('override', () => Boolean, { nullable: true }) override: boolean | null,
    @Arg('conditions', () => [GateConditionInput], { nullable: true }) conditions: GateConditionInput[] | null,
    @Arg('reviewId', () => ID, { nullable: true, description: 'The gate review the decision is taken in.' }) reviewId: string | null,
    @Arg('checkedItems', () => [String], { nullable: true, description: 'Manual checklist items the decider confirms.' }) checkedItems: string[] | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GateRequest> {
    return ctx.services.gates.decideGate(requireActor(ctx), { requestId, decision, rationale, override, conditions, reviewId, checkedItems });
  }

  @Mutation(() => GateRequest)
  async withdrawGateRequest(
    @Arg('requestId', () => ID) requestId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GateRequest> {
    return ctx.services.gates.withdrawGateRequest(requireActor(ctx), requestId, reason);
  }

  @FieldResolver(() => Measure)
  async measure(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<Measure | null> {
    return ctx.services.measures.get(requireActor(ctx), r.measureId, (id) => ctx.loaders.measure.load(id));
  }

  @FieldResolver(() => User)
  async requestedBy(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(r.requestedById);
  }

  @FieldResolver(() => User, { nullable: true })
  async decidedBy(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return r.decidedById ? ctx.loaders.user.load(r.decidedById) : null;
  }

  @FieldResolver(() => [GateCondition])
  async conditions(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<GateCondition[]> {
    return ctx.loaders.conditionsByRequest.load(r.id);
  }

  @FieldResolver(() => GateReview, { nullable: true, description: 'The gate review whose agenda holds this request (empty when the caller may not see it).' })
  async review(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<GateReview | null> {
    return readableReview(ctx, r.reviewId);
  }

  @FieldResolver(() => GateReview, { nullable: true, description: 'The gate review the decision was taken in (empty when the caller may not see it).' })
  async decidedInReview(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<GateReview | null> {
    return readableReview(ctx, r.decidedInReviewId);
  }

  @FieldResolver(() => [CriterionCheck], { description: 'Live while pending; as evaluated at the decision afterwards.' })
  async criteria(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<CriterionCheck[]> {
    return ctx.services.gates.requestCriteria(requireActor(ctx), r, loaderGateSources(ctx.loaders));
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller may decide this request.' })
  async viewerCanDecide(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return (await ctx.services.gates.decidability(requireActor(ctx), r, loaderGateSources(ctx.loaders))).can;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller may override failed criteria of this request: only the chair of the gate review whose agenda holds it, inside that review.' })
  async viewerCanOverride(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    const review = r.reviewId ? await ctx.loaders.gateReview.load(r.reviewId) : null;
    return ctx.services.gates.overridability(requireActor(ctx), r, review instanceof GateReview ? review : null, loaderGateSources(ctx.loaders));
  }

  @FieldResolver(() => String, { nullable: true })
  async viewerCannotDecideReason(@Root() r: GateRequest, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    return (await ctx.services.gates.decidability(requireActor(ctx), r, loaderGateSources(ctx.loaders))).reason;
  }
}
