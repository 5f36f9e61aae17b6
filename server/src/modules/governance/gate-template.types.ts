import { AutomaticCriterion, CRITERION_LABELS } from '@gatehouse/shared';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

registerEnumType(AutomaticCriterion, { name: 'AutomaticCriterion', description: 'A gate criterion the system checks itself.' });

@ObjectType()
export class AutomaticCriterionSetting {
  @Field(() => AutomaticCriterion)
  criterion: AutomaticCriterion;

  @Field(() => String)
  get label(): string {
    return CRITERION_LABELS[this.criterion];
  }

  @Field(() => Int, { nullable: true, description: 'For counting criteria: at least this many.' })
  threshold?: number;
}

@ObjectType()
export class ManualChecklistItemType {
  @Field(() => String)
  id: string;

  @Field(() => String)
  text: string;
}

@ObjectType()
export class GateDefinitionType {
  @Field(() => Int)
  toDoi: number;

  @Field(() => [AutomaticCriterionSetting])
  automatic: AutomaticCriterionSetting[];

  @Field(() => [ManualChecklistItemType])
  manual: ManualChecklistItemType[];
}

@ObjectType({ description: 'One difference between a template version and the one before it.' })
export class GateTemplateChangeType {
  @Field(() => Int)
  toDoi: number;

  @Field(() => String, { description: 'CRITERION_ADDED, CRITERION_REMOVED, THRESHOLD_CHANGED, ITEM_ADDED, ITEM_REMOVED or ITEM_CHANGED.' })
  kind: string;

  @Field(() => String)
  text: string;
}

@ObjectType({ description: 'The organisation’s gate criteria; every edit makes a new version.' })
export class GateTemplate {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  version: number;

  @Field(() => [GateDefinitionType])
  gates: GateDefinitionType[];

  @Field(() => Date)
  createdAt: Date;

  /** Who wrote the version (null for the seeded default). */
  createdBy?: string | null;

  @Field(() => [GateTemplateChangeType], { description: 'What changed from the version before (empty for version 1).' })
  changes: GateTemplateChangeType[];
}

@InputType()
export class AutomaticCriterionInput {
  @Field(() => AutomaticCriterion)
  criterion: AutomaticCriterion;

  @Field(() => Int, { nullable: true })
  threshold?: number | null;
}

@InputType()
export class ManualChecklistItemInput {
  @Field(() => String)
  id: string;

  @Field(() => String)
  text: string;
}

@InputType()
export class GateDefinitionInput {
  @Field(() => Int)
  toDoi: number;

  @Field(() => [AutomaticCriterionInput])
  automatic: AutomaticCriterionInput[];

  @Field(() => [ManualChecklistItemInput])
  manual: ManualChecklistItemInput[];
}

@InputType()
export class GateTemplateInput {
  @Field(() => [GateDefinitionInput])
  gates: GateDefinitionInput[];
}

@ObjectType({ description: 'A gate criterion checked against a measure.' })
export class CriterionCheck {
  @Field(() => String)
  id: string;

  @Field(() => String, { description: 'AUTOMATIC or MANUAL' })
  kind: string;

  @Field(() => String)
  label: string;

  @Field(() => Boolean)
  passed: boolean;

  @Field(() => String)
  detail: string;
}

@ObjectType({ description: 'The next gate of a measure: its criteria as they stand now and who may act.' })
export class GateCheck {
  @Field(() => Int)
  toDoi: number;

  @Field(() => [CriterionCheck])
  criteria: CriterionCheck[];

  @Field(() => Boolean, { description: 'Every automatic criterion passes.' })
  automaticPassed: boolean;

  @Field(() => Boolean, { description: 'Whether the caller may request this gate now.' })
  canRequest: boolean;

  @Field(() => String, { nullable: true, description: 'Why the caller may not request it.' })
  cannotRequestReason: string | null;
}
