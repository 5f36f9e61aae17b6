import { Lever, MeasureState, Status, ValueKind } from '@gatehouse/shared';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { MoneyScalar } from '../../graphql/scalars.js';
import type { Measure } from './measure.entity.js';

export enum MeasureSortField {
  CODE = 'CODE',
  TITLE = 'TITLE',
  DOI = 'DOI',
  STATE = 'STATE',
  PLAN_TOTAL = 'PLAN_TOTAL',
  FORECAST_TOTAL = 'FORECAST_TOTAL',
  ANNUAL_POTENTIAL = 'ANNUAL_POTENTIAL',
  NEXT_DUE_ON = 'NEXT_DUE_ON',
  UPDATED_AT = 'UPDATED_AT',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(MeasureSortField, { name: 'MeasureSortField' });
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class MeasureFilter {
  @Field(() => ID, { nullable: true, description: 'Organisation, org unit, program or package: everything below it.' })
  scopeId?: string | null;

  @Field(() => Int, { nullable: true })
  doi?: number | null;

  @Field(() => MeasureState, { nullable: true })
  state?: MeasureState | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => Status, { nullable: true })
  implementationStatus?: Status | null;

  @Field(() => Status, { nullable: true })
  potentialStatus?: Status | null;

  @Field(() => Boolean, { nullable: true, description: 'Only measures with (true) or without (false) anything overdue.' })
  overdue?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Matches code, title and description.' })
  search?: string | null;
}

@InputType()
export class MeasureSort {
  @Field(() => MeasureSortField)
  field: MeasureSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection;
}

@InputType()
export class CreateMeasureInput implements Partial<Measure> {
  @Field(() => ID)
  packageId: string;

  @Field(() => String)
  title: string;

  @Field(() => Lever)
  lever: Lever;

  @Field(() => ID)
  ownerId: string;

  @Field(() => ID, { nullable: true })
  sponsorId?: string | null;

  @Field(() => ID, { nullable: true })
  controllerId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => String, { nullable: true })
  businessCase?: string;

  @Field(() => MoneyScalar, { nullable: true })
  roughPotential?: string | null;
}

@InputType()
export class UpdateMeasureInput implements Partial<Measure> {
  @Field(() => String, { nullable: true })
  title?: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => String, { nullable: true })
  businessCase?: string;

  @Field(() => Lever, { nullable: true })
  lever?: Lever;

  @Field(() => ID, { nullable: true, description: 'null removes the sponsor.' })
  sponsorId?: string | null;

  @Field(() => ID, { nullable: true, description: 'null removes the controller.' })
  controllerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Changing the owner needs an admin.' })
  ownerId?: string;

  @Field(() => MoneyScalar, { nullable: true })
  roughPotential?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the next gate is planned; null clears it.' })
  nextGateDueOn?: Date | null;

  @Field(() => Status, { nullable: true, description: 'Override the derived Implementation Status; needs a reason.' })
  implementationStatusOverride?: Status | null;

  @Field(() => String, { nullable: true })
  implementationStatusOverrideReason?: string | null;

  @Field(() => Status, { nullable: true, description: 'Override the derived Potential Status; needs a reason.' })
  potentialStatusOverride?: Status | null;

  @Field(() => String, { nullable: true })
  potentialStatusOverrideReason?: string | null;
}

@InputType()
export class MeasureValueInput {
  @Field(() => String, { description: 'YYYY-MM' })
  month: string;

  @Field(() => ValueKind)
  kind: ValueKind;

  @Field(() => MoneyScalar)
  amount: string;
}

@InputType()
export class MilestoneInput {
  @Field(() => String)
  title: string;

  @Field(() => Date)
  dueOn: Date;
}

@InputType({ description: 'What changes on a milestone; fields left out stay as they are.' })
export class UpdateMilestoneInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => Date, { nullable: true })
  dueOn?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'true marks it done (on doneOn, else today); false opens it again.' })
  done?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'The day it was done; not in the future.' })
  doneOn?: Date | null;
}
