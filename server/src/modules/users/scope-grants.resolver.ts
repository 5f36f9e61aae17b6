import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { ScopeGrant } from './scope-grants.service.js';
import { User } from './user.entity.js';

@Resolver(() => ScopeGrant)
export class ScopeGrantsResolver {
  @Query(() => [ScopeGrant], { description: 'Admin: the role grants on a scope, inherited from above it and on scopes below it.' })
  async scopeRoleGrants(@Arg('scopeId', () => ID) scopeId: string, @Ctx() ctx: GraphQLContext): Promise<ScopeGrant[]> {
    return ctx.services.scopeGrants.list(requireActor(ctx), scopeId);
  }

  @FieldResolver(() => User)
  async user(@Root() grant: ScopeGrant, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(grant.userId);
  }
}
