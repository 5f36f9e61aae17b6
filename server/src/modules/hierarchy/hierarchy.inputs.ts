import { Field, ID, InputType, Int } from 'type-graphql';
import type { MeasurePackage } from './measure-package.entity.js';
import type { OrgUnit } from './org-unit.entity.js';
import type { Program } from './program.entity.js';

@InputType()
export class CreateOrgUnitInput implements Partial<OrgUnit> {
  @Field(() => String)
  name: string;

  @Field(() => ID, { nullable: true, description: 'The parent org unit; a top-level unit when empty.' })
  parentId?: string | null;
}

@InputType()
export class CreateProgramInput implements Partial<Program> {
  @Field(() => String)
  name: string;

  @Field(() => ID)
  orgUnitId: string;

  @Field(() => String, { nullable: true })
  objective?: string | null;
}

@InputType()
export class CreateMeasurePackageInput implements Partial<MeasurePackage> {
  @Field(() => String)
  name: string;

  @Field(() => ID)
  programId: string;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;
}

@InputType({ description: 'Omitted fields stay as they are.' })
export class UpdateOrgUnitInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'A move: the new parent unit; null moves the unit to the top level, omitted keeps it where it is.' })
  parentId?: string | null;
}

@InputType({ description: 'Omitted fields stay as they are.' })
export class UpdateProgramInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'An empty text clears it.' })
  objective?: string | null;

  @Field(() => ID, { nullable: true, description: 'A move to another org unit, with its packages and measures.' })
  orgUnitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'null clears the owner, omitted keeps it.' })
  ownerId?: string | null;
}

@InputType({ description: 'Omitted fields stay as they are.' })
export class UpdateMeasurePackageInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'A move to another program, with its measures.' })
  programId?: string | null;

  @Field(() => ID, { nullable: true, description: 'null clears the owner, omitted keeps it.' })
  ownerId?: string | null;
}

@InputType({ description: 'Organisation settings; omitted fields stay as they are.' })
export class OrganisationSettingsInput {
  @Field(() => Int, { nullable: true })
  potentialGreenPercent?: number | null;

  @Field(() => Int, { nullable: true })
  potentialAmberPercent?: number | null;

  @Field(() => [Int], { nullable: true, description: 'Probability in percent of DoI 1..5, rising.' })
  doiWeights?: number[] | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code, three capital letters; amounts are not converted.' })
  currency?: string | null;
}
