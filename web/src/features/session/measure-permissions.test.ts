import { describe, expect, it } from 'vitest';
import { mayEditMeasure, measurePermissions, type ViewerCan } from './measure-permissions';

const none: ViewerCan = {
  update: false,
  setValues: false,
  addMilestone: false,
  addEvidence: false,
  comment: false,
  requestGate: false,
  validatePotential: false,
  signOff: false,
  reopen: false,
  moveBack: false,
  resume: false,
  reason: 'Only the measure’s owner or an admin in scope may change it',
};

describe('what a person may do with a measure', () => {
  it('follows the server’s viewerCan for every action', () => {
    const p = measurePermissions({ ...none, update: true, setValues: true, addMilestone: true, requestGate: true, reason: null });
    expect(p.update).toEqual({ allowed: true, reason: '' });
    expect(p.completeMilestone.allowed).toBe(true);
    expect(p.requestGate.allowed).toBe(true);
    expect(p.signOff.allowed).toBe(false);
  });

  it('gives the server’s reason for an edit it refuses, as a sentence', () => {
    const p = measurePermissions(none);
    expect(p.update).toEqual({ allowed: false, reason: 'Only the measure’s owner or an admin in scope may change it.' });
    expect(p.setValues.reason).toBe(p.update.reason);
  });

  it('explains each governance action it does not offer', () => {
    const p = measurePermissions(none);
    for (const key of ['signOff', 'reopen', 'validatePotential', 'moveBack', 'resume', 'comment', 'addEvidence'] as const) {
      expect(p[key].allowed).toBe(false);
      expect(p[key].reason.length).toBeGreaterThan(10);
    }
  });

  it('says why a closed measure is locked', () => {
    const p = measurePermissions({ ...none, reason: 'Closed: the signed-off values are locked until a controller reopens the measure' });
    expect(p.update.reason).toBe('Closed: the signed-off values are locked until a controller reopens the measure.');
  });
});

describe('whether the measure page is a form or a read page', () => {
  it('is a read page for whoever may change neither details, values nor milestones', () => {
    expect(mayEditMeasure(none)).toBe(false);
    const controller: ViewerCan = { ...none, comment: true, addEvidence: true, signOff: true, validatePotential: true };
    expect(mayEditMeasure(controller)).toBe(false);
  });

  it('is a form as soon as the server allows any of the three', () => {
    expect(mayEditMeasure({ ...none, update: true })).toBe(true);
    expect(mayEditMeasure({ ...none, setValues: true })).toBe(true);
    expect(mayEditMeasure({ ...none, addMilestone: true })).toBe(true);
  });
});
