/** SQL fragments over a ticket aliased `t`, shared by the service's queries and the loaders. */

/** The day a ticket counts on: when it was opened, or when Gatehouse first saw an undated one. */
export const TICKET_DAY_SQL = `coalesce(t.opened_at, t.first_seen_at)`;

/** The ticket breached its resolution SLA: resolved (or closed, or still open now) after its due time. */
export const BREACHED_SQL = `(t.resolution_due_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at, now()) > t.resolution_due_at)`;
