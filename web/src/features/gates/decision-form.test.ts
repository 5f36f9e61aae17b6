import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { decisionFormTouched, decisionVariables, emptyDecisionForm, failingAutomatic, keepEditedRows, manualItems, unmetCriteria, validateDecision } from './decision-form';

const criteria = [
  { id: 'PLAN_VALUES', kind: 'AUTOMATIC', label: 'Plan values entered', passed: true, detail: '3 months' },
  { id: 'SPONSOR_ASSIGNED', kind: 'AUTOMATIC', label: 'Sponsor assigned', passed: false, detail: 'No sponsor' },
  { id: 'manual:scope-agreed', kind: 'MANUAL', label: 'Scope agreed', passed: false, detail: 'To be confirmed' },
];
const today = '2026-03-01';

describe('a gate decision', () => {
  it('needs a decision and a rationale', () => {
    expect(validateDecision(emptyDecisionForm(), today)).toEqual({ decision: 'Choose a decision.', rationale: 'Every decision needs a rationale.' });
    expect(validateDecision({ ...emptyDecisionForm(), decision: 'REJECT', rationale: 'Not now' }, today)).toEqual({});
  });

  it('needs complete conditions, due today or later, for an approval with conditions', () => {
    const form = { ...emptyDecisionForm(), decision: 'APPROVE_WITH_CONDITIONS' as const, rationale: 'Go' };
    expect(validateDecision(form, today).conditions).toMatch(/at least one/);
    expect(validateDecision({ ...form, conditions: [{ text: 'Pilot', ownerId: '', dueOn: '2026-04-01' }] }, today).conditions).toMatch(/owner/);
    expect(validateDecision({ ...form, conditions: [{ text: 'Pilot', ownerId: 'u1', dueOn: '2026-02-01' }] }, today).conditions).toMatch(/today or later/);
    expect(validateDecision({ ...form, conditions: [{ text: 'Pilot', ownerId: 'u1', dueOn: '2026-04-01' }] }, today)).toEqual({});
  });

  it('sends manual items by their id, conditions as dates, the review, and an override only with an approval', () => {
    const vars = decisionVariables(
      'r1',
      { decision: 'APPROVE_WITH_CONDITIONS', rationale: '  Go ahead ', checked: ['scope-agreed'], conditions: [{ text: ' Pilot ', ownerId: 'u1', dueOn: '2026-04-01' }], override: true },
      'review-1',
    );
    expect(vars).toEqual({
      requestId: 'r1',
      decision: 'APPROVE_WITH_CONDITIONS',
      rationale: 'Go ahead',
      override: true,
      conditions: [{ text: 'Pilot', ownerId: 'u1', dueOn: '2026-04-01T00:00:00.000Z' }],
      reviewId: 'review-1',
      checkedItems: ['scope-agreed'],
    });
    const rework = decisionVariables('r1', { ...emptyDecisionForm(), decision: 'REWORK', rationale: 'More detail', override: true, conditions: [{ text: 'x', ownerId: 'u', dueOn: '2026-04-01' }] }, null);
    expect(rework).toMatchObject({ override: null, conditions: null, reviewId: null, checkedItems: null });
  });

  it('reads the manual checklist and the failing automatic criteria from a request', () => {
    expect(manualItems(criteria)).toEqual([{ id: 'scope-agreed', label: 'Scope agreed', criterionId: 'manual:scope-agreed' }]);
    expect(failingAutomatic(criteria).map((c) => c.id)).toEqual(['SPONSOR_ASSIGNED']);
  });

  it('knows when a form holds input that live updates must not take away', () => {
    expect(decisionFormTouched(emptyDecisionForm())).toBe(false);
    expect(decisionFormTouched({ ...emptyDecisionForm(), rationale: 'x' })).toBe(true);
    expect(decisionFormTouched({ ...emptyDecisionForm(), checked: ['a'] })).toBe(true);
  });
});

describe('GATE_CRITERIA_UNMET', () => {
  it('gives the list of unmet criteria, and nothing for other errors', () => {
    const unmet = new CombinedGraphQLErrors({
      errors: [{ message: 'unmet', extensions: { code: 'GATE_CRITERIA_UNMET', unmet: [{ id: 'SPONSOR_ASSIGNED', label: 'Sponsor assigned', detail: 'No sponsor' }] } }],
    });
    expect(unmetCriteria(unmet)).toEqual([{ id: 'SPONSOR_ASSIGNED', label: 'Sponsor assigned', detail: 'No sponsor' }]);
    const forbidden = new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] });
    expect(unmetCriteria(forbidden)).toBeNull();
  });
});

describe('rows kept while someone types in them', () => {
  it('keeps a row that left the list only while it is being edited, in its place', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const c = { id: 'c' };
    expect(keepEditedRows([a, c], [a, b, c], new Set(['b']))).toEqual({ rows: [a, b, c], gone: new Set(['b']) });
    expect(keepEditedRows([a, c], [a, b, c], new Set())).toEqual({ rows: [a, c], gone: new Set() });
    expect(keepEditedRows([a, b], [a, b], new Set(['b']))).toEqual({ rows: [a, b], gone: new Set() });
  });
});
