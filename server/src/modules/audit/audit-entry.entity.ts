import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One change, as written in the same transaction as the change itself. Append-only (a trigger refuses the rest). */
@ObjectType()
@Entity('audit_entry')
export class AuditEntry {
  @Field(() => ID)
  @PrimaryColumn('bigint', { transformer: { from: (v: string | number) => String(v), to: (v: string) => v } })
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => Int, { description: 'Position in the organisation’s chain, from 1.' })
  @Column('bigint', { transformer: { from: (v: string | number) => Number(v), to: (v: number) => v } })
  seq: number;

  @Field(() => Date)
  @Column('timestamptz')
  at: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Field(() => String, { description: 'What happened, e.g. measure.updated or gate.decided.' })
  @Column('text')
  action: string;

  @Field(() => String)
  @Column('text', { name: 'entity_type' })
  entityType: string;

  @Field(() => ID)
  @Column('text', { name: 'entity_id' })
  entityId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'measure_id', nullable: true })
  measureId: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  @Column('jsonb', { nullable: true })
  before: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  @Column('jsonb', { nullable: true })
  after: unknown;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  reason: string | null;

  @Field(() => String)
  @Column('text', { name: 'prev_hash' })
  prevHash: string;

  @Field(() => String)
  @Column('text')
  hash: string;
}
