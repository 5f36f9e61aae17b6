import { computed, reactive } from 'vue';
import { describeError } from '../../apollo/graphql-errors';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import { CreateApiTokenDocument, ApiTokensDocument, RevokeApiTokenDocument, type ApiTokenFieldsFragment } from '../../graphql/generated';
import type { ApiTokenDraft } from './api-token-form';

export type ApiTokenRow = ApiTokenFieldsFragment;
export type ApiTokenOutcome = { ok: true; token?: string } | { ok: false; message: string };

/** The signed-in person's own API tokens: list, create (the token comes back once), revoke. */
export function useApiTokens() {
  const client = useApolloClient();
  const query = useQuery(ApiTokensDocument, {});
  const busy = reactive({ creating: false, revoking: null as string | null });
  return {
    query,
    busy,
    tokens: computed(() => query.data.value?.myApiTokens ?? []),
    async create(draft: ApiTokenDraft): Promise<ApiTokenOutcome> {
      busy.creating = true;
      try {
        const { data, error } = await runMutation(client, CreateApiTokenDocument, { input: draft });
        if (error || !data) return { ok: false, message: `The token was not created. ${describeError(error)}` };
        await query.refetch();
        return { ok: true, token: data.createApiToken.token };
      } finally {
        busy.creating = false;
      }
    },
    async revoke(id: string): Promise<ApiTokenOutcome> {
      busy.revoking = id;
      try {
        const { error } = await runMutation(client, RevokeApiTokenDocument, { id });
        if (error) return { ok: false, message: `The token was not revoked. ${describeError(error)}` };
        await query.refetch();
        return { ok: true };
      } finally {
        busy.revoking = null;
      }
    },
  };
}
