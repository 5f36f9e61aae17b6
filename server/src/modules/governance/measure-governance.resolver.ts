import { GateRequestStatus } from '@gatehouse/shared';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { MoneyScalar } from '../../graphql/scalars.js';
import { Measure } from '../measures/index.js';
import { User } from '../users/index.js';
import { GateCheck } from './gate-template.types.js';
import { Evidence } from './evidence.entity.js';
import { GateCondition } from './gate-condition.entity.js';
import { GateRequest } from './gate-request.entity.js';
import { MeasureComment } from './measure-comment.entity.js';
import { SignOff } from './sign-off.entity.js';
import { EvidenceInput } from './governance.inputs.js';
import { MeasurePermissions, viewerPermissions } from './viewer-permissions.js';
import { loaderGateSources } from './gate-sources.js';

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

  @Mutation(() => Measure, { description: 'Removes evidence (a link or a file) from a measure that is not closed.' })
  async removeEvidence(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Measure> {
    return ctx.services.evidence.removeEvidence(requireActor(ctx), id);
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
