import { ref, toValue, type MaybeRefOrGetter } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { nextPaging, previousPaging, toTicketsQuery, withChange, type CursorHistory, type GroupListState, type TicketListState } from './ticket-list-state';

/**
 * A list tab of the tickets page: its filters and page live in the URL; the cursors behind "Previous" live here,
 * so they start over with a new filter or when the tab opens again.
 */
export function useListNavigation<T extends GroupListState | TicketListState>(
  tab: 'groups' | 'tickets',
  state: MaybeRefOrGetter<T>,
  endCursor: MaybeRefOrGetter<string | null | undefined>,
  scope: MaybeRefOrGetter<string | null>,
) {
  const route = useRoute();
  const router = useRouter();
  const history = ref<CursorHistory>({ previous: [] });

  function go(next: T, replace = false) {
    const location = { path: route.path, query: toTicketsQuery(tab, next, toValue(scope)) };
    void (replace ? router.replace(location) : router.push(location));
  }
  function change(patch: Partial<T>, replace = false) {
    history.value = { previous: [] };
    go(withChange(toValue(state), patch), replace);
  }
  function page(direction: 'next' | 'previous' | 'first') {
    const current = toValue(state);
    const end = toValue(endCursor);
    const moved =
      direction === 'next' && end
        ? nextPaging(current, history.value, end)
        : direction === 'previous'
          ? previousPaging(current, history.value)
          : { paging: { after: null, page: 1 }, history: { previous: [] } };
    history.value = moved.history;
    go({ ...current, ...moved.paging });
  }
  return { history, change, page };
}
