import { GateDecision, GateRequestStatus } from '@gatehouse/shared';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

registerEnumType(GateDecision, { name: 'GateDecision' });
registerEnumType(GateRequestStatus, { name: 'GateRequestStatus' });

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
