import type { ApolloClient, ErrorLike, OperationVariables, TypedDocumentNode } from '@apollo/client';
import { ErrorCode } from '@gatehouse/shared';
import { computed, reactive, toValue, type MaybeRefOrGetter } from 'vue';
import { describeError, errorCode, type ClientErrorCode } from '../../apollo/graphql-errors';
import { runMutation, useApolloClient, useQuery, type QueryState } from '../../apollo/use-apollo';
import {
  CreateMeasureFromTicketGroupDocument,
  CreateMeasureOptionsDocument,
  LinkTicketGroupDocument,
  MeasurePickerDocument,
  MeasureTicketsDocument,
  ReapplySlaPoliciesDocument,
  SaveServiceCategoryDocument,
  SetSlaPolicyDocument,
  TicketGroupDocument,
  TicketGroupsDocument,
  TicketsDocument,
  TicketSettingsDocument,
  UnlinkTicketGroupDocument,
  UpdateTicketSettingsDocument,
  type MeasureFilter,
  type MeasurePickerQuery,
  type MeasureTicketsQuery,
  type TicketGroupQuery,
  type TicketGroupRowFieldsFragment,
  type TicketPriority,
  type TicketRowFieldsFragment,
  type TicketSettingsInput,
  type TicketSettingsQuery,
  type TicketsQueryVariables,
} from '../../graphql/generated';
import { refetchLiveQueries } from '../live/live-queries';
import { PRIORITY_ORDER } from './ticket-format';
import { toGroupVariables, type GroupListState } from './ticket-list-state';

/** One page of a connection, as the tables show it. */
export interface ConnectionPage<T> {
  rows: T[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Pure: the page a connection answer holds. */
export function toConnectionPage<T>(
  connection: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] } | undefined,
): ConnectionPage<T> | undefined {
  if (!connection) return undefined;
  return {
    rows: connection.edges.map((e) => e.node),
    totalCount: connection.totalCount,
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor ?? null,
  };
}

const derived = <TData, T>(query: QueryState<TData>, map: (data: TData | undefined) => T | undefined): QueryState<T> => ({
  loading: query.loading,
  error: query.error,
  data: computed(() => map(query.data.value)),
  refetch: query.refetch,
});

export type TicketGroupRow = TicketGroupRowFieldsFragment;
export type TicketRow = TicketRowFieldsFragment;

/** One page of ticket groups for the list state in the URL; null pauses (another tab is open). */
export function useTicketGroups(state: MaybeRefOrGetter<GroupListState | null>, client?: ApolloClient): QueryState<ConnectionPage<TicketGroupRow>> {
  const query = useQuery(
    TicketGroupsDocument,
    () => {
      const s = toValue(state);
      return s ? toGroupVariables(s) : null;
    },
    { client },
  );
  return derived(query, (d) => toConnectionPage(d?.ticketGroups));
}

/** One page of tickets; the variables come from the tickets tab or a group's page. */
export function useTickets(variables: MaybeRefOrGetter<TicketsQueryVariables | null>, client?: ApolloClient): QueryState<ConnectionPage<TicketRow>> {
  const query = useQuery(TicketsDocument, variables, { client });
  return derived(query, (d) => toConnectionPage(d?.tickets));
}

export type TicketGroupDetail = TicketGroupQuery['ticketGroup'];

/** One group with its trend over `months` and its effect checks. */
export function useTicketGroup(id: MaybeRefOrGetter<string>, months: MaybeRefOrGetter<number>, client?: ApolloClient): QueryState<TicketGroupDetail> {
  const query = useQuery(TicketGroupDocument, () => ({ id: toValue(id), months: toValue(months) }), { client });
  return derived(query, (d) => d?.ticketGroup);
}

export interface MeasureTickets {
  measure: NonNullable<MeasureTicketsQuery['measure']>;
  /** W: the effect check compares the W days before DoI 4 with up to W days after. */
  windowDays: number;
}

/** The measure page's linked groups and effect checks; null when the measure is gone. */
export function useMeasureTickets(id: MaybeRefOrGetter<string>, months = 12, client?: ApolloClient): QueryState<MeasureTickets | null> {
  const query = useQuery(MeasureTicketsDocument, () => ({ id: toValue(id), months }), { client });
  return derived(query, (d) => (d ? (d.measure ? { measure: d.measure, windowDays: d.organisation.recurringWindowDays } : null) : undefined));
}

export interface TicketSettings {
  organisation: TicketSettingsQuery['organisation'];
  /** In priority order, 1 (critical) first. */
  slaPolicies: TicketSettingsQuery['slaPolicies'];
  categories: TicketSettingsQuery['serviceCategories'];
}

/** Pure: the settings with the policies in the order people read priorities. */
export function toTicketSettings(data: TicketSettingsQuery | undefined): TicketSettings | undefined {
  if (!data) return undefined;
  const rank = (p: TicketPriority) => PRIORITY_ORDER.indexOf(p);
  return {
    organisation: data.organisation,
    // Each priority's default first, then its category policies by name.
    slaPolicies: [...data.slaPolicies].sort(
      (a, b) => rank(a.priority) - rank(b.priority) || Number(Boolean(a.category)) - Number(Boolean(b.category)) || (a.category?.name ?? '').localeCompare(b.category?.name ?? ''),
    ),
    categories: [...data.serviceCategories].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Recurring threshold and window, cost per ticket, SLA policies and the service categories. */
export function useTicketSettings(client?: ApolloClient): QueryState<TicketSettings> {
  return derived(useQuery(TicketSettingsDocument, {}, { client }), toTicketSettings);
}

export type MeasureCandidate = MeasurePickerQuery['measures']['edges'][number]['node'];

/** Measures matching the picker's search; null pauses it (the picker is closed or the search too short). */
export function useMeasurePicker(filter: MaybeRefOrGetter<MeasureFilter | null>, client?: ApolloClient): QueryState<{ rows: MeasureCandidate[]; totalCount: number }> {
  const query = useQuery(
    MeasurePickerDocument,
    () => {
      const f = toValue(filter);
      return f ? { filter: f, first: 8 } : null;
    },
    { client, fetchPolicy: 'network-only' },
  );
  return derived(query, (d) => (d ? { rows: d.measures.edges.map((e) => e.node), totalCount: d.measures.totalCount } : undefined));
}

export interface PackageOption {
  id: string;
  name: string;
}
export interface ProgramPackages {
  programId: string;
  programName: string;
  packages: PackageOption[];
}

/** Packages grouped by program, both by name, for the package picker. */
export function packagesByProgram(programs: readonly { id: string; name: string }[], packages: readonly { id: string; name: string; programId: string }[]): ProgramPackages[] {
  const names = new Map(programs.map((p) => [p.id, p.name]));
  const groups = new Map<string, ProgramPackages>();
  for (const k of packages) {
    const group = groups.get(k.programId) ?? { programId: k.programId, programName: names.get(k.programId) ?? 'Other program', packages: [] };
    group.packages.push({ id: k.id, name: k.name });
    groups.set(k.programId, group);
  }
  for (const g of groups.values()) g.packages.sort((a, b) => a.name.localeCompare(b.name));
  return [...groups.values()].sort((a, b) => a.programName.localeCompare(b.programName));
}

export function useCreateMeasureOptions(client?: ApolloClient): QueryState<ProgramPackages[]> {
  return derived(useQuery(CreateMeasureOptionsDocument, {}, { client, fetchPolicy: 'cache-first' }), (d) => (d ? packagesByProgram(d.programs, d.measurePackages) : undefined));
}

export interface TicketActionOutcome {
  ok: boolean;
  code: ClientErrorCode | null;
  /** A sentence for the person when it failed. */
  message: string;
}

export interface SlaReapplyOutcome extends TicketActionOutcome {
  /** Open tickets whose due times changed. */
  ticketsChanged: number;
}

/** What a failed group action says, by code. */
export function groupActionMessage(error: ErrorLike | null, what: string): string {
  switch (errorCode(error)) {
    case ErrorCode.CONFLICT:
      return `${what} It is linked already.`;
    case ErrorCode.FORBIDDEN:
      return `${what} Only the measure’s owner, the steering committee or an admin in its scope may do this.`;
    case ErrorCode.NOT_FOUND:
      return `${what} The group, measure or package no longer exists.`;
    default:
      return `${what} ${describeError(error)}`;
  }
}

export type TicketGroupAction = 'link' | 'unlink' | 'createMeasure';

/** Reads the named queries again where a page has them open; closed ones read fresh when they open. */
const refetchOpen = (client: ApolloClient, names: string[]) => refetchLiveQueries(client, new Set(names));

/**
 * Linking, unlinking and making a measure from a group. The mutations answer the group with its links, which
 * lands in the cache; the open group pages then read again (their trend and effect checks may have moved).
 */
export function useTicketGroupActions(options: { client?: ApolloClient } = {}) {
  const client = options.client ?? useApolloClient();
  const busy = reactive<Partial<Record<TicketGroupAction, boolean>>>({});

  async function act<TData, TVariables extends OperationVariables>(
    action: TicketGroupAction,
    mutation: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    what: string,
  ): Promise<TicketActionOutcome & { data: TData | null }> {
    busy[action] = true;
    try {
      const { data, error } = await runMutation(client, mutation, variables);
      if (error) return { ok: false, code: errorCode(error), message: groupActionMessage(error, what), data: null };
      await refetchOpen(client, ['TicketGroup', 'MeasureTickets']);
      return { ok: true, code: null, message: '', data };
    } finally {
      busy[action] = false;
    }
  }

  return {
    busy,
    link: (groupId: string, measureId: string) => act('link', LinkTicketGroupDocument, { groupId, measureId }, 'The group was not linked.'),
    unlink: (groupId: string, measureId: string) => act('unlink', UnlinkTicketGroupDocument, { groupId, measureId }, 'The link was not removed.'),
    async createMeasure(groupId: string, packageId: string, ownerId: string): Promise<TicketActionOutcome & { measureId: string | null }> {
      const outcome = await act('createMeasure', CreateMeasureFromTicketGroupDocument, { groupId, packageId, ownerId }, 'The measure was not created.');
      return { ...outcome, measureId: outcome.data?.createMeasureFromTicketGroup.id ?? null };
    },
  };
}

export interface SlaPolicyDraft {
  priority: TicketPriority;
  /** A service category's name; empty for the priority's default. */
  category: string;
  responseMinutes: number;
  resolutionMinutes: number;
}

/** Saving the ticket settings and SLA policies (admins). */
export function useTicketSettingsActions(options: { client?: ApolloClient } = {}) {
  const client = options.client ?? useApolloClient();
  const busy = reactive({ settings: false, sla: false, reapply: false });

  const failed = (error: ErrorLike | null, what: string): TicketActionOutcome => ({
    ok: false,
    code: errorCode(error),
    message: errorCode(error) === ErrorCode.FORBIDDEN ? `${what} Only admins of the organisation change it.` : `${what} ${describeError(error)}`,
  });

  return {
    busy,
    async saveSettings(input: TicketSettingsInput): Promise<TicketActionOutcome> {
      busy.settings = true;
      try {
        const { error } = await runMutation(client, UpdateTicketSettingsDocument, { input });
        if (error) return failed(error, 'The settings were not saved.');
        // A new threshold or window makes other groups recurring: the lists read again.
        await refetchOpen(client, ['TicketGroups', 'TicketGroup', 'TicketSettings']);
        return { ok: true, code: null, message: '' };
      } finally {
        busy.settings = false;
      }
    },
    async setSlaPolicy(draft: SlaPolicyDraft, categories: readonly { id: string; name: string }[]): Promise<TicketActionOutcome> {
      busy.sla = true;
      try {
        let categoryId: string | null = null;
        const name = draft.category.trim();
        if (name) {
          // Policies hang on service categories, matched to tickets by name; a new name becomes a category.
          categoryId = categories.find((c) => c.name.toLowerCase() === name.toLowerCase())?.id ?? null;
          if (!categoryId) {
            const saved = await runMutation(client, SaveServiceCategoryDocument, { input: { name } });
            if (saved.error || !saved.data) return failed(saved.error, 'The category was not saved.');
            categoryId = saved.data.saveServiceCategory.id;
          }
        }
        const { error } = await runMutation(client, SetSlaPolicyDocument, {
          input: { priority: draft.priority, categoryId, responseMinutes: draft.responseMinutes, resolutionMinutes: draft.resolutionMinutes },
        });
        if (error) return failed(error, 'The SLA policy was not saved.');
        await refetchOpen(client, ['TicketSettings']);
        return { ok: true, code: null, message: '' };
      } finally {
        busy.sla = false;
      }
    },
    /** The current policies applied to open tickets, which otherwise keep the SLA they were opened under. */
    async reapplySlaPolicies(): Promise<SlaReapplyOutcome> {
      busy.reapply = true;
      try {
        const { data, error } = await runMutation(client, ReapplySlaPoliciesDocument, {});
        if (error || !data) return { ...failed(error, 'The SLA policies were not re-applied.'), ticketsChanged: 0 };
        // Due times moved: breach counts of the open lists change (the server announces it too).
        await refetchOpen(client, ['TicketGroups', 'TicketGroup', 'Tickets']);
        return { ok: true, code: null, message: '', ticketsChanged: data.reapplySlaPolicies.ticketsChanged };
      } finally {
        busy.reapply = false;
      }
    },
  };
}
