import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { MeasureComment } from './measure-comment.entity.js';

@Resolver(() => MeasureComment)
export class CommentResolver {
  @FieldResolver(() => User)
  async author(@Root() c: MeasureComment, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(c.authorId);
  }
}
