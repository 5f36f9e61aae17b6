import type { ApolloClient } from '@apollo/client';
import { gateReviewState } from '@gatehouse/shared';
import { computed, toValue, type MaybeRefOrGetter } from 'vue';
import { describeError } from '../../apollo/graphql-errors';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import {
  CreateGateReviewDocument,
  DecideGateDocument,
  GateRequestsDocument,
  GateReviewDocument,
  GateReviewsDocument,
  type CreateGateReviewInput,
  type GateRequestFieldsFragment,
} from '../../graphql/generated';
import { decisionVariables, unmetCriteria, type DecisionForm, type UnmetCriterion } from './decision-form';

export type GateRequestRow = GateRequestFieldsFragment;

/** Pending gate requests below a scope, oldest first (the queue order a committee works through). */
export function usePendingRequests(scopeId: MaybeRefOrGetter<string | null>) {
  const query = useQuery(GateRequestsDocument, () => ({ status: 'PENDING' as const, scopeId: toValue(scopeId) }));
  const data = computed(() => (query.data.value ? [...query.data.value.gateRequests].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)) : undefined));
  return { ...query, data };
}

/** Gate reviews below a scope: the upcoming ones, next first, then those held (`gateReviewState`), newest first. */
export function useGateReviews(scopeId: MaybeRefOrGetter<string | null>, now: () => number = Date.now) {
  const query = useQuery(GateReviewsDocument, () => ({ scopeId: toValue(scopeId) }));
  const data = computed(() => {
    const list = query.data.value?.gateReviews;
    if (!list) return undefined;
    const t = new Date(now());
    const state = (r: (typeof list)[number]) => gateReviewState({ heldOn: r.heldOn, agenda: r.agenda, decisions: r.decisions.length }, t);
    const upcoming = list.filter((r) => state(r) === 'UPCOMING').sort((a, b) => a.heldOn.localeCompare(b.heldOn));
    const past = list.filter((r) => state(r) === 'HELD').sort((a, b) => b.heldOn.localeCompare(a.heldOn));
    return { upcoming, past };
  });
  return { ...query, data };
}

export function useGateReview(id: MaybeRefOrGetter<string>) {
  const query = useQuery(GateReviewDocument, () => ({ id: toValue(id) }));
  return { ...query, data: computed(() => query.data.value?.gateReview) };
}

export interface DecideOutcome {
  ok: boolean;
  message: string;
  unmet: UnmetCriterion[] | null;
  /** The request as decided, when it went through. */
  decided: GateRequestFieldsFragment | null;
}

/** Decides a request (inside a review when `reviewId` is given); GATE_CRITERIA_UNMET answers with its list. */
export async function decideGate(client: ApolloClient, requestId: string, form: DecisionForm, reviewId: string | null): Promise<DecideOutcome> {
  const { data, error } = await runMutation(client, DecideGateDocument, decisionVariables(requestId, form, reviewId));
  if (error) {
    const unmet = unmetCriteria(error);
    return {
      ok: false,
      unmet,
      decided: null,
      message: unmet ? 'Not decided: some criteria are not met.' : `Not decided. ${describeError(error)}`,
    };
  }
  return { ok: true, message: '', unmet: null, decided: data?.decideGate ?? null };
}

export function useGateActions() {
  const client = useApolloClient();
  return {
    decide: (requestId: string, form: DecisionForm, reviewId: string | null) => decideGate(client, requestId, form, reviewId),
    async createReview(input: CreateGateReviewInput) {
      const { data, error } = await runMutation(client, CreateGateReviewDocument, { input });
      return error ? { id: null, message: `The review was not created. ${describeError(error)}` } : { id: data?.createGateReview.id ?? null, message: '' };
    },
  };
}
