import { isAllowed, PersonDuty, Role } from '@gatehouse/shared';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireActor, type GraphQLContext } from '../context.js';
import type { Actor } from '../access/index.js';
import { RoleGrant } from './role-grant.entity.js';
import { User } from './user.entity.js';
import { AuthPayload, CreateUserInput, SignInOptions } from './users.inputs.js';

/**
 * Other people's e-mail addresses and roles are for admins of the organisation (access policy, user.readContact);
 * names reach everyone who sees a measure, a review, an entry or a people picker.
 */
function mayReadContact(actor: Actor, user: User): boolean {
  return user.id === actor.userId || user.administeredByCaller === true || (user.organisationId === actor.organisation.id && isAllowed('user.readContact', actor, { path: [actor.organisation.id] }));
}

/** The answer of a sign-in (login, or a one-time link): the session cookie set, the rest read as the person signed in. */
export async function signedIn(ctx: GraphQLContext, session: { token: string; user: User; expiresAt: Date }): Promise<AuthPayload> {
  ctx.cookies?.set(session.token, session.expiresAt);
  // The rest of this answer (the user's e-mail and roles) is read as the person who just signed in.
  ctx.actor = await ctx.services.auth.authenticate(session.token);
  // Without an HTTP cookie jar (a WebSocket or a direct call) the caller holds the token itself.
  return { ...session, mustChangePassword: session.user.mustChangePassword, sessionCookieKept: ctx.cookies?.kept ?? true };
}

@Resolver(() => User)
export class UsersResolver {
  @Mutation(() => AuthPayload, { description: 'Signs in; the token is also set as an httpOnly session cookie.' })
  async login(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const session = await ctx.services.auth.login(email, password, { address: ctx.clientAddress, userAgent: ctx.userAgent, previousToken: ctx.previousToken });
    return signedIn(ctx, session);
  }

  @Query(() => SignInOptions, { description: 'How to sign in here; needs no session.' })
  signInOptions(@Ctx() ctx: GraphQLContext): SignInOptions {
    const oidc = ctx.services.oidc;
    return { password: ctx.services.auth.passwordSignIn, oidc: oidc ? { label: oidc.config.label, startUrl: '/auth/oidc/start' } : null };
  }

  @Mutation(() => Boolean, { description: 'Ends this session at once.' })
  async logout(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    const done = await ctx.services.auth.logout(ctx.actor);
    ctx.cookies?.clear();
    return done;
  }

  @Query(() => User, { nullable: true })
  async me(@Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.users.me(requireActor(ctx));
  }

  @Query(() => [User], {
    description: 'People for pickers: those holding a role on a scope that contains or lies within one of the caller’s (admins: everyone), by name; the search looks at e-mail addresses for admins only.',
  })
  async users(@Arg('search', () => String, { nullable: true }) search: string | null, @Ctx() ctx: GraphQLContext): Promise<User[]> {
    return ctx.services.users.list(requireActor(ctx), search);
  }

  @Query(() => [User], { description: 'Active people who qualify for a duty on a scope (a measure’s package for sponsor and controller, the review’s scope for its chair): what the server accepts there.' })
  async assignablePeople(
    @Arg('scopeId', () => ID) scopeId: string,
    @Arg('duty', () => PersonDuty) duty: PersonDuty,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User[]> {
    return ctx.services.users.assignable(requireActor(ctx), scopeId, duty);
  }

  @Mutation(() => User)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.users.createUser(requireActor(ctx), input);
  }

  @Mutation(() => RoleGrant)
  async grantRole(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
    @Arg('scopeId', () => ID) scopeId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RoleGrant> {
    return ctx.services.users.grantRole(requireActor(ctx), userId, role, scopeId);
  }

  @Mutation(() => Boolean)
  async revokeRole(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => Role) role: Role,
    @Arg('scopeId', () => ID) scopeId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    return ctx.services.users.revokeRole(requireActor(ctx), userId, role, scopeId);
  }

  @Mutation(() => User, { description: 'Admin: the user can no longer sign in; their sessions and live connections end at once.' })
  async deactivateUser(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.users.deactivateUser(requireActor(ctx), userId);
  }

  @Mutation(() => User, { description: 'Admin: a deactivated user may sign in again.' })
  async reactivateUser(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.users.reactivateUser(requireActor(ctx), userId);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Empty unless the caller is an admin of the organisation, or this user.' })
  email(@Root() user: User, @Ctx() ctx: GraphQLContext): string | null {
    return mayReadContact(requireActor(ctx), user) ? user.email : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'The password was chosen by someone else and must be changed first. Empty unless the caller is this user or administers them.' })
  mustChangePassword(@Root() user: User, @Ctx() ctx: GraphQLContext): boolean | null {
    return mayReadContact(requireActor(ctx), user) ? user.mustChangePassword : null;
  }

  @FieldResolver(() => [RoleGrant], { description: 'The roles this user holds, with their scopes: empty unless the caller is an admin of the organisation, or this user.' })
  async roles(@Root() user: User, @Ctx() ctx: GraphQLContext): Promise<RoleGrant[]> {
    return mayReadContact(requireActor(ctx), user) ? ctx.loaders.grantsByUser.load(user.id) : [];
  }
}
