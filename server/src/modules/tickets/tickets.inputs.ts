import { Priority, TicketStateCategory } from '@gatehouse/shared';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MoneyScalar } from '../../graphql/scalars.js';
import { ImportWarningKind } from './parsing/import-warnings.js';

@InputType({ description: 'One ticket as a desk exports it; the same rules as the command line apply.' })
export class TicketInput {
  @Field(() => String)
  externalId: string;

  @Field(() => String)
  summary: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => String, { nullable: true })
  subcategory?: string | null;

  @Field(() => String, { nullable: true, description: 'The affected service or configuration item.' })
  service?: string | null;

  @Field(() => String, { nullable: true })
  symptom?: string | null;

  @Field(() => String, { nullable: true })
  impact?: string | null;

  @Field(() => String, { nullable: true })
  urgency?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'e.g. "3 - Moderate", "3", "High", "Média" or "CRITICAL"; default MODERATE. A value nobody knows is kept as UNKNOWN and reported in the warnings.',
  })
  priority?: string | null;

  @Field(() => String, { nullable: true, description: 'The desk’s own priority text, when priority gives the level already read from it.' })
  sourcePriority?: string | null;

  @Field(() => String, { nullable: true })
  state?: string | null;

  @Field(() => TicketStateCategory, { nullable: true, description: 'The desk’s own category of the state; by default read from the state name.' })
  stateCategory?: TicketStateCategory | null;

  @Field(() => String, { nullable: true })
  assignmentGroup?: string | null;

  @Field(() => String, { nullable: true })
  requestingUnit?: string | null;

  @Field(() => String, { nullable: true })
  problemRef?: string | null;

  @Field(() => [String], { nullable: true })
  labels?: string[] | null;

  @Field(() => String, { nullable: true })
  requestType?: string | null;

  @Field(() => Date, { nullable: true })
  openedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  respondedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  resolvedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  updatedAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'The desk’s own SLA verdict.' })
  madeSla?: boolean | null;

  @Field(() => Float, { nullable: true, description: 'Orders several updates of one ticket: the higher wins (default: updatedAt).' })
  revision?: number | null;
}

registerEnumType(ImportWarningKind, { name: 'ImportWarningKind', description: 'A value an import kept but did not know.' });

@ObjectType({ description: 'A value an import kept as UNKNOWN rather than refuse the row.' })
export class ImportWarning {
  @Field(() => ImportWarningKind)
  kind: ImportWarningKind;

  @Field(() => String, { description: 'The column (the input field, through the API) it was read from.' })
  column: string;

  @Field(() => String, { description: 'The value as the desk wrote it.' })
  value: string;

  @Field(() => Int, { description: 'Tickets carrying it.' })
  count: number;
}

@ObjectType()
export class ImportRejection {
  @Field(() => Int, { description: 'Position in the list (1-based), or the line in the file.' })
  line: number;

  @Field(() => String)
  reason: string;
}

@ObjectType({ description: 'What an import did: tickets inserted, updated (a newer state), unchanged, and rejected rows.' })
export class ImportResult {
  @Field(() => Int)
  inserted: number;

  @Field(() => Int)
  updated: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => [ImportRejection])
  rejected: ImportRejection[];

  @Field(() => Int, { description: 'Tickets whose own SLA verdict contradicts the policy.' })
  slaDisagreements: number;

  @Field(() => Int, { description: 'Recurring groups the import touched.' })
  groupsTouched: number;

  @Field(() => [ImportWarning], { description: 'Unknown states and priorities, kept as UNKNOWN: each value with the number of tickets carrying it, most frequent first.' })
  warnings: ImportWarning[];
}

@InputType()
export class TicketFilter {
  @Field(() => String, { nullable: true, description: 'SERVICENOW, JIRA, GLPI, ZENDESK or CSV' })
  source?: string | null;

  @Field(() => ID, { nullable: true })
  groupId?: string | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => Boolean, { nullable: true })
  open?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Resolution SLA breached (or not).' })
  breached?: boolean | null;

  @Field(() => String, { nullable: true })
  search?: string | null;
}

@InputType()
export class TicketGroupFilter {
  @Field(() => Boolean, { nullable: true })
  recurringOnly?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Linked to a measure (true) or not (false).' })
  linked?: boolean | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => String, { nullable: true })
  search?: string | null;
}

@ObjectType()
export class TicketTrendPoint {
  @Field(() => String, { description: 'YYYY-MM' })
  month: string;

  @Field(() => Int)
  tickets: number;

  @Field(() => Int, { description: 'Tickets opened that month that breached their resolution SLA.' })
  breached: number;
}

@ObjectType({ description: 'Did the measure remove the tickets? Their rate per 30 days before and after it reached DoI 4.' })
export class TicketEffect {
  @Field(() => ID)
  groupId: string;

  @Field(() => ID)
  measureId: string;

  @Field(() => Date, { nullable: true, description: 'When the measure reached DoI 4; empty while it has not.' })
  implementedAt: Date | null;

  @Field(() => Float, { nullable: true })
  ratePer30DaysBefore: number | null;

  @Field(() => Float, { nullable: true })
  ratePer30DaysAfter: number | null;

  @Field(() => Float, { nullable: true, description: 'Relative change in percent (negative: fewer tickets).' })
  changePercent: number | null;

  @Field(() => Int)
  ticketsBefore: number;

  @Field(() => Int)
  ticketsAfter: number;

  @Field(() => Int, { description: 'Days in the window after (at most the recurring window W).' })
  daysAfter: number;
}

@InputType()
export class SlaPolicyInput {
  @Field(() => ID, { nullable: true, description: 'A service category; empty for the default of the priority.' })
  categoryId?: string | null;

  @Field(() => Priority)
  priority: Priority;

  @Field(() => Int)
  responseMinutes: number;

  @Field(() => Int)
  resolutionMinutes: number;
}

@InputType()
export class ServiceCategoryInput {
  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;
}

@InputType({ description: 'Recurring detection and ticket cost; omitted fields stay as they are.' })
export class TicketSettingsInput {
  @Field(() => Int, { nullable: true, description: 'N: tickets within the window that make a group recurring.' })
  recurringThreshold?: number | null;

  @Field(() => Int, { nullable: true, description: 'W: the window in days.' })
  recurringWindowDays?: number | null;

  @Field(() => MoneyScalar, { nullable: true })
  costPerTicket?: string | null;
}

@ObjectType({ description: 'What the caller may do with a ticket group, from the same access policy the server enforces.' })
export class TicketGroupPermissions {
  @Field(() => Boolean, { description: 'May link the group to some measures (owners to their own); each measure’s viewerCan.linkTicketGroup says which.' })
  linkMeasure: boolean;

  @Field(() => Boolean, { description: 'May create a measure from the group (and so link it).' })
  createMeasure: boolean;

  @Field(() => Boolean, { description: 'May make someone else the owner of a measure created from the group.' })
  assignOwner: boolean;
}
