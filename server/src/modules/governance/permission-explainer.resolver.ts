import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { PermissionAction, PermissionExplanation } from './permission-explainer.js';

@Resolver(() => PermissionExplanation)
export class PermissionExplainerResolver {
  @Query(() => PermissionExplanation, {
    description: 'Admin: whether a person may do something with a measure and why, from the same rules the server enforces.',
  })
  async explainPermission(
    @Arg('userId', () => ID) userId: string,
    @Arg('action', () => PermissionAction) action: PermissionAction,
    @Arg('measureId', () => ID) measureId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PermissionExplanation> {
    return ctx.services.permissions.explain(requireActor(ctx), userId, action, measureId);
  }
}
