/** SQL fragments over a ticket aliased `t`, shared by the service's queries and the loaders. */

/** The day a ticket counts on: when it was opened, or when Gatehouse first saw an undated one. */
export const TICKET_DAY_SQL = `coalesce(t.opened_at, t.first_seen_at)`;

/**
 * Neither resolved nor closed: no resolved or closed time, and a state the desk does not call done. The SQL
 * twin of isTicketDone (shared/src/tickets/ticket-record.ts).
 */
export const openSql = (alias: string) => `(${alias}.resolved_at IS NULL AND ${alias}.closed_at IS NULL AND ${alias}.state_category NOT IN ('RESOLVED','CLOSED'))`;
export const OPEN_SQL = openSql('t');

/**
 * When the ticket was finished: its resolved or closed time, else (done by its state alone) its last update as
 * the desk exported it; null while it is open.
 */
export const finishedAtSql = (alias: string) =>
  `coalesce(${alias}.resolved_at, ${alias}.closed_at, CASE WHEN NOT ${openSql(alias)} THEN ${alias}.source_updated_at END)`;
const FINISHED_AT_SQL = finishedAtSql('t');

/** The ticket breached its resolution SLA: finished (or, still open, now) after its due time. */
export const BREACHED_SQL = `(t.resolution_due_at IS NOT NULL AND CASE WHEN ${OPEN_SQL} THEN now() ELSE coalesce(${FINISHED_AT_SQL}, now()) END > t.resolution_due_at)`;
