import { computed, onScopeDispose, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useApolloClient, useQuery, type QueryState } from '../../apollo/use-apollo';
import {
  DoiBridgeDocument,
  PortfolioSummaryChangedDocument,
  PortfolioSummaryDocument,
  type DoiBridgeQuery,
  type PortfolioSummaryFieldsFragment,
} from '../../graphql/generated';
import { bridgeRangeProblem, bridgeVariables, type BridgeRange } from './portfolio-links';

/**
 * The portfolio summary of a scope, kept current by `portfolioSummaryChanged`: each event carries the whole new
 * summary, which lands in the cache under its scopeId and so replaces what the page shows without a request.
 */
export function usePortfolioSummary(scopeId: MaybeRefOrGetter<string | null>): QueryState<PortfolioSummaryFieldsFragment> {
  const client = useApolloClient();
  const query = useQuery(PortfolioSummaryDocument, () => ({ scopeId: toValue(scopeId) }));
  let live: { unsubscribe(): void } | null = null;
  watch(
    () => toValue(scopeId),
    (scope) => {
      live?.unsubscribe();
      live = client.subscribe({ query: PortfolioSummaryChangedDocument, variables: { scopeId: scope } }).subscribe({ next: () => undefined, error: () => undefined });
    },
    { immediate: true },
  );
  onScopeDispose(() => live?.unsubscribe());
  return { ...query, data: computed(() => query.data.value?.portfolioSummary) };
}

/** The DoI bridge for a scope and a date range; paused while the range is not valid. */
export function useDoiBridge(scopeId: MaybeRefOrGetter<string | null>, range: MaybeRefOrGetter<BridgeRange>): QueryState<DoiBridgeQuery['doiBridge']> {
  const query = useQuery(DoiBridgeDocument, () => (bridgeRangeProblem(toValue(range)) ? null : bridgeVariables(toValue(scopeId), toValue(range))));
  return { ...query, data: computed(() => query.data.value?.doiBridge) };
}
