import { describe, expect, it } from 'vitest';
import {
  effectCheckConfig,
  effectCheckRows,
  effectEvidenceWording,
  formatChange,
  ticketTrendConfig,
  ticketTrendSeries,
  trendTotals,
  type EffectInput,
} from './ticket-charts';

describe('the trend chart mapping', () => {
  it('orders the months, fills a month the answer left out with zero, and stacks breaches on kept tickets', () => {
    // Setup: out of order, one month missing, one breach count above its tickets.
    const series = ticketTrendSeries([
      { month: '2016-03', tickets: 10, breached: 7 },
      { month: '2016-01', tickets: 4, breached: 1 },
      { month: '2016-04', tickets: 2, breached: 5 },
    ]);

    // Assert
    expect(series).toEqual({
      months: ['2016-01', '2016-02', '2016-03', '2016-04'],
      tickets: [4, 0, 10, 2],
      breached: [1, 0, 7, 2],
      withinSla: [3, 0, 3, 0],
    });
    expect(trendTotals(series)).toEqual({ tickets: 16, breached: 10 });
  });

  it('is empty for no months, and ignores what is not a month', () => {
    expect(ticketTrendSeries([]).months).toEqual([]);
    expect(ticketTrendSeries([{ month: 'March', tickets: 3, breached: 0 }]).months).toEqual([]);
  });

  it('draws one stacked bar per month, kept below and breached on top, with the month’s total in the tooltip', () => {
    const series = ticketTrendSeries([
      { month: '2016-02', tickets: 14, breached: 12 },
      { month: '2016-03', tickets: 10, breached: 7 },
    ]);
    const config = ticketTrendConfig(series, { monthLabel: (m) => `M${m.slice(5)}`, colors: { within: 'blue', breached: 'red' }, animate: false });
    expect(config.data.labels).toEqual(['M02', 'M03']);
    expect(config.data.datasets.map((d) => [d.label, d.data, d.stack])).toEqual([
      ['Within SLA', [2, 3], 'tickets'],
      ['SLA breached', [12, 7], 'tickets'],
    ]);
    expect(config.options?.scales?.y).toMatchObject({ stacked: true, beginAtZero: true });
    const footer = config.options?.plugins?.tooltip?.callbacks?.footer as unknown as (items: { dataIndex: number }[]) => string;
    expect(footer([{ dataIndex: 0 }])).toBe('14 tickets');
  });
});

const effect = (over: Partial<EffectInput>): EffectInput => ({
  groupId: 'g1',
  measureId: 'm1',
  implementedAt: '2026-03-01T00:00:00Z',
  ratePer30DaysBefore: 12,
  ratePer30DaysAfter: 3,
  changePercent: -75,
  ticketsBefore: 36,
  ticketsAfter: 4,
  daysAfter: 40,
  ...over,
});

describe('the effect check mapping', () => {
  it('tells apart a measure not at DoI 4, one at DoI 4 since today, and one measured', () => {
    const rows = effectCheckRows(
      [
        effect({ groupId: 'pending', implementedAt: null, ratePer30DaysBefore: null, ratePer30DaysAfter: null, changePercent: null, ticketsBefore: 0, ticketsAfter: 0, daysAfter: 0 }),
        effect({ groupId: 'today', ratePer30DaysAfter: null, changePercent: null, daysAfter: 0, ticketsAfter: 0 }),
        effect({ groupId: 'rose', changePercent: 20, ratePer30DaysAfter: 14.4 }),
        effect({ groupId: 'fell' }),
      ],
      (e) => `Group ${e.groupId}`,
    );
    // Measured first, the largest fall first; then the ones still measuring; then those not at DoI 4.
    expect(rows.map((r) => [r.groupId, r.stage])).toEqual([
      ['fell', 'measured'],
      ['rose', 'measured'],
      ['today', 'measuring'],
      ['pending', 'pending'],
    ]);
    expect(rows[0]).toMatchObject({ label: 'Group fell', before: 12, after: 3, changePercent: -75 });
  });

  it('writes the change with its sign, rounded', () => {
    expect(formatChange(-75)).toBe('−75 %');
    expect(formatChange(20.4)).toBe('+20 %');
    expect(formatChange(0.3)).toBe('±0 %');
    expect(formatChange(null)).toBeNull();
  });

  it('draws before and after side by side for groups at DoI 4, leaving out those not there yet', () => {
    const rows = effectCheckRows([effect({}), effect({ groupId: 'g2', implementedAt: null, ratePer30DaysBefore: null, ratePer30DaysAfter: null, changePercent: null })], (e) => e.groupId);
    const config = effectCheckConfig(rows, { colors: { before: 'grey', after: 'green' }, rate: (v) => `${v}/30d` });
    expect(config.data.labels).toEqual(['g1']);
    expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Before DoI 4', [12]],
      ['After DoI 4', [3]],
    ]);
    const footer = config.options?.plugins?.tooltip?.callbacks?.footer as unknown as (items: { dataIndex: number }[]) => string;
    expect(footer([{ dataIndex: 0 }])).toBe('Change: −75 %');
  });

  it('offers a measured effect as closure evidence in words, and nothing while there is nothing to compare', () => {
    const look = { date: (iso: string) => iso.slice(0, 10), rate: (v: number) => `${v.toFixed(1)} tickets per 30 days`, windowDays: 90 };
    const [measured] = effectCheckRows([effect({})], () => 'VPN drops');
    expect(effectEvidenceWording('VPN drops', measured, look)).toBe(
      'Recurring tickets "VPN drops": 12.0 tickets per 30 days in the 90 days before DoI 4 (2026-03-01, 36 tickets), 3.0 tickets per 30 days in the 40 days after (4 tickets): −75 %.',
    );
    const [measuring] = effectCheckRows([effect({ ratePer30DaysAfter: null, daysAfter: 0 })], () => 'x');
    expect(effectEvidenceWording('x', measuring, look)).toBeNull();
    const [silent] = effectCheckRows([effect({ ratePer30DaysBefore: 0, ratePer30DaysAfter: 0, ticketsBefore: 0, ticketsAfter: 0, changePercent: null })], () => 'x');
    expect(effectEvidenceWording('x', silent, look)).toBeNull();
  });
});
