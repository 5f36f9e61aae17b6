import { describe, expect, it } from 'vitest';
import { potentialBasis } from './potential-basis';

const plan = (months: number) => Array.from({ length: months }, (_, i) => ({ kind: 'PLAN', month: `2026-${String(i + 1).padStart(2, '0')}` }));

describe('where a measure’s annual potential comes from', () => {
  it('names the plan once there are plan values, and keeps the rough estimate apart when it differs', () => {
    expect(potentialBasis({ annualPotential: '24000.00', roughPotential: '48000.00', values: [...plan(14).slice(0, 12), { kind: 'FORECAST', month: '2026-01' }] })).toEqual({
      source: 'PLAN',
      text: 'The plan of its last 12 planned months',
      roughDiffers: true,
    });
    expect(potentialBasis({ annualPotential: '500.00', roughPotential: null, values: plan(1) }).text).toBe('The plan of its last 1 planned month');
  });

  it('is the rough potential of an idea without a plan', () => {
    expect(potentialBasis({ annualPotential: '48000.00', roughPotential: '48000', values: [] })).toEqual({
      source: 'ROUGH',
      text: 'The owner’s rough potential, until there are plan values',
      roughDiffers: false,
    });
    expect(potentialBasis({ annualPotential: '0.00', roughPotential: null, values: [] }).source).toBe('NONE');
  });
});
