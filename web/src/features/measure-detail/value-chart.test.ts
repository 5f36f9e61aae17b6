import { describe, expect, it } from 'vitest';
import { hasAnyValue, monthlySeries, valueChartConfig } from './value-chart';

describe('the plan / forecast / actual chart mapping', () => {
  const values = [
    { month: '2026-01', kind: 'PLAN' as const, amount: '1000.00' },
    { month: '2026-02', kind: 'PLAN' as const, amount: '1250.50' },
    { month: '2026-01', kind: 'FORECAST' as const, amount: '900.10' },
    { month: '2026-01', kind: 'ACTUAL' as const, amount: '880.05' },
    { month: '2026-01', kind: 'ONE_OFF_COST' as const, amount: '5000.00' },
    { month: '2025-01', kind: 'PLAN' as const, amount: '1.00' },
  ];

  it('puts each kind in its own series by month, gaps as null and one-off costs left out', () => {
    const series = monthlySeries(values, ['2026-01', '2026-02', '2026-03']);
    expect(series).toEqual({
      months: ['2026-01', '2026-02', '2026-03'],
      plan: [1000, 1250.5, null],
      forecast: [900.1, null, null],
      actual: [880.05, null, null],
    });
    expect(hasAnyValue(series)).toBe(true);
    expect(hasAnyValue(monthlySeries(values, ['2027-01']))).toBe(false);
  });

  it('draws actuals as bars under plan and forecast lines, with formatted labels and tooltips', () => {
    const config = valueChartConfig(monthlySeries(values, ['2026-01', '2026-02']), {
      monthLabel: (m) => `M${m.slice(5)}`,
      money: (v) => `€${v.toFixed(2)}`,
      moneyTick: (v) => `€${v}`,
      colors: { plan: 'grey', forecast: 'blue', actual: 'green' },
      animate: false,
    });
    expect(config.data.labels).toEqual(['M01', 'M02']);
    expect(config.data.datasets.map((d) => [d.type, d.label, d.data])).toEqual([
      ['bar', 'Actual', [880.05, null]],
      ['line', 'Plan', [1000, 1250.5]],
      ['line', 'Forecast', [900.1, null]],
    ]);
    expect(config.options?.animation).toBe(false);
    const label = config.options?.plugins?.tooltip?.callbacks?.label as unknown as (ctx: unknown) => string;
    expect(label({ dataset: { label: 'Plan' }, parsed: { y: 1250.5 } })).toBe('Plan: €1250.50');
  });
});
