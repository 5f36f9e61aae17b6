import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { ApiToken } from './api-token.entity.js';
import { CreateApiTokenInput, CreatedApiToken } from './api-tokens.inputs.js';

/** Personal API tokens: each signed-in user manages their own, nobody else's. */
@Resolver(() => ApiToken)
export class ApiTokensResolver {
  @Query(() => [ApiToken], { description: 'The caller’s API tokens that still work (not revoked, not expired), newest first.' })
  async myApiTokens(@Ctx() ctx: GraphQLContext): Promise<ApiToken[]> {
    return ctx.services.apiTokens.list(requireActor(ctx));
  }

  @Mutation(() => CreatedApiToken, { description: 'Creates a personal API token acting as the caller (or read-only). The token is in this answer only.' })
  async createApiToken(@Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput, @Ctx() ctx: GraphQLContext): Promise<CreatedApiToken> {
    return ctx.services.apiTokens.create(requireActor(ctx), input);
  }

  @Mutation(() => Boolean, { description: 'Revokes one of the caller’s API tokens at once.' })
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.apiTokens.revoke(requireActor(ctx), id);
  }
}
