import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { TicketFilter, TicketGroupFilter, TicketGroupsQueryVariables, TicketsQueryVariables } from '../../graphql/generated';

/**
 * What the tickets page shows lives in the URL query, so links, reloads and the back button keep it:
 * `?tab=tickets&open=yes&q=vpn`. Anything unknown or malformed falls back to the default rather than failing.
 */
export type TicketsTab = 'groups' | 'tickets' | 'import' | 'settings';
export const TICKETS_TABS: readonly TicketsTab[] = ['groups', 'tickets', 'import', 'settings'];

export const GROUPS_PAGE_SIZE = 25;
export const TICKETS_PAGE_SIZE = 25;

export interface Paging {
  /** The cursor the current page starts after; null on the first page. */
  after: string | null;
  /** 1-based, for "26–50 of 411" and Previous after a reload. */
  page: number;
}

export interface GroupListState extends Paging {
  /** Recurring groups only (the default): N tickets within W days. */
  recurringOnly: boolean;
  linked: boolean | null;
  category: string;
  search: string;
}

export type TicketSourceName = 'SERVICENOW' | 'JIRA' | 'GLPI' | 'ZENDESK' | 'CSV';
export const TICKET_SOURCES: readonly TicketSourceName[] = ['SERVICENOW', 'JIRA', 'GLPI', 'ZENDESK', 'CSV'];
export const SOURCE_LABELS: Record<TicketSourceName, string> = { SERVICENOW: 'ServiceNow', JIRA: 'Jira', GLPI: 'GLPI', ZENDESK: 'Zendesk', CSV: 'CSV' };

export interface TicketListState extends Paging {
  source: TicketSourceName | null;
  category: string;
  open: boolean | null;
  breached: boolean | null;
  search: string;
}

const one = (v: LocationQuery[string] | undefined): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
const yesNo = (v: string | null): boolean | null => (v === 'yes' ? true : v === 'no' ? false : null);
const text = (v: string | null, max = 200) => v?.trim().slice(0, max) ?? '';

function parsePaging(query: LocationQuery): Paging {
  const after = one(query.after) || null;
  const page = Number(one(query.page));
  return { after, page: after && Number.isInteger(page) && page > 1 ? page : 1 };
}

function writePaging(q: LocationQueryRaw, paging: Paging): void {
  if (paging.after) {
    q.after = paging.after;
    q.page = String(paging.page);
  }
}

export function parseTab(query: LocationQuery): TicketsTab {
  const tab = one(query.tab);
  return (TICKETS_TABS as readonly string[]).includes(tab ?? '') ? (tab as TicketsTab) : 'groups';
}

export function parseGroupListState(query: LocationQuery): GroupListState {
  return {
    recurringOnly: one(query.all) !== '1',
    linked: yesNo(one(query.linked)),
    category: text(one(query.category)),
    search: text(one(query.q)),
    ...parsePaging(query),
  };
}

export function parseTicketListState(query: LocationQuery): TicketListState {
  const source = one(query.source)?.toUpperCase() ?? '';
  return {
    source: (TICKET_SOURCES as readonly string[]).includes(source) ? (source as TicketSourceName) : null,
    category: text(one(query.category)),
    open: yesNo(one(query.open)),
    breached: yesNo(one(query.breached)),
    search: text(one(query.q)),
    ...parsePaging(query),
  };
}

/** The query for a tab and its state, keeping the chosen scope (navigation carries it everywhere). */
export function toTicketsQuery(tab: TicketsTab, state: GroupListState | TicketListState | null, scope: string | null): LocationQueryRaw {
  const q: LocationQueryRaw = {};
  if (scope) q.scope = scope;
  if (tab !== 'groups') q.tab = tab;
  if (!state) return q;
  if ('recurringOnly' in state) {
    if (!state.recurringOnly) q.all = '1';
    if (state.linked !== null) q.linked = state.linked ? 'yes' : 'no';
  } else {
    if (state.source) q.source = state.source.toLowerCase();
    if (state.open !== null) q.open = state.open ? 'yes' : 'no';
    if (state.breached !== null) q.breached = state.breached ? 'yes' : 'no';
  }
  if (state.category.trim()) q.category = state.category.trim();
  if (state.search.trim()) q.q = state.search.trim();
  writePaging(q, state);
  return q;
}

/** A filter change starts again at the first page: a cursor belongs to the list it came from. */
export function withChange<T extends Paging>(state: T, change: Partial<T>): T {
  return { ...state, ...change, after: null, page: 1 };
}

export function toGroupFilter(state: GroupListState): TicketGroupFilter {
  const filter: TicketGroupFilter = {};
  if (state.recurringOnly) filter.recurringOnly = true;
  if (state.linked !== null) filter.linked = state.linked;
  if (state.category.trim()) filter.category = state.category.trim();
  if (state.search.trim()) filter.search = state.search.trim();
  return filter;
}

export function toGroupVariables(state: GroupListState, first = GROUPS_PAGE_SIZE): TicketGroupsQueryVariables {
  return { filter: toGroupFilter(state), first, after: state.after };
}

export function toTicketFilter(state: Omit<TicketListState, 'after' | 'page'>, groupId?: string): TicketFilter {
  const filter: TicketFilter = {};
  if (groupId) filter.groupId = groupId;
  if (state.source) filter.source = state.source;
  if (state.category.trim()) filter.category = state.category.trim();
  if (state.open !== null) filter.open = state.open;
  if (state.breached !== null) filter.breached = state.breached;
  if (state.search.trim()) filter.search = state.search.trim();
  return filter;
}

export function toTicketVariables(state: TicketListState, groupId?: string, first = TICKETS_PAGE_SIZE): TicketsQueryVariables {
  return { filter: toTicketFilter(state, groupId), first, after: state.after };
}

export function activeGroupFilters(state: GroupListState): number {
  return [state.linked !== null, state.category.trim() !== '', state.search.trim() !== ''].filter(Boolean).length;
}

export function activeTicketFilters(state: TicketListState): number {
  return [state.source !== null, state.category.trim() !== '', state.open !== null, state.breached !== null, state.search.trim() !== ''].filter(Boolean).length;
}

export const EMPTY_TICKET_FILTERS: Omit<TicketListState, 'after' | 'page'> = { source: null, category: '', open: null, breached: null, search: '' };

/**
 * Cursor paging with Previous: the cursors of the pages before this one are remembered while the list stays the
 * same. After a reload only "First page" is known (a cursor cannot be walked backwards).
 */
export interface CursorHistory {
  previous: (string | null)[];
}

export function nextPaging(current: Paging, history: CursorHistory, endCursor: string): { paging: Paging; history: CursorHistory } {
  return { paging: { after: endCursor, page: current.page + 1 }, history: { previous: [...history.previous, current.after] } };
}

export function previousPaging(current: Paging, history: CursorHistory): { paging: Paging; history: CursorHistory } {
  const stack = [...history.previous];
  if (!stack.length) return { paging: { after: null, page: 1 }, history: { previous: [] } };
  const after = stack.pop() ?? null;
  return { paging: { after, page: after ? Math.max(1, current.page - 1) : 1 }, history: { previous: stack } };
}
