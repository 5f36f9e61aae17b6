import type { ApolloClient } from '@apollo/client';

/**
 * The queries that show data other people change. After a live event the ones a page is watching read again;
 * the rest (people, hierarchy, the session) do not move with measures and gates. PortfolioSummary is missing on
 * purpose: its own subscription delivers the new summary whole.
 */
export const LIVE_QUERIES: ReadonlySet<string> = new Set([
  'MeasureList',
  'ScopeRollup',
  'MeasureDetail',
  'MeasureGovernance',
  'DoiBridge',
  'GateRequests',
  'GateReviews',
  'GateReview',
  'SignOffQueue',
  'AuditTrail',
  // A measure's DoI moving to 4 starts its effect check.
  'MeasureTickets',
]);

/**
 * The queries that show ticket groups and tickets: after a `ticketGroupsChanged` event (an import committed a
 * batch, a group was linked or unlinked) the open ones read again. Ticket events do not touch measures and gates,
 * so they leave LIVE_QUERIES alone (a link also fires `measureChanged` for its measure).
 */
export const TICKET_LIVE_QUERIES: ReadonlySet<string> = new Set(['TicketGroups', 'TicketGroup', 'Tickets', 'MeasureTickets']);

/** Refetches the live queries that are open now; answers how many. */
export async function refetchLiveQueries(client: Pick<ApolloClient, 'getObservableQueries'>, names: ReadonlySet<string> = LIVE_QUERIES): Promise<number> {
  const open = [...client.getObservableQueries('active')].filter((q) => q.queryName && names.has(q.queryName));
  await Promise.all(open.map((q) => q.refetch().catch(() => undefined)));
  return open.length;
}
