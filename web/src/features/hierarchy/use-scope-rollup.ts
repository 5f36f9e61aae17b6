import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { useQuery, type QueryState } from '../../apollo/use-apollo';
import { ScopeRollupDocument, type ScopeRollupQuery } from '../../graphql/generated';

export interface ScopeRollup {
  measures: number;
  overdue: number;
  red: number;
}

export function toScopeRollup(data: ScopeRollupQuery | undefined): ScopeRollup | undefined {
  return data ? { measures: data.all.totalCount, overdue: data.overdue.totalCount, red: data.red.totalCount } : undefined;
}

/** Measure counts below one node of the hierarchy. */
export function useScopeRollup(scopeId: MaybeRefOrGetter<string>): QueryState<ScopeRollup> {
  const query = useQuery(ScopeRollupDocument, () => ({ scopeId: toValue(scopeId) }));
  return { ...query, data: computed(() => toScopeRollup(query.data.value)) };
}
