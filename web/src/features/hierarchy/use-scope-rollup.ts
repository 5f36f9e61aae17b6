import type { Money } from '@gatehouse/shared';
import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { useQuery, type QueryState } from '../../apollo/use-apollo';
import { ScopeRollupDocument, type ScopeRollupQuery } from '../../graphql/generated';

export interface ScopeRollup {
  measures: number;
  overdue: number;
  red: number;
  plan: Money;
  forecast: Money;
  actual: Money;
  riskWeighted: Money;
}

export function toScopeRollup(data: ScopeRollupQuery | undefined): ScopeRollup | undefined {
  const s = data?.portfolioSummary;
  if (!s) return undefined;
  return {
    measures: s.measureCount,
    overdue: s.overdueCount,
    red: s.byImplementationStatus.find((b) => b.status === 'RED')?.count ?? 0,
    plan: s.totalPlan,
    forecast: s.totalForecast,
    actual: s.totalActual,
    riskWeighted: s.totalRiskWeightedPotential,
  };
}

/** Counts and values below one node of the hierarchy: its portfolio summary. */
export function useScopeRollup(scopeId: MaybeRefOrGetter<string>): QueryState<ScopeRollup> {
  const query = useQuery(ScopeRollupDocument, () => ({ scopeId: toValue(scopeId) }));
  return { ...query, data: computed(() => toScopeRollup(query.data.value)) };
}
