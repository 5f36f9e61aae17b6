import { describe, expect, it } from 'vitest';
import { detail } from '../../testing/measure-fixtures';
import { dutyOptions, formChanges, formFromMeasure, validateForm } from './measure-form';


describe('the measure details form', () => {
  it('reads overrides from the measure only when a status is overridden', () => {
    const form = formFromMeasure(detail());
    expect(form).toMatchObject({ implementationOverride: 'AMBER', implementationOverrideReason: 'Vendor delayed', potentialOverride: '', potentialOverrideReason: '' });
    expect(form).toMatchObject({ sponsorId: 'sponsor', controllerId: '', roughPotential: '120000.00' });
  });

  it('sends only changed fields, with "none" as null and money normalised', () => {
    const base = formFromMeasure(detail());
    expect(formChanges(base, { ...base })).toEqual({});
    expect(formChanges(base, { ...base, title: '  New title ', sponsorId: '', roughPotential: '125000' })).toEqual({
      title: 'New title',
      sponsorId: null,
      roughPotential: '125000.00',
    });
    expect(formChanges(base, { ...base, roughPotential: '120000' })).toEqual({});
  });

  it('sends an override with its reason, and clearing it as null', () => {
    const base = formFromMeasure(detail());
    expect(formChanges(base, { ...base, potentialOverride: 'GREEN', potentialOverrideReason: 'Contract signed' })).toEqual({
      potentialStatusOverride: 'GREEN',
      potentialStatusOverrideReason: 'Contract signed',
    });
    expect(formChanges(base, { ...base, implementationOverride: '', implementationOverrideReason: '' })).toEqual({ implementationStatusOverride: null });
  });

  it('asks for a title, an exact amount and a reason for every override', () => {
    const base = formFromMeasure(detail());
    expect(validateForm(base)).toEqual({});
    expect(validateForm({ ...base, title: ' ', roughPotential: '12.345', potentialOverride: 'RED', potentialOverrideReason: '' })).toEqual({
      title: 'A measure needs a title.',
      roughPotential: expect.stringMatching(/two decimals/),
      potentialOverrideReason: 'An override needs a written reason.',
    });
  });
});

describe('the sponsor and controller pickers', () => {
  const everyone = [
    { id: 'o', name: 'Olivia' },
    { id: 'c', name: 'Chris' },
    { id: 'm', name: 'Mei' },
    { id: 'v', name: 'Vera' },
  ];
  it('offers the eligible people but the owner and the holder of the other duty', () => {
    expect(dutyOptions([everyone[0], everyone[1], everyone[2]], ['o', 'm'], '', everyone)).toEqual([{ id: 'c', name: 'Chris' }]);
  });
  it('keeps a current choice the server would no longer accept, marked, and offers nothing while loading', () => {
    expect(dutyOptions([everyone[1]], ['o'], 'v', everyone)).toEqual([
      { id: 'v', name: 'Vera (not allowed here)' },
      { id: 'c', name: 'Chris' },
    ]);
    expect(dutyOptions(undefined, [], '', everyone)).toEqual([]);
  });
});
