import { describe, expect, it } from 'vitest';
import { valuesForReading } from './values-read';

describe('monthly values on the read page', () => {
  it('lists only months with a recorded amount, oldest first, each kind in its column', () => {
    // Setup: values in two months out of order, and a month holding only zeros.
    const read = valuesForReading([
      { month: '2026-03', kind: 'FORECAST', amount: '900.00' },
      { month: '2026-01', kind: 'PLAN', amount: '1000.00' },
      { month: '2026-02', kind: 'PLAN', amount: '0.00' },
      { month: '2026-03', kind: 'PLAN', amount: '1000.00' },
      { month: '2026-01', kind: 'ACTUAL', amount: '250.50' },
    ]);

    // Assert
    expect(read.rows.map((r) => r.month)).toEqual(['2026-01', '2026-03']);
    expect(read.rows[0].amounts).toEqual({ PLAN: '1000.00', FORECAST: null, ACTUAL: '250.50', ONE_OFF_COST: null });
    expect(read.rows[1].amounts).toEqual({ PLAN: '1000.00', FORECAST: '900.00', ACTUAL: null, ONE_OFF_COST: null });
  });

  it('sums each kind exactly over every month', () => {
    const read = valuesForReading([
      { month: '2026-01', kind: 'PLAN', amount: '0.10' },
      { month: '2026-02', kind: 'PLAN', amount: '0.20' },
      { month: '2026-02', kind: 'ONE_OFF_COST', amount: '-5.00' },
    ]);
    expect(read.totals).toEqual({ PLAN: '0.30', FORECAST: '0.00', ACTUAL: '0.00', ONE_OFF_COST: '-5.00' });
  });

  it('has no rows for a measure without values', () => {
    expect(valuesForReading([]).rows).toEqual([]);
  });
});
