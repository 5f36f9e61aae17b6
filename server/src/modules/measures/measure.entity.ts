import { Lever, MeasureState, Status, ValueKind } from '@gatehouse/shared';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MoneyScalar } from '../../graphql/scalars.js';

registerEnumType(Lever, { name: 'Lever' });
registerEnumType(MeasureState, { name: 'MeasureState' });
registerEnumType(ValueKind, { name: 'ValueKind' });
registerEnumType(Status, { name: 'Status', description: 'Traffic-light status: GREEN, AMBER or RED.' });

/**
 * An improvement measure. Totals and `nextDueOn` are denormalised from values and milestones in the same
 * transaction that changes them, so lists, filters and rollups never aggregate per row.
 */
@ObjectType()
@Entity('measure')
export class Measure {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('uuid', { name: 'package_id' })
  packageId: string;

  /** Scope ids from the organisation down to the measure's package. */
  @Column('uuid', { array: true })
  path: string[];

  /** Sequence number in the organisation; `code` is its readable form. */
  @Column('integer')
  seq: number;

  @Field(() => String, { description: 'Readable code unique in the organisation, e.g. M-0042.' })
  @Column('text')
  code: string;

  @Field(() => String)
  @Column('text')
  title: string;

  @Field(() => String)
  @Column('text')
  description: string;

  @Field(() => String)
  @Column('text', { name: 'business_case' })
  businessCase: string;

  @Field(() => Lever)
  @Column('text')
  lever: Lever;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Column('uuid', { name: 'sponsor_id', nullable: true })
  sponsorId: string | null;

  @Column('uuid', { name: 'controller_id', nullable: true })
  controllerId: string | null;

  @Field(() => Int, { description: 'Degree of Implementation, 1 (identified) to 5 (realised).' })
  @Column('smallint')
  doi: number;

  @Field(() => MeasureState)
  @Column('text')
  state: MeasureState;

  @Field(() => MoneyScalar, { nullable: true, description: 'The owner’s first estimate of the annual potential.' })
  @Column('numeric', { name: 'rough_potential', precision: 15, scale: 2, nullable: true })
  roughPotential: string | null;

  @Field(() => MoneyScalar)
  @Column('numeric', { name: 'plan_total', precision: 30, scale: 2 })
  planTotal: string;

  @Field(() => MoneyScalar, { description: 'Latest estimate: actuals where recorded, forecast elsewhere.' })
  @Column('numeric', { name: 'forecast_total', precision: 30, scale: 2 })
  forecastTotal: string;

  @Field(() => MoneyScalar)
  @Column('numeric', { name: 'actual_total', precision: 30, scale: 2 })
  actualTotal: string;

  @Field(() => MoneyScalar)
  @Column('numeric', { name: 'one_off_cost_total', precision: 30, scale: 2 })
  oneOffCostTotal: string;

  @Field(() => MoneyScalar, {
    description: 'Run-rate potential: the plan of the last twelve planned months (the rough potential before any plan).',
  })
  @Column('numeric', { name: 'annual_potential', precision: 30, scale: 2 })
  annualPotential: string;

  @Field(() => Date, { nullable: true, description: 'The earliest open due date (milestone or gate).' })
  @Column('timestamptz', { name: 'next_due_on', nullable: true })
  nextDueOn: Date | null;

  @Field(() => Status, { nullable: true, description: 'The owner’s override of the Implementation Status, if any.' })
  @Column('text', { name: 'implementation_status_override', nullable: true })
  implementationStatusOverride: Status | null;

  @Column('text', { name: 'implementation_status_override_reason', nullable: true })
  implementationStatusOverrideReason: string | null;

  @Field(() => Status, { nullable: true, description: 'The owner’s override of the Potential Status, if any.' })
  @Column('text', { name: 'potential_status_override', nullable: true })
  potentialStatusOverride: Status | null;

  @Column('text', { name: 'potential_status_override_reason', nullable: true })
  potentialStatusOverrideReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When the owner plans to ask for the next gate.' })
  @Column('timestamptz', { name: 'next_gate_due_on', nullable: true })
  nextGateDueOn: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a controller validated the potential (cleared when the plan changes).' })
  @Column('timestamptz', { name: 'potential_validated_at', nullable: true })
  potentialValidatedAt: Date | null;

  @Column('uuid', { name: 'potential_validated_by', nullable: true })
  potentialValidatedBy: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'potential_validation_note', nullable: true })
  potentialValidationNote: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Field(() => Int, { description: 'Optimistic concurrency: send it back with every update.' })
  @Column('integer')
  version: number;

  @Field(() => Date)
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Field(() => Date)
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy: string | null;
}
