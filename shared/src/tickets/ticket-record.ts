/** Where a ticket came from. Together with the external id it identifies the ticket across re-imports. */
export enum TicketSource {
  SERVICENOW = 'SERVICENOW',
  JIRA = 'JIRA',
  CSV = 'CSV',
}

/** The five ITIL priorities; every desk's scale is mapped onto these (see ticket-priority.ts). */
export enum Priority {
  CRITICAL = 'CRITICAL',
  HIGH = 'HIGH',
  MODERATE = 'MODERATE',
  LOW = 'LOW',
  PLANNING = 'PLANNING',
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
  state?: string;
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
