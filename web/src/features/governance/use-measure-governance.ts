import type { ApolloClient, OperationVariables, TypedDocumentNode } from '@apollo/client';
import { computed, reactive, toValue, type MaybeRefOrGetter } from 'vue';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import {
  AddCommentDocument,
  AddEvidenceDocument,
  MeasureGovernanceDocument,
  MeetConditionDocument,
  MoveMeasureBackDocument,
  RemoveEvidenceDocument,
  ReopenMeasureDocument,
  RequestGateDocument,
  ResumeMeasureDocument,
  SignOffClosureDocument,
  ValidatePotentialDocument,
  WithdrawGateRequestDocument,
  type EvidenceInput,
  type MeasureGovernanceQuery,
} from '../../graphql/generated';
import { refusal, type UnmetCriterion } from '../gates/decision-form';
import { uploadEvidenceFile, type EvidenceUpload, type EvidenceUploadOutcome } from './evidence-upload';

export type GovernanceAction =
  | 'requestGate'
  | 'withdraw'
  | 'meetCondition'
  | 'addEvidence'
  | 'attachFile'
  | 'removeEvidence'
  | 'addComment'
  | 'validatePotential'
  | 'signOff'
  | 'reopen'
  | 'moveBack'
  | 'resume';

export interface ActionOutcome {
  ok: boolean;
  /** A sentence for the person when it failed. */
  message: string;
  /** GATE_CRITERIA_UNMET's list, when that was the answer. */
  unmet: UnmetCriterion[] | null;
}

export type MeasureGovernance = NonNullable<MeasureGovernanceQuery['measure']>;

/**
 * The measure page's governance: next gate, gate history, conditions, evidence, comments and sign-off, and the
 * actions on them. After an action the page reads everything that may have moved (`afterChange`, e.g. the
 * editor's own refresh and the history) again.
 */
export function useMeasureGovernance(id: MaybeRefOrGetter<string>, options: { client?: ApolloClient; afterChange?: () => Promise<void> } = {}) {
  const client = options.client ?? useApolloClient();
  const query = useQuery(MeasureGovernanceDocument, () => ({ id: toValue(id) }), { client });
  const busy = reactive<Partial<Record<GovernanceAction, boolean>>>({});

  async function act<TData, TVariables extends OperationVariables>(
    action: GovernanceAction,
    mutation: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    what: string,
  ): Promise<ActionOutcome> {
    busy[action] = true;
    try {
      const { error } = await runMutation(client, mutation, variables);
      if (error) return { ok: false, ...refusal(what, error) };
      await Promise.all([query.refetch(), options.afterChange?.()]);
      return { ok: true, message: '', unmet: null };
    } finally {
      busy[action] = false;
    }
  }

  const measureId = () => toValue(id);
  const orNull = (s: string) => s.trim() || null;
  return {
    loading: query.loading,
    error: query.error,
    data: computed<MeasureGovernance | null>(() => query.data.value?.measure ?? null),
    refetch: query.refetch,
    busy,
    requestGate: (note: string) => act('requestGate', RequestGateDocument, { measureId: measureId(), note: orNull(note) }, 'The gate was not requested.'),
    withdraw: (requestId: string, reason: string) => act('withdraw', WithdrawGateRequestDocument, { requestId, reason: orNull(reason) }, 'The request was not withdrawn.'),
    meetCondition: (conditionId: string, note: string) => act('meetCondition', MeetConditionDocument, { id: conditionId, note: orNull(note) }, 'The condition was not marked met.'),
    addEvidence: (input: EvidenceInput) => act('addEvidence', AddEvidenceDocument, { measureId: measureId(), input }, 'The evidence was not added.'),
    removeEvidence: (evidenceId: string) => act('removeEvidence', RemoveEvidenceDocument, { id: evidenceId }, 'The evidence was not removed.'),
    /** Uploads a file as evidence (with progress), then reads the governance again. */
    attachFile: async (upload: Omit<EvidenceUpload, 'measureId'>): Promise<EvidenceUploadOutcome> => {
      busy.attachFile = true;
      try {
        const outcome = await uploadEvidenceFile({ ...upload, measureId: measureId() });
        if (outcome.ok) await Promise.all([query.refetch(), options.afterChange?.()]);
        return outcome;
      } finally {
        busy.attachFile = false;
      }
    },
    addComment: (body: string) => act('addComment', AddCommentDocument, { measureId: measureId(), body: body.trim() }, 'The comment was not added.'),
    validatePotential: (note: string) => act('validatePotential', ValidatePotentialDocument, { measureId: measureId(), note: orNull(note) }, 'The potential was not validated.'),
    signOff: (confirmedValue: string, evidence: string, note: string) =>
      act('signOff', SignOffClosureDocument, { measureId: measureId(), confirmedValue: confirmedValue.trim(), evidence: evidence.trim(), note: orNull(note) }, 'The measure was not signed off.'),
    reopen: (reason: string) => act('reopen', ReopenMeasureDocument, { measureId: measureId(), reason: reason.trim() }, 'The measure was not reopened.'),
    moveBack: (toDoi: number, reason: string) => act('moveBack', MoveMeasureBackDocument, { measureId: measureId(), toDoi, reason: reason.trim() }, 'The measure was not moved back.'),
    resume: (reason: string) => act('resume', ResumeMeasureDocument, { measureId: measureId(), reason: reason.trim() }, 'The measure was not resumed.'),
  };
}

export type MeasureGovernanceState = ReturnType<typeof useMeasureGovernance>;
