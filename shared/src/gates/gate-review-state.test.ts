import { describe, expect, it } from 'vitest';
import { gateReviewState } from './gate-review-state.js';

const now = new Date('2026-06-10T12:00:00Z');
const nextWeek = '2026-06-17T09:00:00Z';

describe('the state of a gate review', () => {
  it('is upcoming while a request on its agenda waits for a decision', () => {
    expect(gateReviewState({ heldOn: nextWeek, agenda: [{ status: 'APPROVED' }, { status: 'PENDING' }], decisions: 1 }, now)).toBe('UPCOMING');
    expect(gateReviewState({ heldOn: '2026-06-10T08:00:00Z', agenda: [{ status: 'PENDING' }], decisions: 0 }, now)).toBe('UPCOMING');
  });

  it('is held once everything on its agenda is decided or withdrawn, even before its planned date', () => {
    expect(gateReviewState({ heldOn: nextWeek, agenda: [{ status: 'APPROVED' }, { status: 'WITHDRAWN' }, { status: 'REWORK' }], decisions: 2 }, now)).toBe('HELD');
  });

  it('is held once its day is over, and upcoming with an empty agenda before then', () => {
    expect(gateReviewState({ heldOn: '2026-06-08T09:00:00Z', agenda: [{ status: 'PENDING' }], decisions: 0 }, now)).toBe('HELD');
    expect(gateReviewState({ heldOn: nextWeek, agenda: [], decisions: 0 }, now)).toBe('UPCOMING');
  });
});
