import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, FieldResolver, Root } from 'type-graphql';
import { connectionType } from '../../graphql/connection.js';
import { requireActor, type GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { AuditEntity, AuditEntry } from './audit-entry.entity.js';
import { auditEntity } from './audit-entity.js';

export const AuditEntryConnection = connectionType(AuditEntry, 'AuditEntry');
export type AuditEntryConnection = InstanceType<typeof AuditEntryConnection>;

@ObjectType({ description: 'The audit chain head at a point in time, signed with the server’s Ed25519 key (kept outside the database).' })
export class AuditCheckpoint {
  @Field(() => Int, { description: 'The last entry the checkpoint covers.' })
  seq: number;

  @Field(() => String, { description: 'That entry’s hash, which the recomputed chain must reach.' })
  hash: string;

  @Field(() => Date)
  signedAt: Date;

  @Field(() => String, { description: 'The signing key: the first 16 hex digits of the SHA-256 of its public key.' })
  keyId: string;
}

@ObjectType({ description: 'The result of recomputing the audit chain.' })
export class AuditVerification {
  @Field(() => Boolean)
  ok: boolean;

  @Field(() => Int, { description: 'Entries checked before the first problem (all of them when ok).' })
  checked: number;

  @Field(() => ID, { nullable: true })
  firstBrokenId: string | null;

  @Field(() => Int, { nullable: true })
  firstBrokenSeq: number | null;

  @Field(() => String, { nullable: true })
  problem: string | null;

  @Field(() => Int, { description: 'Signed checkpoints whose hash the recomputed chain reached.' })
  checkpoints: number;

  @Field(() => AuditCheckpoint, { nullable: true, description: 'The latest of them.' })
  lastCheckpoint: AuditCheckpoint | null;
}

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description: 'Audit entries, newest first; for a measure, everything on it too. totalCount counts every matching entry, whatever the page.',
  })
  async auditTrail(
    @Arg('entityId', () => ID, { nullable: true, description: 'An entity id, or a measure code such as M-0015.' }) entityId: string | null,
    @Arg('action', () => String, { nullable: true }) action: string | null,
    @Arg('actorId', () => ID, { nullable: true }) actorId: string | null,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuditEntryConnection> {
    const page = await ctx.services.audit.trail(requireActor(ctx), { entityId, action, actorId, from, to }, first, after);
    return AuditEntryConnection.of(page.nodes, page.cursors, page.hasNextPage, page.totalCount);
  }

  @Query(() => AuditVerification, { description: 'Recomputes the hash chain and names the first broken entry.' })
  async verifyAuditTrail(@Ctx() ctx: GraphQLContext): Promise<AuditVerification> {
    return ctx.services.audit.verify(requireActor(ctx));
  }

  @Mutation(() => AuditCheckpoint, { description: 'Signs the chain head now (the server also does so at an interval); the latest checkpoint when nothing changed.' })
  async createAuditCheckpoint(@Ctx() ctx: GraphQLContext): Promise<AuditCheckpoint> {
    return ctx.services.audit.checkpoint(requireActor(ctx));
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who did it; empty for the system itself.' })
  async actor(@Root() entry: AuditEntry, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return entry.actorId ? ctx.loaders.user.load(entry.actorId) : null;
  }

  @FieldResolver(() => AuditEntity, { description: 'What it is about, by code and title: the measure for everything on a measure.' })
  async entity(@Root() entry: AuditEntry, @Ctx() ctx: GraphQLContext): Promise<AuditEntity> {
    return auditEntity(entry, ctx.loaders.auditNames);
  }
}
