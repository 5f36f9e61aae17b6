import { GateDecision, GateRequestStatus, type GateTemplateDefinition } from '@gatehouse/shared';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MoneyScalar } from '../../graphql/scalars.js';

registerEnumType(GateDecision, { name: 'GateDecision' });
registerEnumType(GateRequestStatus, { name: 'GateRequestStatus' });

export enum EvidenceKind {
  IMPLEMENTATION = 'IMPLEMENTATION',
  VALUE = 'VALUE',
  OTHER = 'OTHER',
}
registerEnumType(EvidenceKind, { name: 'EvidenceKind', description: 'What a piece of evidence proves.' });

/** A version of an organisation's gate template; never changed once written. */
@Entity('gate_template')
export class GateTemplateRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('integer')
  version: number;

  @Column('jsonb')
  definition: GateTemplateDefinition;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

@ObjectType({ description: 'A request to move a measure one DoI level up, and its decision.' })
@Entity('gate_request')
export class GateRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Column('uuid', { array: true })
  path: string[];

  @Field(() => Int)
  @Column('smallint', { name: 'from_doi' })
  fromDoi: number;

  @Field(() => Int)
  @Column('smallint', { name: 'to_doi' })
  toDoi: number;

  @Field(() => GateRequestStatus)
  @Column('text')
  status: GateRequestStatus;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid', { name: 'requested_by' })
  requestedById: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'requested_at' })
  requestedAt: Date;

  @Column('uuid', { name: 'review_id', nullable: true })
  reviewId: string | null;

  @Field(() => GateDecision, { nullable: true })
  @Column('text', { nullable: true })
  decision: GateDecision | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  rationale: string | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedById: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column('uuid', { name: 'decided_in_review_id', nullable: true })
  decidedInReviewId: string | null;

  @Field(() => Boolean, { description: 'Approved over failed automatic criteria by a steering committee member.' })
  @Column('boolean')
  override: boolean;

  /** The criteria as evaluated when the decision was taken. */
  @Column('jsonb', { nullable: true })
  criteria: object | null;

  @Column('uuid', { name: 'template_id', nullable: true })
  templateId: string | null;
}

@ObjectType({ description: 'A condition attached to an approval: it must be met before the next gate.' })
@Entity('gate_condition')
export class GateCondition {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'gate_request_id' })
  gateRequestId: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Field(() => String)
  @Column('text')
  text: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'due_on' })
  dueOn: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'met_at', nullable: true })
  metAt: Date | null;

  @Column('uuid', { name: 'met_by', nullable: true })
  metBy: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'met_note', nullable: true })
  metNote: string | null;
}

@ObjectType({ description: 'A steering committee meeting that decides gate requests.' })
@Entity('gate_review')
export class GateReview {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => ID)
  @Column('uuid', { name: 'scope_id' })
  scopeId: string;

  @Column('uuid', { name: 'scope_path', array: true })
  scopePath: string[];

  @Field(() => String)
  @Column('text')
  title: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'held_on' })
  heldOn: Date;

  @Column('uuid', { name: 'created_by' })
  createdById: string;

  /** The participant holding the steering committee role who chairs it: the only one who may override criteria. */
  @Column('uuid', { name: 'chair_id' })
  chairId: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

@ObjectType()
@Entity('evidence')
export class Evidence {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Field(() => EvidenceKind)
  @Column('text')
  kind: EvidenceKind;

  @Field(() => String)
  @Column('text')
  title: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  url: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid', { name: 'created_by' })
  createdById: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

@ObjectType()
@Entity('measure_comment')
export class MeasureComment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Column('uuid', { name: 'author_id' })
  authorId: string;

  @Field(() => String)
  @Column('text')
  body: string;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

@ObjectType({ description: 'A controller’s confirmation of the value a measure realised; it closes the measure.' })
@Entity('sign_off')
export class SignOff {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'measure_id' })
  measureId: string;

  @Column('uuid', { name: 'controller_id' })
  controllerId: string;

  @Field(() => MoneyScalar)
  @Column('numeric', { name: 'confirmed_value', precision: 15, scale: 2 })
  confirmedValue: string;

  @Field(() => String)
  @Column('text')
  evidence: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Field(() => Date)
  @Column('timestamptz', { name: 'signed_at' })
  signedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'reopened_at', nullable: true })
  reopenedAt: Date | null;

  @Column('uuid', { name: 'reopened_by', nullable: true })
  reopenedBy: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'reopen_reason', nullable: true })
  reopenReason: string | null;
}
