import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { SignOff } from './sign-off.entity.js';

@Resolver(() => SignOff)
export class SignOffResolver {
  @FieldResolver(() => User)
  async controller(@Root() s: SignOff, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(s.controllerId);
  }
}
