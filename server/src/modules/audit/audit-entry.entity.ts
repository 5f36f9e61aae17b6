import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
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

/** What an audit entry is about, as people find it in the app. */
export enum AuditEntityKind {
  MEASURE = 'MEASURE',
  GATE_REVIEW = 'GATE_REVIEW',
  TICKET_GROUP = 'TICKET_GROUP',
  ORGANISATION = 'ORGANISATION',
  ORG_UNIT = 'ORG_UNIT',
  PROGRAM = 'PROGRAM',
  MEASURE_PACKAGE = 'MEASURE_PACKAGE',
  USER = 'USER',
  OTHER = 'OTHER',
}
registerEnumType(AuditEntityKind, { name: 'AuditEntityKind', description: 'The kind of thing an audit entry is about.' });

@ObjectType({ description: 'What an audit entry is about: a measure for everything on it (its requests, milestones, evidence), else the entity itself.' })
export class AuditEntity {
  @Field(() => AuditEntityKind)
  kind: AuditEntityKind;

  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'Its readable code, e.g. M-0015 for a measure.' })
  code: string | null;

  @Field(() => String, { nullable: true, description: 'Its title or name as it is now; empty when it no longer exists.' })
  title: string | null;
}
