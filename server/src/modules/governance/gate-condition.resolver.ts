import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { GateCondition } from './gate-condition.entity.js';
import { mayMeetCondition } from './gates.service.js';

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
