import { GateRequestStatus } from './gate-rules.js';

export type GateReviewState = 'UPCOMING' | 'HELD';

const DAY = 86_400_000;

/**
 * Whether a gate review still lies ahead. It is held once the committee has decided everything on its agenda
 * (withdrawn requests count as settled), whatever date it was planned for, or once its day is over; until then
 * it is upcoming, on its own day too.
 */
export function gateReviewState(review: { heldOn: Date | string; agenda: readonly { status: string }[]; decisions: number }, now: Date): GateReviewState {
  const settled = review.agenda.every((r) => r.status !== GateRequestStatus.PENDING);
  if (settled && (review.agenda.length > 0 || review.decisions > 0)) return 'HELD';
  return new Date(review.heldOn).getTime() < now.getTime() - DAY ? 'HELD' : 'UPCOMING';
}
