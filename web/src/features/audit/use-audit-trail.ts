import { computed, ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useQuery } from '../../apollo/use-apollo';
import { AuditTrailDocument, type AuditTrailQuery } from '../../graphql/generated';
import { auditVariables, type AuditFilterState } from './audit-filter-state';

export type AuditEntry = AuditTrailQuery['auditTrail']['edges'][number]['node'];

/**
 * One page of the audit trail (newest first) for some filters, with Next and Previous over cursors. Changing the
 * filters goes back to the first page. Live events refresh the page shown.
 */
export function useAuditTrail(filter: MaybeRefOrGetter<AuditFilterState | null>, pageSize = 25) {
  /** Cursors the pages so far started after; the last is the current page's. */
  const cursors = ref<(string | null)[]>([null]);
  const after = computed(() => cursors.value[cursors.value.length - 1] ?? null);
  watch(
    () => JSON.stringify(toValue(filter)),
    () => (cursors.value = [null]),
  );
  const query = useQuery(AuditTrailDocument, () => {
    const f = toValue(filter);
    return f ? auditVariables(f, pageSize, after.value) : null;
  });
  const page = computed(() => {
    const data = query.data.value?.auditTrail;
    if (!data) return undefined;
    return { entries: data.edges.map((e) => e.node), totalCount: data.totalCount, hasNextPage: data.pageInfo.hasNextPage, endCursor: data.pageInfo.endCursor ?? null };
  });
  return {
    loading: query.loading,
    error: query.error,
    data: page,
    refetch: query.refetch,
    pageNumber: computed(() => cursors.value.length),
    pageSize,
    next() {
      const end = page.value?.endCursor;
      if (end && page.value?.hasNextPage) cursors.value = [...cursors.value, end];
    },
    previous() {
      if (cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1);
    },
    first() {
      cursors.value = [null];
    },
  };
}
