/** Where a ticket came from. Together with the external id it identifies the ticket across re-imports. */
export enum TicketSource {
  SERVICENOW = 'SERVICENOW',
  JIRA = 'JIRA',
  GLPI = 'GLPI',
  ZENDESK = 'ZENDESK',
  CSV = 'CSV',
}

/**
 * The five ITIL priorities; every desk's scale is mapped onto these (see ticket-priority.ts). UNKNOWN is a
 * desk's value the importer does not know: the ticket keeps that text (sourcePriority) and the import warns.
 */
export enum Priority {
  CRITICAL = 'CRITICAL',
  HIGH = 'HIGH',
  MODERATE = 'MODERATE',
  LOW = 'LOW',
  PLANNING = 'PLANNING',
  UNKNOWN = 'UNKNOWN',
}

/** The priorities an SLA policy can be set for: the known ones. */
export const SLA_PRIORITIES: readonly Priority[] = [Priority.CRITICAL, Priority.HIGH, Priority.MODERATE, Priority.LOW, Priority.PLANNING];

/**
 * Where a ticket stands, whatever the desk calls its state: from the desk's status category where it has one
 * (Jira), else from its state names (see ticket-state.ts). UNKNOWN: a state name the importer does not know.
 */
export enum TicketStateCategory {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
  UNKNOWN = 'UNKNOWN',
}

/**
 * One ticket as every import format delivers it, before it touches the database. Optional fields are
 * undefined when the export has no value for them; strings are trimmed and never empty. Dates are UTC.
 */
export interface TicketRecord {
  source: TicketSource;
  /** The desk's own id (INC0000045, HELP-12, line-17); unique per source. */
  externalId: string;
  /** One line, at most SUMMARY_MAX_LENGTH characters. */
  summary: string;
  description?: string;
  category?: string;
  subcategory?: string;
  /** The affected service or configuration item (ServiceNow cmdb_ci, Jira Component/s). */
  service?: string;
  symptom?: string;
  impact?: string;
  urgency?: string;
  priority: Priority;
  /** The desk's own priority text when it is not one of ours word for word (kept for UNKNOWN above all). */
  sourcePriority?: string;
  /** The desk's own state name, as exported. */
  state?: string;
  /** The state's category; a ticket is done when it is RESOLVED or CLOSED, or has a resolved or closed time. */
  stateCategory: TicketStateCategory;
  assignmentGroup?: string;
  requestingUnit?: string;
  /** The desk's own grouping of the ticket into a problem, a ground truth for recurring-issue detection. */
  problemRef?: string;
  labels?: string[];
  requestType?: string;
  openedAt?: Date;
  respondedAt?: Date;
  resolvedAt?: Date;
  closedAt?: Date;
  updatedAt?: Date;
  /** null when the export has the column but no value. */
  madeSla?: boolean | null;
  /**
   * Orders several rows of one ticket (an audit log of updates): the higher wins, see collapseRevisions.
   * ServiceNow's sys_mod_count, otherwise the update time in epoch milliseconds, otherwise 0.
   */
  revision: number;
}

/** A row that could not become a ticket. `line` is the 1-based physical line where the row starts. */
export interface RowRejection {
  line: number;
  reason: string;
}

/** Whether a ticket is finished: its state says so, or it has a resolved or closed time. One rule, everywhere. */
export function isTicketDone(ticket: Pick<TicketRecord, 'stateCategory' | 'resolvedAt' | 'closedAt'>): boolean {
  return ticket.stateCategory === TicketStateCategory.RESOLVED || ticket.stateCategory === TicketStateCategory.CLOSED || !!ticket.resolvedAt || !!ticket.closedAt;
}

/** When a ticket was finished: its resolved or closed time, else (done by its state alone) its last update. */
export function ticketFinishedAt(ticket: Pick<TicketRecord, 'stateCategory' | 'resolvedAt' | 'closedAt' | 'updatedAt'>): Date | undefined {
  return ticket.resolvedAt ?? ticket.closedAt ?? (isTicketDone(ticket) ? ticket.updatedAt : undefined);
}

export function isRowRejection(value: TicketRecord | RowRejection | object): value is RowRejection {
  return 'reason' in value && 'line' in value;
}

/** Summaries longer than this are cut at a word boundary; the full text belongs in the description. */
export const SUMMARY_MAX_LENGTH = 200;

/** Collapses whitespace and cuts at the last word boundary within SUMMARY_MAX_LENGTH characters. */
export function shortSummary(text: string, max = SUMMARY_MAX_LENGTH): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  if (chars.length <= max) return oneLine;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
