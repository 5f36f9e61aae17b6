import { computed } from 'vue';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import { SignOffClosureDocument, SignOffQueueDocument, type SignOffQueueQuery } from '../../graphql/generated';
import { refusal } from '../gates/decision-form';
import type { SignOffForm } from '../governance/sign-off-form';

export type QueueMeasure = SignOffQueueQuery['signOffQueue'][number];

/** The DoI-4 measures waiting for the caller's sign-off (closure requests first), and the sign-off itself. */
export function useSignOffQueue() {
  const client = useApolloClient();
  const query = useQuery(SignOffQueueDocument, {});
  return {
    ...query,
    data: computed(() => query.data.value?.signOffQueue),
    async signOff(measureId: string, form: SignOffForm) {
      const { error } = await runMutation(client, SignOffClosureDocument, {
        measureId,
        confirmedValue: form.value.trim(),
        evidence: form.evidence.trim(),
        note: form.note.trim() || null,
      });
      if (error) return { ok: false, ...refusal('Not signed off.', error) };
      await query.refetch();
      return { ok: true, message: '', unmet: null };
    },
  };
}
