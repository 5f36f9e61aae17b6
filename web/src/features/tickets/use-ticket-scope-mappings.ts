import type { ApolloClient, ErrorLike } from '@apollo/client';
import { ErrorCode } from '@gatehouse/shared';
import { computed, reactive, toValue, type MaybeRefOrGetter } from 'vue';
import { describeError, errorCode } from '../../apollo/graphql-errors';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import { DeleteTicketScopeMappingDocument, SaveTicketScopeMappingDocument, TicketScopeMappingsDocument } from '../../graphql/generated';
import { scopeMappingRows, type ScopeMappingDraft } from './ticket-scope-form';
import type { TicketActionOutcome } from './use-tickets';

/**
 * The ticket scope mapping (admins of the organisation only: the query is not sent for anyone else). A change
 * moves stored tickets between scopes, so the ticket lists read again after it.
 */
export function useTicketScopeMappings(enabled: MaybeRefOrGetter<boolean>, options: { client?: ApolloClient } = {}) {
  const client = options.client ?? useApolloClient();
  const query = useQuery(TicketScopeMappingsDocument, () => (toValue(enabled) ? {} : null), { client });
  const busy = reactive({ saving: false, removing: null as string | null });
  const rows = computed(() => (query.data.value ? scopeMappingRows(query.data.value.ticketScopeMappings, query.data.value.orgUnits) : []));
  const units = computed(() => [...(query.data.value?.orgUnits ?? [])].sort((a, b) => a.name.localeCompare(b.name)));
  const failed = (error: ErrorLike | null, what: string): TicketActionOutcome => ({
    ok: false,
    code: errorCode(error),
    message: errorCode(error) === ErrorCode.FORBIDDEN ? `${what} Only admins of the organisation change it.` : `${what} ${describeError(error)}`,
  });
  const refetchTickets = () => client.refetchQueries({ include: ['TicketScopeMappings', 'TicketGroups', 'Tickets', 'TicketGroup'] }).then(() => undefined);

  return {
    query,
    rows,
    units,
    busy,
    async save(draft: ScopeMappingDraft): Promise<TicketActionOutcome> {
      busy.saving = true;
      try {
        const { error } = await runMutation(client, SaveTicketScopeMappingDocument, { input: draft });
        if (error) return failed(error, 'The mapping was not saved.');
        await refetchTickets();
        return { ok: true, code: null, message: '' };
      } finally {
        busy.saving = false;
      }
    },
    async remove(id: string): Promise<TicketActionOutcome> {
      busy.removing = id;
      try {
        const { error } = await runMutation(client, DeleteTicketScopeMappingDocument, { id });
        if (error) return failed(error, 'The mapping was not removed.');
        await refetchTickets();
        return { ok: true, code: null, message: '' };
      } finally {
        busy.removing = null;
      }
    },
  };
}
