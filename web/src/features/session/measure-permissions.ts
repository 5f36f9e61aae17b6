import type { MeasureDetailFieldsFragment } from '../../graphql/generated';

export interface Permission {
  allowed: boolean;
  /** Why not, in words for the person; empty when allowed. */
  reason: string;
}

export interface MeasurePermissions {
  update: Permission;
  setValues: Permission;
  addMilestone: Permission;
  completeMilestone: Permission;
  addEvidence: Permission;
  comment: Permission;
  requestGate: Permission;
  validatePotential: Permission;
  signOff: Permission;
  reopen: Permission;
  moveBack: Permission;
  resume: Permission;
}

export type ViewerCan = MeasureDetailFieldsFragment['viewerCan'];

/**
 * Whether the measure page is a form or a read page: a person who may change neither the details, the values
 * nor the milestones reads the measure rather than facing a page of disabled inputs.
 */
export function mayEditMeasure(can: Pick<ViewerCan, 'update' | 'setValues' | 'addMilestone'>): boolean {
  return can.update || can.setValues || can.addMilestone;
}

const EDIT_REASON = 'Only the measure’s owner or an admin in scope may change it.';

/**
 * What the signed-in person may do with a measure, as the server says (`Measure.viewerCan`, computed from the
 * same rules it enforces), with a reason for each action that is not allowed. The server decides either way;
 * this only keeps the page from offering what would be refused.
 */
export function measurePermissions(can: ViewerCan): MeasurePermissions {
  const edit = can.reason ? `${can.reason.replace(/\.$/, '')}.` : EDIT_REASON;
  const p = (allowed: boolean, reason: string): Permission => (allowed ? { allowed: true, reason: '' } : { allowed: false, reason });
  return {
    update: p(can.update, edit),
    setValues: p(can.setValues, edit),
    addMilestone: p(can.addMilestone, edit),
    // Completing a milestone follows the same rule as adding one (the measure's editors).
    completeMilestone: p(can.addMilestone, edit),
    addEvidence: p(can.addEvidence, 'Only the measure’s owner, an admin or a controller in scope adds evidence, and a closed measure takes none.'),
    comment: p(can.comment, 'Viewers read comments; owners, controllers, the steering committee and admins write them.'),
    requestGate: p(can.requestGate, 'Only the measure’s owner (or an admin) asks for a gate, while the measure is active.'),
    validatePotential: p(can.validatePotential, 'A controller in scope, not the owner, validates potential at DoI 2 to 4.'),
    signOff: p(can.signOff, 'A controller in scope who is neither owner, sponsor nor anyone who entered or changed its actuals signs off DoI-4 measures.'),
    reopen: p(can.reopen, 'A controller in scope who does not own it reopens a closed measure.'),
    moveBack: p(can.moveBack, 'The steering committee moves a measure back.'),
    resume: p(can.resume, 'The steering committee, never the measure’s owner, resumes a measure on hold.'),
  };
}
