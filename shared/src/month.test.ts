import { describe, expect, it } from 'vitest';
import { addMonths, isMonth, monthRange, monthToDate } from './month.js';

describe('month', () => {
  it('accepts YYYY-MM only', () => {
    expect(isMonth('2026-01')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01', '', '1899-12']) expect(isMonth(bad)).toBe(false);
  });

  it('does month arithmetic across years', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthToDate('2026-03')).toBe('2026-03-01');
  });
});
