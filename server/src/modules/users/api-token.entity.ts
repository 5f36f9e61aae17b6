import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A personal API token. Only the SHA-256 of the token is stored; the token itself is shown once, at creation. */
@ObjectType()
@Entity('api_token')
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'token_hash', select: false })
  tokenHash: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => Boolean, { description: 'Queries and subscriptions only: every mutation is FORBIDDEN.' })
  @Column('boolean', { name: 'read_only' })
  readOnly: boolean;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Field(() => Date)
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: 'Refreshed at most once a minute.' })
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
