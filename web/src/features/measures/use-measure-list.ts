import { computed, type ComputedRef, type MaybeRefOrGetter, toValue } from 'vue';
import { useQuery, type QueryState } from '../../apollo/use-apollo';
import {
  AssignablePeopleDocument,
  MeasureListDocument,
  PeopleDocument,
  type MeasureListQuery,
  type MeasureRowFieldsFragment,
  type PeopleQuery,
  type PersonDuty,
} from '../../graphql/generated';
import { toVariables, type MeasureListState } from './measure-list-state';

export interface MeasureListPage {
  rows: MeasureRowFieldsFragment[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Pure: the page a MeasureList answer holds. */
export function toMeasureListPage(data: MeasureListQuery | undefined): MeasureListPage | undefined {
  if (!data) return undefined;
  const { edges, totalCount, pageInfo } = data.measures;
  return { rows: edges.map((e) => e.node), totalCount, hasNextPage: pageInfo.hasNextPage, endCursor: pageInfo.endCursor ?? null };
}

/** One page of the measures list for the state in the URL. */
export function useMeasureList(state: MaybeRefOrGetter<MeasureListState>): QueryState<MeasureListPage> {
  const query = useQuery(MeasureListDocument, () => toVariables(toValue(state)));
  const data = computed(() => toMeasureListPage(query.data.value));
  return { loading: query.loading, error: query.error, data, refetch: query.refetch };
}

export type Person = PeopleQuery['users'][number];

/** The organisation's people, for owner, sponsor and controller pickers. */
export function usePeople(): QueryState<PeopleQuery> & { people: ComputedRef<Person[]> } {
  const query = useQuery(PeopleDocument, {}, { fetchPolicy: 'cache-first' });
  const people = computed(() => [...(query.data.value?.users ?? [])].sort((a, b) => a.name.localeCompare(b.name)));
  return { ...query, people };
}

/**
 * The people the server accepts for a duty on a scope (sponsor or controller on a measure's package, chair of a
 * review): pickers offer these, so the page never proposes what the server refuses. Waits while the scope is unknown.
 */
export function useAssignablePeople(scopeId: MaybeRefOrGetter<string | null | undefined>, duty: PersonDuty): ComputedRef<Person[] | undefined> {
  const query = useQuery(AssignablePeopleDocument, () => {
    const id = toValue(scopeId);
    return id ? { scopeId: id, duty } : null;
  });
  return computed(() => query.data.value?.assignablePeople.filter((p) => p.active));
}
