import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { Status } from '../../graphql/generated';
import { DEFAULT_STATE, toListQuery, withChange, type MeasureListState } from '../measures/measure-list-state';
import type { StatusRow } from './portfolio-charts';

/** The measures list behind a figure of the portfolio: the same scope, one filter. */
export function measuresQuery(scope: string | null, filter: Partial<MeasureListState>): LocationQueryRaw {
  return toListQuery(withChange({ ...DEFAULT_STATE, scope }, filter));
}

export const doiQuery = (scope: string | null, doi: number) => measuresQuery(scope, { doi });
export const overdueQuery = (scope: string | null) => measuresQuery(scope, { overdue: true });
export function statusQuery(scope: string | null, row: StatusRow['key'], status: Status): LocationQueryRaw {
  return measuresQuery(scope, row === 'implementation' ? { implementationStatus: status } : { potentialStatus: status });
}

export interface BridgeRange {
  /** YYYY-MM-DD, read as whole UTC days. */
  from: string;
  to: string;
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The last quarter by default: what moved in the past 90 days. */
export function defaultBridgeRange(today: Date): BridgeRange {
  return { from: isoDay(new Date(today.getTime() - 90 * DAY)), to: isoDay(today) };
}

/** The range in the URL (`?from=&to=`), falling back to the default for anything missing or malformed. */
export function parseBridgeRange(query: LocationQuery, today: Date): BridgeRange {
  const fallback = defaultBridgeRange(today);
  const one = (v: LocationQuery[string]) => (Array.isArray(v) ? v[0] : v) ?? '';
  const from = one(query.from);
  const to = one(query.to);
  return {
    from: DATE.test(from) && !Number.isNaN(Date.parse(from)) ? from : fallback.from,
    to: DATE.test(to) && !Number.isNaN(Date.parse(to)) ? to : fallback.to,
  };
}

/** Why a range cannot be asked for, or null. */
export function bridgeRangeProblem(range: BridgeRange): string | null {
  if (!DATE.test(range.from) || !DATE.test(range.to)) return 'Choose both dates.';
  if (range.from > range.to) return 'The start date must be on or before the end date.';
  return null;
}

/** From the start of the first day to the end of the last, in UTC like every date of the app. */
export function bridgeVariables(scopeId: string | null, range: BridgeRange) {
  return { scopeId, from: `${range.from}T00:00:00.000Z`, to: `${range.to}T23:59:59.999Z` };
}
