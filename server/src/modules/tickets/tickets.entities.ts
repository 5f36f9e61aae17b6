import { isTicketDone, Priority, TicketSource, TicketStateCategory, ticketFinishedAt } from '@gatehouse/shared';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

registerEnumType(TicketSource, { name: 'TicketSource' });
registerEnumType(Priority, { name: 'TicketPriority', description: 'The five ITIL priorities every desk’s scale maps onto, and UNKNOWN for a value the import did not know.' });
registerEnumType(TicketStateCategory, { name: 'TicketStateCategory', description: 'Where a ticket stands whatever its desk calls the state: OPEN, RESOLVED, CLOSED, or UNKNOWN for a state name the import did not know.' });

@ObjectType({ description: 'A service-desk ticket, unique per source and external id, in the state of its latest update.' })
@Entity('ticket')
export class Ticket {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => TicketSource)
  @Column('text')
  source: TicketSource;

  @Field(() => String)
  @Column('text', { name: 'external_id' })
  externalId: string;

  @Field(() => String)
  @Column('text')
  summary: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  category: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  subcategory: string | null;

  @Field(() => String, { nullable: true, description: 'The affected service or configuration item.' })
  @Column('text', { nullable: true })
  service: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  symptom: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  impact: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  urgency: string | null;

  @Field(() => Priority)
  @Column('text')
  priority: Priority;

  @Field(() => String, { nullable: true, description: 'The desk’s own priority text, as exported.' })
  @Column('text', { name: 'source_priority', nullable: true })
  sourcePriority: string | null;

  @Field(() => String, { nullable: true, description: 'The desk’s own state name, as exported.' })
  @Column('text', { nullable: true })
  state: string | null;

  @Field(() => TicketStateCategory)
  @Column('text', { name: 'state_category' })
  stateCategory: TicketStateCategory;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'assignment_group', nullable: true })
  assignmentGroup: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'requesting_unit', nullable: true })
  requestingUnit: string | null;

  @Field(() => String, { nullable: true, description: 'The desk’s own problem reference.' })
  @Column('text', { name: 'problem_ref', nullable: true })
  problemRef: string | null;

  @Field(() => [String])
  @Column('text', { array: true, nullable: true, transformer: { from: (v: string[] | null) => v ?? [], to: (v: string[] | undefined) => v } })
  labels: string[];

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'request_type', nullable: true })
  requestType: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'opened_at', nullable: true })
  openedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'responded_at', nullable: true })
  respondedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column('timestamptz', { name: 'source_updated_at', nullable: true })
  sourceUpdatedAt: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'The desk’s own SLA verdict, when the export carries one.' })
  @Column('boolean', { name: 'made_sla', nullable: true })
  madeSla: boolean | null;

  @Column('uuid', { name: 'group_id' })
  groupId: string;

  @Field(() => ID, { nullable: true, description: 'The org unit the ticket belongs to by the scope mapping; none: the organisation.' })
  @Column('uuid', { name: 'org_unit_id', nullable: true })
  orgUnitId: string | null;

  @Field(() => Date, { description: 'When Gatehouse first imported the ticket.' })
  @Column('timestamptz', { name: 'first_seen_at' })
  firstSeenAt: Date;

  /** The desk's revision of the stored state (an update count, or else its update time in ms): a higher one replaces it. */
  @Column('bigint')
  revision: number;

  /** When an import last wrote the ticket. */
  @Column('timestamptz', { name: 'imported_at' })
  importedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'response_due_at', nullable: true })
  responseDueAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'resolution_due_at', nullable: true })
  resolutionDueAt: Date | null;

  @Field(() => Boolean, { description: 'The desk’s made_sla verdict differs from the SLA policy’s.' })
  @Column('boolean', { name: 'sla_disagrees' })
  slaDisagrees: boolean;

  @Field(() => Boolean, { description: 'Neither resolved nor closed, by its times or by its state.' })
  get open(): boolean {
    return !isTicketDone(this.finishing);
  }

  /** The record fields the shared done/finished rules read. */
  private get finishing() {
    return { stateCategory: this.stateCategory, resolvedAt: this.resolvedAt ?? undefined, closedAt: this.closedAt ?? undefined, updatedAt: this.sourceUpdatedAt ?? undefined };
  }

  @Field(() => Boolean, { description: 'First response later than the policy allows (or still missing after it).' })
  get responseBreached(): boolean {
    if (!this.responseDueAt) return false;
    const responded = this.respondedAt ?? this.resolvedAt ?? this.closedAt;
    return (responded ?? new Date()).getTime() > this.responseDueAt.getTime();
  }

  @Field(() => Boolean, { description: 'Resolved later than the policy allows (or still open after it).' })
  get resolutionBreached(): boolean {
    if (!this.resolutionDueAt) return false;
    return (ticketFinishedAt(this.finishing) ?? new Date()).getTime() > this.resolutionDueAt.getTime();
  }

  @Field(() => Int, { nullable: true, description: 'Days an open ticket has waited since it was opened.' })
  get backlogAgeDays(): number | null {
    if (!this.open) return null;
    const from = this.openedAt ?? this.firstSeenAt;
    return Math.floor((Date.now() - from.getTime()) / 86_400_000);
  }
}

@ObjectType({ description: 'Tickets with the same signature: a candidate recurring issue.' })
@Entity('ticket_group')
export class TicketGroup {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => String, { description: 'The grouping key: structured fields (s:) or the summary’s fingerprint (t:).' })
  @Column('text')
  signature: string;

  @Field(() => String)
  @Column('text')
  title: string;

  @Field(() => String, { description: 'STRUCTURED or TEXT' })
  @Column('text')
  basis: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  category: string | null;

  @Field(() => Int)
  @Column('integer', { name: 'ticket_count' })
  ticketCount: number;

  @Field(() => Int)
  @Column('integer', { name: 'open_count' })
  openCount: number;

  @Field(() => String, { nullable: true, description: 'The day of the first ticket (YYYY-MM-DD).' })
  @Column('date', { name: 'first_day', nullable: true })
  firstDay: string | null;

  @Field(() => String, { nullable: true, description: 'The day of the latest ticket (YYYY-MM-DD).' })
  @Column('date', { name: 'last_day', nullable: true })
  lastDay: string | null;

  @Field(() => Int, { description: 'Most tickets within any window of the organisation’s recurring window (W days).' })
  @Column('integer', { name: 'peak_window_count' })
  peakWindowCount: number;

  @Field(() => Boolean, { description: 'At least N tickets within W days (organisation settings).' })
  @Column('boolean')
  recurring: boolean;

  @Field(() => Date)
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

@ObjectType()
@Entity('service_category')
export class ServiceCategory {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String)
  @Column('text')
  description: string;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

@ObjectType({ description: 'Response and resolution targets for a category and priority (no category: the default).' })
@Entity('sla_policy')
export class SlaPolicy {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('uuid', { name: 'category_id', nullable: true })
  categoryId: string | null;

  @Field(() => Priority)
  @Column('text')
  priority: Priority;

  @Field(() => Int)
  @Column('integer', { name: 'response_minutes' })
  responseMinutes: number;

  @Field(() => Int)
  @Column('integer', { name: 'resolution_minutes' })
  resolutionMinutes: number;
}
