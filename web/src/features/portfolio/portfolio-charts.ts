import { centsToMoney, moneyToCents, type Money, type MovementKind } from '@gatehouse/shared';
import type { ChartConfiguration } from 'chart.js';
import type { MonthlySeries } from '../measure-detail/value-chart';
import type { DoiBridgeQuery, PortfolioSummaryFieldsFragment, Status } from '../../graphql/generated';

/**
 * The portfolio page's charts as pure mappings from the API's answers. Amounts stay exact decimal strings in the
 * steps (for labels and tables) and become numbers only for drawing.
 */
export const toNumber = (m: Money): number => Number(moneyToCents(m)) / 100;

/** One bar of a waterfall: it floats from `from` to `to`; totals stand on zero. */
export interface WaterfallStep {
  key: string;
  label: string;
  kind: 'level' | 'total' | 'start' | 'movement' | 'end';
  /** The exact amount the bar stands for (a level's value, a movement's change, a total). */
  amount: Money;
  from: number;
  to: number;
  count: number;
  doi?: number;
  movement?: MovementKind;
  measureIds?: string[];
}

type DoiRow = PortfolioSummaryFieldsFragment['byDoi'][number];

/** The amounts a DoI level carries: the plan over the measures' horizon, or the annual potential (an idea's rough one). */
export type DoiAmount = 'plan' | 'riskWeightedPlan' | 'annualPotential' | 'riskWeightedPotential';

/**
 * The DoI waterfall: each level's value stacked on the levels below it, then the total. The risk-weighted
 * amounts weight each level by its probability (costs are never weighted, and are not in this chart).
 */
export function doiWaterfall(byDoi: readonly DoiRow[], measure: DoiAmount, doiName: (doi: number) => string): WaterfallStep[] {
  const rows = [...byDoi].sort((a, b) => a.doi - b.doi);
  let running = 0n;
  const steps: WaterfallStep[] = rows.map((r) => {
    const cents = moneyToCents(r[measure]);
    const from = Number(running) / 100;
    running += cents;
    return { key: `doi-${r.doi}`, label: doiName(r.doi), kind: 'level', amount: r[measure], from, to: Number(running) / 100, count: r.count, doi: r.doi };
  });
  const total = centsToMoney(running);
  steps.push({ key: 'total', label: 'Total', kind: 'total', amount: total, from: 0, to: Number(running) / 100, count: rows.reduce((n, r) => n + r.count, 0) });
  return steps;
}

export const MOVEMENT_LABELS: Record<MovementKind, string> = {
  NEW: 'Entered',
  ADVANCED: 'Advanced',
  CLOSED: 'Closed',
  MOVED_BACK: 'Slipped back',
  STOPPED: 'Stopped',
  VALUE_CHANGE: 'Value changed',
};

type Bridge = DoiBridgeQuery['doiBridge'];

/**
 * The DoI bridge as a waterfall: the value at `from`, each kind of movement as a rise or fall, the value at
 * `to`. Unweighted, moves between levels change nothing (their bars are flat but still listed with their
 * measures); risk-weighted, advancing raises the value by the probability gained. Kinds with no measures are
 * left out. The steps reconcile: start plus every movement is the end.
 */
export function bridgeWaterfall(bridge: Bridge, weighted: boolean): WaterfallStep[] {
  const start = weighted ? bridge.startRiskWeighted : bridge.startValue;
  const end = weighted ? bridge.endRiskWeighted : bridge.endValue;
  let running = moneyToCents(start);
  const steps: WaterfallStep[] = [
    { key: 'start', label: 'Start', kind: 'start', amount: start, from: 0, to: toNumber(start), count: bridge.start.reduce((n, l) => n + l.count, 0) },
  ];
  for (const m of bridge.movements) {
    if (m.count === 0) continue;
    const kind = m.kind as MovementKind;
    const amount = weighted ? m.riskWeighted : m.value;
    const from = Number(running) / 100;
    running += moneyToCents(amount);
    steps.push({ key: kind, label: MOVEMENT_LABELS[kind] ?? kind, kind: 'movement', amount, from, to: Number(running) / 100, count: m.count, movement: kind, measureIds: m.measureIds });
  }
  steps.push({ key: 'end', label: 'End', kind: 'end', amount: end, from: 0, to: toNumber(end), count: bridge.end.reduce((n, l) => n + l.count, 0) });
  return steps;
}

/** A bridge with nothing to draw: no movement, and no value at either end (an organisation just set up). */
export function bridgeIsEmpty(steps: readonly WaterfallStep[]): boolean {
  return steps.every((s) => s.kind !== 'movement' && moneyToCents(s.amount) === 0n);
}

/** Whether the movements add up to the end value (they do, to the cent, when the server's bridge is sound). */
export function bridgeReconciles(steps: readonly WaterfallStep[]): boolean {
  const start = steps.find((s) => s.kind === 'start');
  const end = steps.find((s) => s.kind === 'end');
  if (!start || !end) return false;
  const sum = steps.filter((s) => s.kind === 'movement').reduce((a, s) => a + moneyToCents(s.amount), moneyToCents(start.amount));
  return sum === moneyToCents(end.amount);
}

export interface StatusRow {
  key: 'implementation' | 'potential';
  label: string;
  counts: Record<Status, number>;
  total: number;
}

export const STATUS_ORDER: readonly Status[] = ['GREEN', 'AMBER', 'RED'];

/** Implementation and Potential Status of the active and on-hold measures, as two rows of three counts. */
export function statusDistribution(
  implementation: readonly { status: Status; count: number }[],
  potential: readonly { status: Status; count: number }[],
): StatusRow[] {
  const row = (key: StatusRow['key'], label: string, list: readonly { status: Status; count: number }[]): StatusRow => {
    const counts = { GREEN: 0, AMBER: 0, RED: 0 } as Record<Status, number>;
    for (const s of list) counts[s.status] = (counts[s.status] ?? 0) + s.count;
    return { key, label, counts, total: STATUS_ORDER.reduce((n, s) => n + counts[s], 0) };
  };
  return [row('implementation', 'Implementation', implementation), row('potential', 'Potential', potential)];
}

/** Plan, forecast and actual of the whole scope by month, for the same chart the measure page draws. */
export function portfolioMonthSeries(valueByMonth: readonly { month: string; plan: Money; forecast: Money; actual: Money }[]): MonthlySeries {
  const rows = [...valueByMonth].sort((a, b) => a.month.localeCompare(b.month));
  return {
    months: rows.map((r) => r.month),
    plan: rows.map((r) => toNumber(r.plan)),
    forecast: rows.map((r) => toNumber(r.forecast)),
    actual: rows.map((r) => toNumber(r.actual)),
  };
}

export interface WaterfallLook {
  money: (v: number) => string;
  moneyTick: (v: number) => string;
  colors: { total: string; up: string; down: string; flat: string; plan: string; weighted: string };
}

const floating = (steps: readonly WaterfallStep[]) => steps.map((s) => [Math.min(s.from, s.to), Math.max(s.from, s.to)] as [number, number]);

function baseOptions(look: WaterfallLook): NonNullable<ChartConfiguration<'bar'>['options']> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: {
      x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: false } },
      y: { beginAtZero: true, ticks: { callback: (v) => look.moneyTick(Number(v)) }, grid: { color: 'rgba(16,24,40,0.06)' } },
    },
  };
}

/** Plan and risk-weighted plan side by side per level, each bar floating on the levels before it. */
export function doiWaterfallConfig(
  plan: readonly WaterfallStep[],
  weighted: readonly WaterfallStep[],
  look: WaterfallLook,
  label = 'Annual potential',
): ChartConfiguration<'bar'> {
  const describe = (steps: readonly WaterfallStep[]) => (i: number) => {
    const s = steps[i];
    return s ? `${look.money(toNumber(s.amount))} · ${s.count} ${s.count === 1 ? 'measure' : 'measures'}` : '';
  };
  const planText = describe(plan);
  const weightedText = describe(weighted);
  return {
    type: 'bar',
    data: {
      labels: plan.map((s) => s.label),
      datasets: [
        { label, data: floating(plan), backgroundColor: look.colors.plan, borderRadius: 3, maxBarThickness: 34 },
        { label: 'Risk-weighted', data: floating(weighted), backgroundColor: look.colors.weighted, borderRadius: 3, maxBarThickness: 34 },
      ],
    },
    options: {
      ...baseOptions(look),
      plugins: {
        legend: { position: 'top', align: 'end', labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.datasetIndex === 0 ? planText(ctx.dataIndex) : weightedText(ctx.dataIndex)}` } },
      },
    },
  };
}

/** Start and end stand on zero; rises are green, falls red, flat moves grey. */
export function bridgeWaterfallConfig(steps: readonly WaterfallStep[], look: WaterfallLook): ChartConfiguration<'bar'> {
  const color = (s: WaterfallStep) =>
    s.kind !== 'movement' ? look.colors.total : moneyToCents(s.amount) > 0n ? look.colors.up : moneyToCents(s.amount) < 0n ? look.colors.down : look.colors.flat;
  return {
    type: 'bar',
    data: {
      labels: steps.map((s) => s.label),
      datasets: [
        {
          label: 'Value',
          data: floating(steps),
          backgroundColor: steps.map(color),
          borderRadius: 3,
          maxBarThickness: 48,
          // A flat move still shows as a sliver so it can be clicked for its measures.
          minBarLength: 3,
        },
      ],
    },
    options: {
      ...baseOptions(look),
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const s = steps[ctx.dataIndex];
              if (!s) return '';
              const sign = s.kind === 'movement' && moneyToCents(s.amount) > 0n ? '+' : '';
              return `${sign}${look.money(toNumber(s.amount))} · ${s.count} ${s.count === 1 ? 'measure' : 'measures'}`;
            },
          },
        },
      },
    },
  };
}

export interface StatusLook {
  colors: Record<Status, string>;
  statusLabel: (s: Status) => string;
}

/** Two horizontal stacked bars (Implementation, Potential), one segment per traffic light. */
export function statusDistributionConfig(rows: readonly StatusRow[], look: StatusLook): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: STATUS_ORDER.map((status) => ({
        label: look.statusLabel(status),
        data: rows.map((r) => r.counts[status]),
        backgroundColor: look.colors[status],
        borderRadius: 2,
        maxBarThickness: 40,
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, grid: { color: 'rgba(16,24,40,0.06)' } },
        y: { stacked: true, grid: { display: false } },
      },
      plugins: {
        legend: { position: 'top', align: 'end', labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.x} measures` } },
      },
    },
  };
}
