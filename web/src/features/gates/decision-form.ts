import { ErrorCode } from '@gatehouse/shared';
import { describeError, ERROR_SENTENCES, errorCode, errorExtensions } from '../../apollo/graphql-errors';
import type { DecideGateMutationVariables, GateDecision, GateRequestFieldsFragment } from '../../graphql/generated';

type Criterion = GateRequestFieldsFragment['criteria'][number];

export interface DecisionChoice {
  value: GateDecision;
  label: string;
  detail: string;
  /** Raises the DoI, so failing automatic criteria matter. */
  raises: boolean;
}

export const DECISIONS: readonly DecisionChoice[] = [
  { value: 'APPROVE', label: 'Approve', detail: 'The measure moves up one level.', raises: true },
  { value: 'APPROVE_WITH_CONDITIONS', label: 'Approve with conditions', detail: 'Up one level; each condition has an owner and a due date and must be met before the next gate.', raises: true },
  { value: 'REWORK', label: 'Send back for rework', detail: 'Back to the owner with your notes; the level stays.', raises: false },
  { value: 'REJECT', label: 'Reject', detail: 'The level stays.', raises: false },
  { value: 'HOLD', label: 'Hold', detail: 'The measure is put on hold.', raises: false },
  { value: 'STOP', label: 'Stop', detail: 'The measure is cancelled.', raises: false },
];

/**
 * Decisions that cannot be taken back, which the decider confirms once more: a stop cancels the measure for
 * good (nobody resumes or reopens a cancelled measure).
 */
export const CONFIRMED_DECISIONS: Partial<Record<GateDecision, string>> = {
  STOP: 'Stopping cancels the measure for good: it leaves the portfolio’s value and cannot be resumed or reopened.',
};

export const DECISION_LABELS: Record<string, string> = Object.fromEntries(DECISIONS.map((d) => [d.value, d.label]));

export const REQUEST_STATUS_LABELS: Record<string, string> = {
  PENDING: 'Pending',
  APPROVED: 'Approved',
  APPROVED_WITH_CONDITIONS: 'Approved with conditions',
  REJECTED: 'Rejected',
  REWORK: 'Sent back for rework',
  ON_HOLD: 'On hold',
  STOPPED: 'Stopped',
  WITHDRAWN: 'Withdrawn',
};

export interface ConditionDraft {
  text: string;
  ownerId: string;
  /** YYYY-MM-DD */
  dueOn: string;
}

export interface DecisionForm {
  decision: GateDecision | '';
  rationale: string;
  /** Manual checklist item ids (without the `manual:` prefix) the decider confirms. */
  checked: string[];
  conditions: ConditionDraft[];
  override: boolean;
}

export const emptyDecisionForm = (): DecisionForm => ({ decision: '', rationale: '', checked: [], conditions: [], override: false });

/** Whether the person typed or chose anything: such a form must survive live updates. */
export function decisionFormTouched(form: DecisionForm): boolean {
  return form.decision !== '' || form.rationale.trim() !== '' || form.checked.length > 0 || form.conditions.length > 0 || form.override;
}

/** The manual checklist of a request: criteria ids `manual:<id>`, confirmed through `checkedItems` by `<id>`. */
export function manualItems(criteria: readonly Criterion[]): { id: string; label: string; criterionId: string }[] {
  return criteria.filter((c) => c.kind === 'MANUAL').map((c) => ({ id: c.id.replace(/^manual:/, ''), label: c.label, criterionId: c.id }));
}

/** Automatic criteria that fail now (manual ones are the decider's to confirm). */
export function failingAutomatic(criteria: readonly Criterion[]): Criterion[] {
  return criteria.filter((c) => c.kind !== 'MANUAL' && !c.passed);
}

const raises = (d: DecisionForm['decision']) => DECISIONS.find((x) => x.value === d)?.raises ?? false;

export type DecisionErrors = Partial<Record<'decision' | 'rationale' | 'conditions' | 'override', string>>;

/** What the server would refuse, said before sending: a decision, a rationale, complete conditions. */
export function validateDecision(form: DecisionForm, today: string): DecisionErrors {
  const errors: DecisionErrors = {};
  if (!form.decision) errors.decision = 'Choose a decision.';
  if (!form.rationale.trim()) errors.rationale = 'Every decision needs a rationale.';
  else if (form.rationale.length > 4000) errors.rationale = 'At most 4,000 characters.';
  if (form.decision === 'APPROVE_WITH_CONDITIONS') {
    if (!form.conditions.length) errors.conditions = 'Add at least one condition.';
    else if (form.conditions.some((c) => !c.text.trim() || !c.ownerId || !/^\d{4}-\d{2}-\d{2}$/.test(c.dueOn))) {
      errors.conditions = 'Every condition needs a text, an owner and a due date.';
    } else if (form.conditions.some((c) => c.dueOn < today)) errors.conditions = 'Due dates lie today or later.';
  }
  return errors;
}

/** The decideGate variables for a form; `reviewId` when deciding inside a gate review. */
export function decisionVariables(requestId: string, form: DecisionForm, reviewId: string | null): DecideGateMutationVariables {
  const decision = form.decision as GateDecision;
  return {
    requestId,
    decision,
    rationale: form.rationale.trim(),
    override: raises(decision) && form.override ? true : null,
    conditions:
      decision === 'APPROVE_WITH_CONDITIONS'
        ? form.conditions.map((c) => ({ text: c.text.trim(), ownerId: c.ownerId, dueOn: `${c.dueOn}T00:00:00.000Z` }))
        : null,
    reviewId,
    checkedItems: form.checked.length ? [...form.checked] : null,
  };
}

export interface UnmetCriterion {
  id: string;
  label: string;
  detail: string;
}

/** GATE_CRITERIA_UNMET's list of what failed (`extensions.unmet`), or null for any other answer. */
export function unmetCriteria(error: unknown): UnmetCriterion[] | null {
  if (errorCode(error) !== ErrorCode.GATE_CRITERIA_UNMET) return null;
  const unmet = errorExtensions(error, ErrorCode.GATE_CRITERIA_UNMET)?.unmet;
  if (!Array.isArray(unmet)) return [];
  return unmet
    .filter((u): u is UnmetCriterion => typeof u === 'object' && u !== null && typeof (u as UnmetCriterion).id === 'string')
    .map((u) => ({ id: u.id, label: String(u.label ?? u.id), detail: String(u.detail ?? '') }));
}

/**
 * What a refused action tells the person: its context, the code's sentence and the server's reason; for unmet
 * criteria the sentence only, since the list of what failed (with each one's detail) follows it.
 */
export function refusal(what: string, error: unknown): { message: string; unmet: UnmetCriterion[] | null } {
  const unmet = unmetCriteria(error);
  return { message: unmet?.length ? `${what} ${ERROR_SENTENCES.GATE_CRITERIA_UNMET}` : `${what} ${describeError(error)}`, unmet };
}

/**
 * Rows a list shows after new data arrived: the latest rows, plus any earlier row that left the list while the
 * person was typing in it (decided by someone else, say), so their input is not torn away. Kept rows stay where
 * they were.
 */
export function keepEditedRows<T extends { id: string }>(latest: readonly T[], previous: readonly T[], editing: ReadonlySet<string>): { rows: T[]; gone: Set<string> } {
  const latestIds = new Set(latest.map((r) => r.id));
  const gone = new Set<string>();
  const rows = [...latest];
  previous.forEach((row, index) => {
    if (latestIds.has(row.id) || !editing.has(row.id)) return;
    gone.add(row.id);
    rows.splice(Math.min(index, rows.length), 0, row);
  });
  return { rows, gone };
}
