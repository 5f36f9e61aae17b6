import { isAllowed, TicketScopeRules, type TicketScopeField } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import { forbidden } from '../../common/domain-error.js';
import type { EventOf } from '../../events/event-bus.js';
import { MAX_EVENT_BYTES } from '../../events/remote-event-bus.js';
import type { Actor } from '../access/index.js';
import { OPEN_SQL } from './ticket-sql.js';

/**
 * Ticket scope on the server (the rule: shared/src/tickets/ticket-scope.ts). A ticket stores the org unit it
 * belongs to (`ticket.org_unit_id`, null: the organisation); reads filter by the reader's grants in SQL, so a
 * page costs no statement more for a scoped reader than for an admin.
 */

/** Whom a reader's ticket reads are limited to: everything (a role on the organisation) or the units below grants. */
export type TicketReadScope = { all: true } | { all: false; grantedScopeIds: string[] };

export function ticketReadScope(actor: Actor): TicketReadScope {
  if (isAllowed('tickets.read', actor, { path: [actor.organisation.id] })) return { all: true };
  // (Not access's grantedScopeIds: a value import of its index loads the decorated GraphQL types, which this
  // rule, unit-tested on its own, does not need.)
  return { all: false, grantedScopeIds: [...new Set(actor.grants.map((g) => g.scopeId))] };
}

/**
 * SQL condition: the ticket aliased `alias` lies in an org unit at or below one of the granted scopes (the
 * unit's path names them). Unmapped tickets belong to the organisation and never match. `param` is the
 * placeholder of a uuid[] of the granted scope ids (`:name` for the query builder, `$n` for raw SQL).
 */
export function ticketInScopeSql(alias: string, param: string): string {
  return `${alias}.org_unit_id IN (SELECT su.id FROM org_unit su WHERE su.path && CAST(${param} AS uuid[]))`;
}

export interface ScopeMappingRow {
  field: TicketScopeField;
  value: string;
  orgUnitId: string;
  /** Scope ids from the organisation down to the mapped unit. */
  path: string[];
}

/** The organisation's mapping, with each unit's path (for the live events' scopes): one statement per import batch. */
export async function loadTicketScopes(manager: EntityManager, organisationId: string): Promise<{ rules: TicketScopeRules; paths: Map<string, string[]> }> {
  const rows: ScopeMappingRow[] = await manager.query(
    `SELECT m.field, m.value, m.org_unit_id AS "orgUnitId", u.path FROM ticket_scope_mapping m JOIN org_unit u ON u.id = m.org_unit_id WHERE m.organisation_id = $1`,
    [organisationId],
  );
  return { rules: new TicketScopeRules(rows), paths: new Map(rows.map((r) => [r.orgUnitId, r.path])) };
}

/**
 * Re-applies the mapping to every ticket of the organisation whose scope it changes, in one statement (the
 * same precedence as TicketScopeRules: assignment group, then requesting unit). Returns the groups whose
 * tickets moved and the scope ids of the units they left or entered (for the live event).
 */
export async function reapplyTicketScopes(manager: EntityManager, organisationId: string): Promise<{ moved: number; groupIds: string[]; scopeIds: string[] }> {
  const [row]: { moved: number; group_ids: string[]; scope_ids: string[] }[] = await manager.query(
    `WITH m AS (SELECT field, lower(btrim(value)) AS key, org_unit_id FROM ticket_scope_mapping WHERE organisation_id = $1),
          target AS (
            SELECT t.id, coalesce(ag.org_unit_id, ru.org_unit_id) AS unit, t.org_unit_id AS old_unit
              FROM ticket t
              LEFT JOIN m ag ON ag.field = 'ASSIGNMENT_GROUP' AND ag.key = lower(btrim(t.assignment_group))
              LEFT JOIN m ru ON ru.field = 'REQUESTING_UNIT' AND ru.key = lower(btrim(t.requesting_unit))
             WHERE t.organisation_id = $1),
          moved AS (
            UPDATE ticket t SET org_unit_id = x.unit FROM target x
             WHERE t.id = x.id AND t.org_unit_id IS DISTINCT FROM x.unit
            RETURNING t.group_id, x.unit, x.old_unit)
     SELECT (SELECT count(*)::int FROM moved) AS moved,
            (SELECT coalesce(array_agg(DISTINCT group_id), '{}') FROM moved) AS group_ids,
            (SELECT coalesce(array_agg(DISTINCT p), '{}') FROM org_unit u CROSS JOIN LATERAL unnest(u.path) p
              WHERE u.id IN (SELECT unit FROM moved UNION SELECT old_unit FROM moved)) AS scope_ids`,
    [organisationId],
  );
  // Tickets that became (or stopped being) unmapped concern the organisation's readers.
  return { moved: row.moved, groupIds: row.group_ids, scopeIds: row.moved > 0 ? [...new Set([organisationId, ...row.scope_ids])] : [] };
}

/** The scope ids (the union of their paths) of every ticket of these groups (or all): who may see a change to them. */
export async function scopeIdsOfGroups(manager: EntityManager, organisationId: string, groupIds: string[] | 'all'): Promise<string[]> {
  if (groupIds !== 'all' && groupIds.length === 0) return [];
  const [row]: { scope_ids: string[] }[] = await manager.query(
    `WITH units AS (SELECT DISTINCT org_unit_id FROM ticket WHERE organisation_id = $1 AND ($2::uuid[] IS NULL OR group_id = ANY(CAST($2 AS uuid[]))))
     SELECT (SELECT coalesce(array_agg(DISTINCT p), '{}') FROM org_unit u CROSS JOIN LATERAL unnest(u.path) p WHERE u.id IN (SELECT org_unit_id FROM units)) AS scope_ids`,
    [organisationId, groupIds === 'all' ? null : groupIds],
  );
  // The organisation's id is on every path: its readers hear of every change.
  return [...new Set([organisationId, ...row.scope_ids])];
}

/**
 * Whether a subscriber may receive a ticketGroupsChanged event: it names the scopes of the tickets it is about
 * (the union of their paths), and a role on any of them covers at least one of those tickets. An event without
 * scopes (published before this rule) goes to the organisation's readers only.
 */
export function mayReceiveTicketEvent(actor: Actor, event: EventOf<'ticketGroupsChanged'>): boolean {
  // A grant on an id of a ticket scope's path is a role on that scope or above it: it covers the ticket.
  const scopeIds = new Set(event.scopeIds ?? [event.organisationId]);
  return actor.grants.some((g) => scopeIds.has(g.scopeId));
}

/** The event's ticket counts a subscriber may know: per ticket scope, summed over the scopes they read. */
export function visibleCounts(actor: Actor, event: EventOf<'ticketGroupsChanged'>): { inserted: number; updated: number } {
  if (!event.counts) return isAllowed('tickets.read', actor, { path: [event.organisationId] }) ? { inserted: event.inserted, updated: event.updated } : { inserted: 0, updated: 0 };
  let inserted = 0;
  let updated = 0;
  for (const c of event.counts) {
    if (isAllowed('tickets.read', actor, { path: c.path })) {
      inserted += c.inserted;
      updated += c.updated;
    }
  }
  return { inserted, updated };
}

/** The reader's ticket scope; FORBIDDEN for someone holding no role at all (they read no ticket anywhere). */
export function requireTicketReader(actor: Actor): TicketReadScope {
  const scope = ticketReadScope(actor);
  if (!scope.all && scope.grantedScopeIds.length === 0) throw forbidden('You may not read tickets (tickets.read)');
  return scope;
}

/**
 * A subquery of the tickets per group that a scoped reader may see (group_id, n, open), for joining to
 * ticket_group. `where` narrows the tickets (aliased t: their organisation or groups); `scopeParam` is the
 * placeholder of the granted scope ids.
 */
export function scopedGroupCountsSql(where: string, scopeParam: string): string {
  return `SELECT t.group_id, count(*)::int AS n, (count(*) FILTER (WHERE ${OPEN_SQL}))::int AS open
            FROM ticket t WHERE ${where} AND ${ticketInScopeSql('t', scopeParam)} GROUP BY t.group_id`;
}

/** Leaves room for the envelope around an event (remote-event-bus.ts allows MAX_EVENT_BYTES in all). */
const TICKET_EVENT_BUDGET = MAX_EVENT_BYTES - 200;

/**
 * Keeps a ticketGroupsChanged event within a NOTIFY payload. The scopes decide who receives it and always stay;
 * the group ids go first (open lists read again anyway), then the per-scope counts (scoped subscribers then
 * hear of the change with counts of 0, never with counts of others' tickets).
 */
export function boundedTicketEvent(event: EventOf<'ticketGroupsChanged'>): EventOf<'ticketGroupsChanged'> {
  const size = (e: EventOf<'ticketGroupsChanged'>) => Buffer.byteLength(JSON.stringify(e));
  if (size(event) <= TICKET_EVENT_BUDGET) return event;
  const bounded = { ...event, groupIds: [...event.groupIds] };
  while (bounded.groupIds.length > 0 && size(bounded) > TICKET_EVENT_BUDGET) bounded.groupIds.pop();
  if (size(bounded) > TICKET_EVENT_BUDGET) delete bounded.counts;
  return bounded;
}
