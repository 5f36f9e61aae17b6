import { describe, expect, it } from 'vitest';
import { monthRange } from '@gatehouse/shared';
import { copyPlanToForecast, pasteAt, spreadInto, spreadMonths } from './values-grid-tools';

const shown = monthRange('2026-01', '2027-06');

describe('values grid tools', () => {
  it('spreads 1000 evenly over the twelve months from March, the leftover cents first', () => {
    const cells = spreadInto('PLAN', '2026-03', shown, '1000', Array(12).fill(1));
    expect(Object.keys(cells)).toEqual(monthRange('2026-03', '2027-02').map((m) => `PLAN:${m}`));
    expect(Object.values(cells).slice(0, 5)).toEqual(['83.34', '83.34', '83.34', '83.34', '83.33']);
  });

  it('refuses a start month whose year runs past the grid', () => {
    expect(() => spreadInto('PLAN', '2026-08', shown, '1000', Array(12).fill(1))).toThrow(/must all be in the grid/);
    expect(spreadMonths('2026-08', shown)).toHaveLength(11);
  });

  it('copies each plan value to the forecast of its month', () => {
    expect(copyPlanToForecast({ 'PLAN:2026-01': '100', 'PLAN:2026-02': '', 'FORECAST:2026-02': '7', 'PLAN:2026-03': '1.5' }, shown)).toEqual({
      'FORECAST:2026-01': '100.00',
      'FORECAST:2026-03': '1.50',
    });
  });

  it('pastes a copied block at a cell: columns to later months, rows to the next kinds', () => {
    const r = pasteAt('PLAN', '2027-05', shown, '1.234,50\t2.000\t3\n10\tx\n', ',');
    expect(r.cells).toEqual({ 'PLAN:2027-05': '1234.50', 'PLAN:2027-06': '2000.00', 'FORECAST:2027-05': '10.00' });
    expect(r.errors).toEqual(['FORECAST, 2027-06: "x" is not a number']);
    expect(r.skipped).toBe(1);
  });
});
