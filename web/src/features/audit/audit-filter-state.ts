import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { AuditTrailQueryVariables } from '../../graphql/generated';

/** The audit log's filters; they live in the URL so a filtered view can be linked. */
export interface AuditFilterState {
  entity: string;
  action: string;
  actor: string;
  /** YYYY-MM-DD, whole UTC days. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterState = { entity: '', action: '', actor: '', from: '', to: '' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const one = (v: LocationQuery[string]) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();

export function parseAuditFilter(query: LocationQuery): AuditFilterState {
  const date = (v: string) => (DATE.test(v) && !Number.isNaN(Date.parse(v)) ? v : '');
  return {
    entity: one(query.entity).slice(0, 100),
    action: one(query.action).slice(0, 100),
    actor: one(query.actor).slice(0, 100),
    from: date(one(query.from)),
    to: date(one(query.to)),
  };
}

export function toAuditQuery(state: AuditFilterState): LocationQueryRaw {
  const q: LocationQueryRaw = {};
  for (const key of ['entity', 'action', 'actor', 'from', 'to'] as const) if (state[key]) q[key] = state[key];
  return q;
}

export function auditFilterProblem(state: AuditFilterState): string | null {
  return state.from && state.to && state.from > state.to ? 'The start date must be on or before the end date.' : null;
}

/** The auditTrail variables for the filters, one page of `first` after `after`. */
export function auditVariables(state: AuditFilterState, first: number, after: string | null): AuditTrailQueryVariables {
  return {
    entityId: state.entity || null,
    action: state.action || null,
    actorId: state.actor || null,
    from: state.from ? `${state.from}T00:00:00.000Z` : null,
    to: state.to ? `${state.to}T23:59:59.999Z` : null,
    first,
    after,
  };
}

export const activeAuditFilters = (state: AuditFilterState) => Object.values(state).filter(Boolean).length;

/** The CSV export of the same filters (the server reads the URL's own names), every entry, not one page. */
export function auditCsvHref(state: AuditFilterState): string {
  const params = new URLSearchParams(toAuditQuery(state) as Record<string, string>);
  const query = params.toString();
  return query ? `/audit.csv?${query}` : '/audit.csv';
}
