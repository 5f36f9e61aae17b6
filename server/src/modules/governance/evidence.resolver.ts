import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { Evidence } from './evidence.entity.js';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => User)
  async createdBy(@Root() e: Evidence, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(e.createdById);
  }
}
