import { isMonth, monthRange, type Month } from '@gatehouse/shared';
import type { ChartConfiguration } from 'chart.js';

/**
 * The ticket charts as pure mappings from the API's answers: a group's trend (tickets and SLA breaches per
 * month) and the effect check (ticket rate per 30 days before and after a measure reached DoI 4).
 */
export interface TrendPoint {
  month: string;
  tickets: number;
  breached: number;
}

export interface TrendSeries {
  months: Month[];
  /** Tickets that kept their resolution SLA (or have no SLA target): the stack's lower part. */
  withinSla: number[];
  breached: number[];
  tickets: number[];
}

/**
 * Months in order, every month between the first and last present (a month the server left out is zero, not a
 * gap), breaches never above the month's tickets.
 */
export function ticketTrendSeries(points: readonly TrendPoint[]): TrendSeries {
  const byMonth = new Map<string, TrendPoint>();
  for (const p of points) if (isMonth(p.month)) byMonth.set(p.month, p);
  const sorted = [...byMonth.keys()].sort();
  const months: Month[] = sorted.length ? monthRange(sorted[0], sorted[sorted.length - 1]) : [];
  const tickets = months.map((m) => Math.max(0, byMonth.get(m)?.tickets ?? 0));
  const breached = months.map((m, i) => Math.min(tickets[i], Math.max(0, byMonth.get(m)?.breached ?? 0)));
  return { months, tickets, breached, withinSla: tickets.map((t, i) => t - breached[i]) };
}

export function trendTotals(series: TrendSeries): { tickets: number; breached: number } {
  return { tickets: series.tickets.reduce((a, b) => a + b, 0), breached: series.breached.reduce((a, b) => a + b, 0) };
}

export interface TrendLook {
  monthLabel: (m: Month) => string;
  colors: { within: string; breached: string };
  animate: boolean;
}

/** One stacked bar per month: tickets within SLA below, breaches (red) on top, so the bar's height is all tickets. */
export function ticketTrendConfig(series: TrendSeries, look: TrendLook): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: series.months.map(look.monthLabel),
      datasets: [
        { label: 'Within SLA', data: series.withinSla, backgroundColor: look.colors.within, borderRadius: 2, maxBarThickness: 28, stack: 'tickets' },
        { label: 'SLA breached', data: series.breached, backgroundColor: look.colors.breached, borderRadius: 2, maxBarThickness: 28, stack: 'tickets' },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: look.animate ? undefined : false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 10 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, grid: { color: 'rgba(16,24,40,0.06)' } },
      },
      plugins: {
        legend: { position: 'top', align: 'end', labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.y}`,
            footer: (items) => {
              const i = items[0]?.dataIndex;
              return i === undefined ? '' : `${series.tickets[i]} ${series.tickets[i] === 1 ? 'ticket' : 'tickets'}`;
            },
          },
        },
      },
    },
  };
}

export interface EffectInput {
  groupId: string;
  measureId: string;
  implementedAt: string | null;
  ratePer30DaysBefore: number | null;
  ratePer30DaysAfter: number | null;
  changePercent: number | null;
  ticketsBefore: number;
  ticketsAfter: number;
  daysAfter: number;
}

/** Where an effect check stands: not at DoI 4 yet, at DoI 4 today (nothing after yet), or measured. */
export type EffectStage = 'pending' | 'measuring' | 'measured';

export interface EffectRow {
  key: string;
  groupId: string;
  measureId: string;
  label: string;
  stage: EffectStage;
  implementedAt: string | null;
  before: number | null;
  after: number | null;
  changePercent: number | null;
  ticketsBefore: number;
  ticketsAfter: number;
  daysAfter: number;
}

export function effectStage(e: EffectInput): EffectStage {
  if (!e.implementedAt) return 'pending';
  return e.ratePer30DaysAfter === null || e.daysAfter === 0 ? 'measuring' : 'measured';
}

/**
 * The effect checks as rows, labelled by `label(effect)` (the group's title on a measure, the measure's code on
 * a group), measured ones first, the largest fall first among them.
 */
export function effectCheckRows(effects: readonly EffectInput[], label: (e: EffectInput) => string): EffectRow[] {
  const order: Record<EffectStage, number> = { measured: 0, measuring: 1, pending: 2 };
  return effects
    .map((e) => ({
      key: `${e.groupId}:${e.measureId}`,
      groupId: e.groupId,
      measureId: e.measureId,
      label: label(e),
      stage: effectStage(e),
      implementedAt: e.implementedAt,
      before: e.ratePer30DaysBefore,
      after: e.ratePer30DaysAfter,
      changePercent: e.changePercent,
      ticketsBefore: e.ticketsBefore,
      ticketsAfter: e.ticketsAfter,
      daysAfter: e.daysAfter,
    }))
    .sort((a, b) => order[a.stage] - order[b.stage] || (a.changePercent ?? 0) - (b.changePercent ?? 0) || a.label.localeCompare(b.label));
}

/** "−75 %", "+20 %", "±0 %"; null when there is no change to state (nothing before, or nothing after yet). */
export function formatChange(percent: number | null): string | null {
  if (percent === null || !Number.isFinite(percent)) return null;
  const rounded = Math.round(percent);
  if (rounded === 0) return '±0 %';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)} %`;
}

export interface EffectLook {
  colors: { before: string; after: string };
  /** "12.0 per 30 days" */
  rate: (v: number) => string;
}

/** Before and after side by side for every row that has reached DoI 4; the tooltip carries the change. */
export function effectCheckConfig(rows: readonly EffectRow[], look: EffectLook): ChartConfiguration<'bar'> {
  const shown = rows.filter((r) => r.stage !== 'pending');
  return {
    type: 'bar',
    data: {
      labels: shown.map((r) => r.label),
      datasets: [
        { label: 'Before DoI 4', data: shown.map((r) => r.before ?? 0), backgroundColor: look.colors.before, borderRadius: 3, maxBarThickness: 36 },
        { label: 'After DoI 4', data: shown.map((r) => r.after), backgroundColor: look.colors.after, borderRadius: 3, maxBarThickness: 36 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: false, callback: (_v, i) => shortLabel(shown[i]?.label ?? '') } },
        y: { beginAtZero: true, title: { display: true, text: 'Tickets per 30 days' }, grid: { color: 'rgba(16,24,40,0.06)' } },
      },
      plugins: {
        legend: { position: 'top', align: 'end', labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.y === null ? 'not yet' : look.rate(ctx.parsed.y)}`,
            footer: (items) => {
              const row = shown[items[0]?.dataIndex ?? -1];
              const change = row ? formatChange(row.changePercent) : null;
              return change ? `Change: ${change}` : '';
            },
          },
        },
      },
    },
  };
}

function shortLabel(label: string, max = 28): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export interface EvidenceWordingLook {
  date: (iso: string) => string;
  rate: (v: number) => string;
  windowDays: number | null;
}

/**
 * The effect check as a sentence for closure evidence, or null while there is nothing to compare (no days after
 * DoI 4 yet, or no tickets on either side).
 * States the numbers both ways so a controller can check them against the trend.
 */
export function effectEvidenceWording(groupTitle: string, row: EffectRow, look: EvidenceWordingLook): string | null {
  if (row.stage !== 'measured' || row.before === null || row.after === null || !row.implementedAt) return null;
  // No tickets on either side: nothing this group can prove.
  if (row.ticketsBefore === 0 && row.ticketsAfter === 0) return null;
  const change = formatChange(row.changePercent);
  const window = look.windowDays ? `the ${look.windowDays} days before` : 'the window before';
  return (
    `Recurring tickets "${groupTitle}": ${look.rate(row.before)} in ${window} DoI 4 (${look.date(row.implementedAt)}, ${row.ticketsBefore} tickets), ` +
    `${look.rate(row.after)} in the ${row.daysAfter} days after (${row.ticketsAfter} tickets)` +
    (change ? `: ${change}.` : '.')
  );
}
