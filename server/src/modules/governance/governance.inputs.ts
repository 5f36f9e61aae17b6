import { GateDecision } from '@gatehouse/shared';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class GateConditionInput {
  @Field(() => String)
  text: string;

  @Field(() => ID)
  ownerId: string;

  @Field(() => Date)
  dueOn: Date;
}

/** The arguments of decideGate beyond docs/api.md's minimum, gathered for the service. */
export interface DecideGateArgs {
  requestId: string;
  decision: GateDecision;
  rationale: string;
  override?: boolean | null;
  conditions?: GateConditionInput[] | null;
  reviewId?: string | null;
  checkedItems?: string[] | null;
}

@InputType()
export class CreateGateReviewInput {
  @Field(() => ID, { description: 'The organisation, an org unit or a program the review governs.' })
  scopeId: string;

  @Field(() => Date)
  date: Date;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => ID, { description: 'The participant who chairs the review: they hold the steering committee role in its scope. Made a participant if not listed.' })
  chairId: string;

  @Field(() => [ID], { defaultValue: [] })
  participantIds: string[];

  @Field(() => [ID], { defaultValue: [], description: 'Pending gate requests to put on the agenda.' })
  requestIds: string[];
}

@InputType()
export class EvidenceInput {
  @Field(() => String)
  title: string;

  @Field(() => String, { nullable: true, description: 'A link to the document (https or http).' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'IMPLEMENTATION (default), VALUE or OTHER.' })
  kind?: string | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}
