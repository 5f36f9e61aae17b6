import { describe, expect, it } from 'vitest';
import { newMeasureInput, type NewMeasureValues } from './new-measure';

const base: NewMeasureValues = { packageId: 'p1', title: ' Chatbot ', lever: 'COST_REDUCTION', ownerId: 'u1', sponsorId: '', controllerId: '', roughPotential: '', businessCase: '' };

describe('new measure form', () => {
  it('answers the createMeasure input, reading the rough potential in the locale', () => {
    expect(newMeasureInput({ ...base, roughPotential: '12.500,50', sponsorId: 's1' }, ',').input).toEqual({
      packageId: 'p1',
      title: 'Chatbot',
      lever: 'COST_REDUCTION',
      ownerId: 'u1',
      sponsorId: 's1',
      controllerId: null,
      roughPotential: '12500.50',
      businessCase: undefined,
    });
  });

  it('names every missing or bad field', () => {
    const { input, errors } = newMeasureInput({ ...base, packageId: '', title: '', lever: '', roughPotential: '-5' }, '.');
    expect(input).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['lever', 'packageId', 'roughPotential', 'title']);
    expect(errors.roughPotential).toBe('The rough potential cannot be negative.');
  });
});
