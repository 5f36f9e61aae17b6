import { describe, expect, it } from 'vitest';
import { cellKey, gridChanges, gridFromValues, gridMonths, sameAmount, validateAmount } from './values-grid';

describe('the values grid months', () => {
  it('shows 24 months: twelve before this month, this month and eleven after', () => {
    const months = gridMonths(new Date('2026-03-15T12:00:00Z'));
    expect(months).toHaveLength(24);
    expect(months[0]).toBe('2025-03');
    expect(months[12]).toBe('2026-03');
    expect(months[23]).toBe('2027-02');
  });
});

describe('amount validation', () => {
  it('accepts exact decimals with up to two fraction digits', () => {
    for (const ok of ['0', '12', '12.5', '12.50', '-3.25', '9999999999999.99', '']) expect(validateAmount(ok, 'FORECAST'), ok).toBeNull();
  });

  it('refuses what the API would refuse, saying why', () => {
    expect(validateAmount('12.345', 'FORECAST')).toBe('At most two decimals.');
    expect(validateAmount('1e3', 'FORECAST')).toMatch(/digits and a dot/);
    expect(validateAmount('1,250.00', 'FORECAST')).toMatch(/digits and a dot/);
    expect(validateAmount('12,50', 'FORECAST')).toMatch(/digits and a dot/);
    expect(validateAmount('abc', 'ACTUAL')).toMatch(/digits and a dot/);
    expect(validateAmount('.5', 'ACTUAL')).toMatch(/digits and a dot/);
    expect(validateAmount('10000000000000', 'ACTUAL')).toBe('That amount is too large.');
    expect(validateAmount('-5', 'PLAN')).toBe('A plan value cannot be negative.');
    expect(validateAmount('-5', 'ONE_OFF_COST')).toBeNull();
  });
});

describe('grid diffing', () => {
  const base = gridFromValues([
    { month: '2026-01', kind: 'PLAN', amount: '1000' },
    { month: '2026-02', kind: 'PLAN', amount: '1000.00' },
    { month: '2026-01', kind: 'ACTUAL', amount: '950.10' },
  ]);

  it('keeps amounts in their canonical form', () => {
    expect(base).toEqual({ 'PLAN:2026-01': '1000.00', 'PLAN:2026-02': '1000.00', 'ACTUAL:2026-01': '950.10' });
  });

  it('sends only the cells that changed in amount, normalised', () => {
    const draft = { ...base, 'PLAN:2026-01': '1000', 'PLAN:2026-02': '1200.5', [cellKey('FORECAST', '2026-03')]: '700', [cellKey('ACTUAL', '2026-02')]: '' };
    expect(gridChanges(base, draft)).toEqual({
      changes: [
        { month: '2026-03', kind: 'FORECAST', amount: '700.00' },
        { month: '2026-02', kind: 'PLAN', amount: '1200.50' },
      ],
      errors: {},
    });
  });

  it('saves a cleared cell that had a value as 0, since values cannot be deleted', () => {
    expect(gridChanges(base, { ...base, 'ACTUAL:2026-01': '  ' }).changes).toEqual([{ month: '2026-01', kind: 'ACTUAL', amount: '0.00' }]);
  });

  it('reports invalid cells and sends none of them', () => {
    const result = gridChanges(base, { ...base, 'PLAN:2026-01': '12.345', 'FORECAST:2026-01': '800' });
    expect(result.errors).toEqual({ 'PLAN:2026-01': 'At most two decimals.' });
    expect(result.changes).toEqual([{ month: '2026-01', kind: 'FORECAST', amount: '800.00' }]);
  });

  it('compares amounts, not strings', () => {
    expect(sameAmount('k', '12', '12.00')).toBe(true);
    expect(sameAmount('k', '', '0.00')).toBe(false);
    expect(sameAmount('k', ' ', '')).toBe(true);
  });
});
