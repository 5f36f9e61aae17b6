import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { MeasureFilter, MeasureListQueryVariables, MeasureSort, MeasureSortField, MeasureState, SortDirection, Status } from '../../graphql/generated';

/** Everything that decides which measures the list shows; it lives in the URL query so links and reloads keep it. */
export interface MeasureListState {
  scope: string | null;
  search: string;
  doi: number | null;
  state: MeasureState | null;
  owner: string | null;
  implementationStatus: Status | null;
  potentialStatus: Status | null;
  overdue: boolean | null;
  sort: MeasureSortField;
  direction: SortDirection;
  pageSize: number;
  /** The cursor the current page starts after; null on the first page. */
  after: string | null;
  /** 1-based page number, for "51–100 of 64" and the Previous button after a reload. */
  page: number;
}

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_STATE: MeasureListState = {
  scope: null,
  search: '',
  doi: null,
  state: null,
  owner: null,
  implementationStatus: null,
  potentialStatus: null,
  overdue: null,
  sort: 'CODE',
  direction: 'ASC',
  pageSize: 25,
  after: null,
  page: 1,
};

/** URL words for the sort fields, so addresses read well: `?sort=plan&dir=desc`. */
export const SORT_KEYS: Record<MeasureSortField, string> = {
  CODE: 'code',
  TITLE: 'title',
  DOI: 'doi',
  STATE: 'state',
  PLAN_TOTAL: 'plan',
  FORECAST_TOTAL: 'forecast',
  ANNUAL_POTENTIAL: 'potential',
  NEXT_DUE_ON: 'due',
  UPDATED_AT: 'updated',
};
const SORT_BY_KEY = Object.fromEntries(Object.entries(SORT_KEYS).map(([k, v]) => [v, k])) as Record<string, MeasureSortField>;
const STATES: MeasureState[] = ['ACTIVE', 'ON_HOLD', 'CANCELLED', 'CLOSED'];
const STATUSES: Status[] = ['GREEN', 'AMBER', 'RED'];

const one = (v: LocationQuery[string]): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
const oneOf = <T extends string>(v: string | null, allowed: readonly T[]): T | null => {
  const upper = v?.toUpperCase() ?? null;
  return upper && (allowed as readonly string[]).includes(upper) ? (upper as T) : null;
};

/** Reads the URL; anything unknown or malformed falls back to the default rather than failing. */
export function parseListState(query: LocationQuery): MeasureListState {
  const doi = Number(one(query.doi));
  const size = Number(one(query.size));
  const page = Number(one(query.page));
  const overdue = one(query.overdue);
  const after = one(query.after);
  return {
    scope: one(query.scope) || null,
    search: one(query.q)?.slice(0, 200) ?? '',
    doi: Number.isInteger(doi) && doi >= 1 && doi <= 5 ? doi : null,
    state: oneOf(one(query.state), STATES),
    owner: one(query.owner) || null,
    implementationStatus: oneOf(one(query.impl), STATUSES),
    potentialStatus: oneOf(one(query.pot), STATUSES),
    overdue: overdue === 'yes' ? true : overdue === 'no' ? false : null,
    sort: SORT_BY_KEY[one(query.sort) ?? ''] ?? DEFAULT_STATE.sort,
    direction: one(query.dir) === 'desc' ? 'DESC' : 'ASC',
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_STATE.pageSize,
    after: after || null,
    page: after && Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** Writes the URL, leaving defaults out so plain addresses stay plain. */
export function toListQuery(state: MeasureListState): LocationQueryRaw {
  const q: LocationQueryRaw = {};
  if (state.scope) q.scope = state.scope;
  if (state.search.trim()) q.q = state.search.trim();
  if (state.doi !== null) q.doi = String(state.doi);
  if (state.state) q.state = state.state.toLowerCase();
  if (state.owner) q.owner = state.owner;
  if (state.implementationStatus) q.impl = state.implementationStatus.toLowerCase();
  if (state.potentialStatus) q.pot = state.potentialStatus.toLowerCase();
  if (state.overdue !== null) q.overdue = state.overdue ? 'yes' : 'no';
  if (state.sort !== DEFAULT_STATE.sort || state.direction !== DEFAULT_STATE.direction) {
    q.sort = SORT_KEYS[state.sort];
    q.dir = state.direction.toLowerCase();
  }
  if (state.pageSize !== DEFAULT_STATE.pageSize) q.size = String(state.pageSize);
  if (state.after) {
    q.after = state.after;
    q.page = String(state.page);
  }
  return q;
}

/** A filter or sort change starts again at the first page: a cursor belongs to the list it came from. */
export function withChange(state: MeasureListState, change: Partial<MeasureListState>): MeasureListState {
  return { ...state, ...change, after: null, page: 1 };
}

export function toFilter(state: MeasureListState): MeasureFilter {
  const filter: MeasureFilter = {};
  if (state.scope) filter.scopeId = state.scope;
  if (state.search.trim()) filter.search = state.search.trim();
  if (state.doi !== null) filter.doi = state.doi;
  if (state.state) filter.state = state.state;
  if (state.owner) filter.ownerId = state.owner;
  if (state.implementationStatus) filter.implementationStatus = state.implementationStatus;
  if (state.potentialStatus) filter.potentialStatus = state.potentialStatus;
  if (state.overdue !== null) filter.overdue = state.overdue;
  return filter;
}

export function toSort(state: MeasureListState): MeasureSort {
  return { field: state.sort, direction: state.direction };
}

export function toVariables(state: MeasureListState): MeasureListQueryVariables {
  return { filter: toFilter(state), sort: toSort(state), first: state.pageSize, after: state.after };
}

/** Clicking a column header: the same column flips direction, another column sorts ascending. */
export function toggleSort(state: MeasureListState, field: MeasureSortField): MeasureListState {
  const direction: SortDirection = state.sort === field && state.direction === 'ASC' ? 'DESC' : 'ASC';
  return withChange(state, { sort: field, direction });
}

/** How many filters (not scope, not sort) narrow the list, for the "Clear filters" button. */
export function activeFilterCount(state: MeasureListState): number {
  return [
    state.search.trim() !== '',
    state.doi !== null,
    state.state !== null,
    state.owner !== null,
    state.implementationStatus !== null,
    state.potentialStatus !== null,
    state.overdue !== null,
  ].filter(Boolean).length;
}
