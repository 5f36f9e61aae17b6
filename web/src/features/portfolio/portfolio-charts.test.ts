import { describe, expect, it } from 'vitest';
import type { DoiBridgeQuery, PortfolioSummaryFieldsFragment } from '../../graphql/generated';
import {
  bridgeIsEmpty,
  bridgeReconciles,
  bridgeWaterfall,
  bridgeWaterfallConfig,
  doiWaterfall,
  doiWaterfallConfig,
  portfolioMonthSeries,
  statusDistribution,
  statusDistributionConfig,
} from './portfolio-charts';

type DoiRow = PortfolioSummaryFieldsFragment['byDoi'][number];
const level = (doi: number, plan: string, riskWeightedPlan: string, count = 2): DoiRow => ({
  doi,
  name: `L${doi}`,
  count,
  plan,
  riskWeightedPlan,
  forecast: '0.00',
  actual: '0.00',
  annualPotential: '0.00',
  weight: [10, 30, 60, 90, 100][doi - 1],
  riskWeightedPotential: '0.00',
  oneOffCost: '0.00',
});

const bridge = (over: Partial<DoiBridgeQuery['doiBridge']> = {}): DoiBridgeQuery['doiBridge'] => ({
  scopeId: 'org',
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-03-31T23:59:59.999Z',
  startValue: '1000.00',
  startRiskWeighted: '300.00',
  endValue: '1450.50',
  endRiskWeighted: '700.25',
  start: [{ doi: 2, count: 2, value: '1000.00', riskWeighted: '300.00' }],
  end: [{ doi: 3, count: 3, value: '1450.50', riskWeighted: '700.25' }],
  movements: [
    { kind: 'NEW', count: 1, value: '500.50', riskWeighted: '150.15', measureIds: ['m3'] },
    { kind: 'ADVANCED', count: 2, value: '0.00', riskWeighted: '300.00', measureIds: ['m1', 'm2'] },
    { kind: 'CLOSED', count: 0, value: '0.00', riskWeighted: '0.00', measureIds: [] },
    { kind: 'MOVED_BACK', count: 0, value: '0.00', riskWeighted: '0.00', measureIds: [] },
    { kind: 'STOPPED', count: 0, value: '0.00', riskWeighted: '0.00', measureIds: [] },
    { kind: 'VALUE_CHANGE', count: 1, value: '-50.00', riskWeighted: '-49.90', measureIds: ['m1'] },
  ],
  ...over,
});

describe('the DoI waterfall', () => {
  it('stacks each level on the levels below it and ends with the total on zero', () => {
    // Setup: levels out of order, with cents.
    const rows = [level(2, '200.10', '60.03'), level(1, '100.00', '10.00'), level(3, '0.00', '0.00', 0)];

    // Action
    const steps = doiWaterfall(rows, 'plan', (d) => `DoI ${d}`);

    // Assert
    expect(steps.map((s) => [s.label, s.from, s.to])).toEqual([
      ['DoI 1', 0, 100],
      ['DoI 2', 100, 300.1],
      ['DoI 3', 300.1, 300.1],
      ['Total', 0, 300.1],
    ]);
    expect(steps.at(-1)).toMatchObject({ kind: 'total', amount: '300.10', count: 4 });
    expect(steps[1]).toMatchObject({ doi: 2, amount: '200.10', count: 2 });
  });

  it('carries an idea’s rough potential at DoI 1, where there is no plan yet', () => {
    const ideas = { ...level(1, '0.00', '0.00', 3), annualPotential: '360000.00', riskWeightedPotential: '36000.00' };
    const steps = doiWaterfall([ideas], 'annualPotential', String);
    expect(steps.map((s) => [s.amount, s.to])).toEqual([
      ['360000.00', 360000],
      ['360000.00', 360000],
    ]);
    expect(doiWaterfall([ideas], 'riskWeightedPotential', String)[0]).toMatchObject({ amount: '36000.00', to: 36000 });
  });

  it('draws the value and its risk-weighted share side by side as floating bars', () => {
    const rows = [level(1, '100.00', '10.00'), level(2, '200.00', '60.00')];
    const config = doiWaterfallConfig(doiWaterfall(rows, 'plan', String), doiWaterfall(rows, 'riskWeightedPlan', String), {
      money: (v) => `€${v}`,
      moneyTick: String,
      colors: { total: 't', up: 'u', down: 'd', flat: 'f', plan: 'p', weighted: 'w' },
    });
    expect(config.data.datasets.map((d) => d.label)).toEqual(['Annual potential', 'Risk-weighted']);
    expect(config.data.datasets[0].data).toEqual([
      [0, 100],
      [100, 300],
      [0, 300],
    ]);
    expect(config.data.datasets[1].data).toEqual([
      [0, 10],
      [10, 70],
      [0, 70],
    ]);
  });
});

describe('the DoI bridge waterfall', () => {
  it('goes from the start through each movement with measures to the end, risk-weighted', () => {
    const steps = bridgeWaterfall(bridge(), true);
    expect(steps.map((s) => s.key)).toEqual(['start', 'NEW', 'ADVANCED', 'VALUE_CHANGE', 'end']);
    expect(steps.map((s) => [s.from, s.to])).toEqual([
      [0, 300],
      [300, 450.15],
      [450.15, 750.15],
      [750.15, 700.25],
      [0, 700.25],
    ]);
    expect(steps[2]).toMatchObject({ label: 'Advanced', count: 2, measureIds: ['m1', 'm2'] });
    expect(bridgeReconciles(steps)).toBe(true);
  });

  it('keeps moves between levels as flat steps when unweighted, still with their measures', () => {
    const steps = bridgeWaterfall(bridge(), false);
    const advanced = steps.find((s) => s.key === 'ADVANCED')!;
    expect([advanced.from, advanced.to]).toEqual([1500.5, 1500.5]);
    expect(advanced.measureIds).toEqual(['m1', 'm2']);
    expect(bridgeReconciles(steps)).toBe(true);
  });

  it('has nothing to draw without movements and without value at either end', () => {
    const none = bridge({
      startValue: '0.00',
      startRiskWeighted: '0.00',
      endValue: '0.00',
      endRiskWeighted: '0.00',
      start: [],
      end: [],
      movements: bridge().movements.map((m) => ({ ...m, count: 0, value: '0.00', riskWeighted: '0.00', measureIds: [] })),
    });
    expect(bridgeIsEmpty(bridgeWaterfall(none, true))).toBe(true);
    expect(bridgeIsEmpty(bridgeWaterfall(none, false))).toBe(true);
    // Value at an end, or a movement (even a flat one), is something to draw.
    expect(bridgeIsEmpty(bridgeWaterfall({ ...none, endValue: '0.01' }, false))).toBe(false);
    expect(bridgeIsEmpty(bridgeWaterfall(bridge(), true))).toBe(false);
    expect(bridgeIsEmpty(bridgeWaterfall({ ...none, movements: [{ kind: 'ADVANCED', count: 1, value: '0.00', riskWeighted: '0.00', measureIds: ['m1'] }] }, false))).toBe(false);
  });

  it('notices a bridge that does not add up', () => {
    expect(bridgeReconciles(bridgeWaterfall(bridge({ endRiskWeighted: '700.26' }), true))).toBe(false);
  });

  it('colours rises, falls and flat moves apart from the totals', () => {
    const colors = { total: 'total', up: 'up', down: 'down', flat: 'flat', plan: 'p', weighted: 'w' };
    const config = bridgeWaterfallConfig(bridgeWaterfall(bridge(), false), { money: String, moneyTick: String, colors });
    expect(config.data.datasets[0].backgroundColor).toEqual(['total', 'up', 'flat', 'down', 'total']);
  });
});

describe('the status distribution', () => {
  it('counts green, amber and red for both statuses, zero where the API says nothing', () => {
    const rows = statusDistribution(
      [
        { status: 'GREEN', count: 5 },
        { status: 'RED', count: 2 },
      ],
      [{ status: 'AMBER', count: 7 }],
    );
    expect(rows).toEqual([
      { key: 'implementation', label: 'Implementation', counts: { GREEN: 5, AMBER: 0, RED: 2 }, total: 7 },
      { key: 'potential', label: 'Potential', counts: { GREEN: 0, AMBER: 7, RED: 0 }, total: 7 },
    ]);
    const config = statusDistributionConfig(rows, { colors: { GREEN: 'g', AMBER: 'a', RED: 'r' }, statusLabel: (s) => s });
    expect(config.options?.indexAxis).toBe('y');
    expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['GREEN', [5, 0]],
      ['AMBER', [0, 7]],
      ['RED', [2, 0]],
    ]);
  });
});

describe('the portfolio month series', () => {
  it('orders months and turns exact amounts into numbers for drawing', () => {
    const series = portfolioMonthSeries([
      { month: '2026-02', plan: '20.00', forecast: '18.50', actual: '0.00' },
      { month: '2026-01', plan: '10.00', forecast: '10.00', actual: '9.99' },
    ]);
    expect(series).toEqual({ months: ['2026-01', '2026-02'], plan: [10, 20], forecast: [10, 18.5], actual: [9.99, 0] });
  });
});
