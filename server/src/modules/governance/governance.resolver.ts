import { GateDecision, GateRequestStatus } from '@gatehouse/shared';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { readableRequests } from './readable-requests.js';
import { requireActor, type GraphQLContext } from '../context.js';
import { MoneyScalar } from '../../graphql/scalars.js';
import { ScopeRef } from '../access/index.js';
import { Measure } from '../measures/index.js';
import { User } from '../users/index.js';
import { CriterionCheck, GateCheck, GateTemplate, GateTemplateInput } from './gate-template.types.js';
import { Evidence, GateCondition, GateRequest, GateReview, MeasureComment, SignOff } from './governance.entities.js';
import { CreateGateReviewInput, EvidenceInput, GateConditionInput } from './governance.inputs.js';
import { MeasurePermissions, viewerPermissions } from './viewer-permissions.js';
import { loaderGateSources } from './gate-sources.js';
import { mayMeetCondition } from './gates.service.js';

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

@Resolver(() => GateCondition)
export class GateConditionResolver {
  @Mutation(() => GateCondition)
  async meetCondition(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GateCondition> {
    return ctx.services.gates.meetCondition(requireActor(ctx), id, note);
  }

  @FieldResolver(() => User)
  async owner(@Root() c: GateCondition, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(c.ownerId);
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether the caller may mark this open condition met: its owner, the measure’s owner or a steering committee member in the measure’s scope.',
  })
  async viewerCanMeet(@Root() c: GateCondition, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    if (c.metAt) return false;
    const actor = requireActor(ctx);
    const [measure, facts] = await Promise.all([ctx.loaders.measure.load(c.measureId), ctx.loaders.gateFacts.load(c.measureId)]);
    return measure !== null && mayMeetCondition(actor, measure.path, facts, c);
  }
}

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

@Resolver(() => Measure)
export class MeasureGovernanceResolver {
  @Mutation(() => Measure, { description: 'A controller in scope validates the potential (a DoI 2->3 criterion).' })
  async validatePotential(
    @Arg('measureId', () => ID) measureId: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Measure> {
    return ctx.services.closure.validatePotential(requireActor(ctx), measureId, note);
  }

  @Mutation(() => Measure, { description: 'Controller-backed closure: confirms the realised value, sets DoI 5 and locks the values.' })
  async signOffClosure(
    @Arg('measureId', () => ID) measureId: string,
    @Arg('confirmedValue', () => MoneyScalar) confirmedValue: string,
    @Arg('evidence', () => String) evidence: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Measure> {
    return ctx.services.closure.signOffClosure(requireActor(ctx), measureId, confirmedValue, evidence, note);
  }

  @Mutation(() => Measure, { description: 'A controller reopens a closed measure (back to DoI 4), with a reason.' })
  async reopenMeasure(@Arg('measureId', () => ID) measureId: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: GraphQLContext): Promise<Measure> {
    return ctx.services.closure.reopenMeasure(requireActor(ctx), measureId, reason);
  }

  @Mutation(() => Measure, { description: 'The steering committee moves a measure back to a lower DoI, with a reason.' })
  async moveMeasureBack(
    @Arg('measureId', () => ID) measureId: string,
    @Arg('toDoi', () => Int) toDoi: number,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Measure> {
    return ctx.services.gates.moveMeasureBack(requireActor(ctx), measureId, toDoi, reason);
  }

  @Mutation(() => Measure, { description: 'The steering committee resumes a measure put on hold.' })
  async resumeMeasure(@Arg('measureId', () => ID) measureId: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: GraphQLContext): Promise<Measure> {
    return ctx.services.gates.resumeMeasure(requireActor(ctx), measureId, reason);
  }

  @Query(() => [Measure], { description: 'Measures at DoI 4 awaiting the caller’s sign-off.' })
  async signOffQueue(@Ctx() ctx: GraphQLContext): Promise<Measure[]> {
    return ctx.services.closure.signOffQueue(requireActor(ctx));
  }

  @Mutation(() => Evidence)
  async addEvidence(@Arg('measureId', () => ID) measureId: string, @Arg('input', () => EvidenceInput) input: EvidenceInput, @Ctx() ctx: GraphQLContext): Promise<Evidence> {
    return ctx.services.evidence.addEvidence(requireActor(ctx), measureId, input);
  }

  @Mutation(() => MeasureComment)
  async addComment(@Arg('measureId', () => ID) measureId: string, @Arg('body', () => String) body: string, @Ctx() ctx: GraphQLContext): Promise<MeasureComment> {
    return ctx.services.evidence.addComment(requireActor(ctx), measureId, body);
  }

  @FieldResolver(() => [GateRequest], { description: 'Every gate request of the measure, newest first.' })
  async gateRequests(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<GateRequest[]> {
    return ctx.loaders.gateRequestsByMeasure.load(m.id);
  }

  @FieldResolver(() => GateRequest, { nullable: true })
  async pendingGateRequest(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<GateRequest | null> {
    return (await ctx.loaders.gateRequestsByMeasure.load(m.id)).find((r) => r.status === GateRequestStatus.PENDING) ?? null;
  }

  @FieldResolver(() => GateCheck, { nullable: true, description: 'The next gate with its criteria as they stand now.' })
  async nextGate(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<GateCheck | null> {
    return ctx.services.gates.nextGateCheck(requireActor(ctx), m, loaderGateSources(ctx.loaders));
  }

  @FieldResolver(() => [GateCondition], { description: 'Conditions attached at gates, open ones first by due date.' })
  async conditions(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<GateCondition[]> {
    const all = await ctx.loaders.conditionsByMeasure.load(m.id);
    return [...all].sort((a, b) => Number(a.metAt !== null) - Number(b.metAt !== null));
  }

  @FieldResolver(() => [Evidence])
  async evidence(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<Evidence[]> {
    return ctx.loaders.evidenceByMeasure.load(m.id);
  }

  @FieldResolver(() => [MeasureComment])
  async comments(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<MeasureComment[]> {
    return ctx.loaders.commentsByMeasure.load(m.id);
  }

  @FieldResolver(() => SignOff, { nullable: true, description: 'The controller’s sign-off while the measure is closed.' })
  async signOff(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<SignOff | null> {
    return ctx.loaders.activeSignOffByMeasure.load(m.id);
  }

  @FieldResolver(() => MeasurePermissions, { description: 'What the caller may do with this measure now.' })
  async viewerCan(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<MeasurePermissions> {
    return viewerPermissions(requireActor(ctx), m, await ctx.loaders.gateFacts.load(m.id));
  }

  @FieldResolver(() => Boolean)
  potentialValidated(@Root() m: Measure): boolean {
    return m.potentialValidatedAt !== null;
  }

  @FieldResolver(() => User, { nullable: true })
  async potentialValidatedBy(@Root() m: Measure, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return m.potentialValidatedBy ? ctx.loaders.user.load(m.potentialValidatedBy) : null;
  }
}

@Resolver(() => SignOff)
export class SignOffResolver {
  @FieldResolver(() => User)
  async controller(@Root() s: SignOff, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(s.controllerId);
  }
}

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => User)
  async createdBy(@Root() e: Evidence, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(e.createdById);
  }
}

@Resolver(() => MeasureComment)
export class CommentResolver {
  @FieldResolver(() => User)
  async author(@Root() c: MeasureComment, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(c.authorId);
  }
}

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
