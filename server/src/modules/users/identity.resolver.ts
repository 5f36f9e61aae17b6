import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import { User } from './user.entity.js';
import { CreateUserInviteInput, PasswordResetLink, UserInvite, UserSessionInfo } from './identity.inputs.js';
import { AuthPayload } from './users.inputs.js';
import { signedIn } from './users.resolver.js';

/** Passwords, one-time links and the People screen (identity.service.ts). */
@Resolver()
export class IdentityResolver {
  @Query(() => [User], { description: 'The People screen: the people the caller administers (everyone for an admin of the organisation), with e-mail and roles; search by name or e-mail.' })
  async people(@Arg('search', () => String, { nullable: true }) search: string | null, @Ctx() ctx: GraphQLContext): Promise<User[]> {
    return ctx.services.identity.people(requireActor(ctx), search);
  }

  @Query(() => [UserSessionInfo], { description: 'Admin: the sessions of a person that still work, most recently used first.' })
  async userSessions(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<UserSessionInfo[]> {
    return ctx.services.identity.userSessions(requireActor(ctx), userId);
  }

  @Mutation(() => UserInvite, { description: 'Admin: creates a user without a password and a one-time link (72 hours) for them to choose one.' })
  async createUserInvite(@Arg('input', () => CreateUserInviteInput) input: CreateUserInviteInput, @Ctx() ctx: GraphQLContext): Promise<UserInvite> {
    return ctx.services.identity.createUserInvite(requireActor(ctx), input, ctx.publicUrl ?? '');
  }

  @Mutation(() => PasswordResetLink, { description: 'Admin: a one-time link (24 hours) for the person to choose a new password.' })
  async requestPasswordReset(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<PasswordResetLink> {
    return ctx.services.identity.requestPasswordReset(requireActor(ctx), userId, ctx.publicUrl ?? '');
  }

  @Mutation(() => AuthPayload, { description: 'Uses a one-time link: sets the password, ends every session of the person and signs them in. Single use.' })
  async setPasswordWithToken(
    @Arg('token', () => String) token: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const session = await ctx.services.identity.setPasswordWithToken(token, newPassword, {
      address: ctx.clientAddress,
      userAgent: ctx.userAgent,
      previousToken: ctx.previousToken,
    });
    return signedIn(ctx, session);
  }

  @Mutation(() => Boolean, { description: 'Changes the caller’s own password (the current one is asked for); ends the caller’s other sessions.' })
  async changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    return ctx.services.identity.changePassword(requireActor(ctx), currentPassword, newPassword, ctx.clientAddress);
  }

  @Mutation(() => Int, { description: 'Admin: ends one session of a person (sessionId) or all of them; answers how many ended. Their live connections close too.' })
  async endUserSessions(
    @Arg('userId', () => ID) userId: string,
    @Arg('sessionId', () => ID, { nullable: true }) sessionId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<number> {
    return ctx.services.identity.endUserSessions(requireActor(ctx), userId, sessionId);
  }
}
