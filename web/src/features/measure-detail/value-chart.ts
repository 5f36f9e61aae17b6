import { moneyToCents, type Month } from '@gatehouse/shared';
import type { ChartConfiguration } from 'chart.js';
import type { ValueKind } from '../../graphql/generated';

export interface MonthlySeries {
  months: Month[];
  plan: (number | null)[];
  forecast: (number | null)[];
  actual: (number | null)[];
}

/**
 * Plan, forecast and actual per month for the chart. Amounts become numbers here for drawing only (a chart
 * needs a position, not an exact sum); a month without a value is a gap, not zero.
 */
export function monthlySeries(values: readonly { month: string; kind: ValueKind; amount: string }[], months: readonly Month[]): MonthlySeries {
  const byKey = new Map(values.map((v) => [`${v.kind}:${v.month}`, v.amount]));
  const series = (kind: ValueKind) =>
    months.map((m) => {
      const amount = byKey.get(`${kind}:${m}`);
      return amount === undefined ? null : Number(moneyToCents(amount)) / 100;
    });
  return { months: [...months], plan: series('PLAN'), forecast: series('FORECAST'), actual: series('ACTUAL') };
}

export function hasAnyValue(series: MonthlySeries): boolean {
  return [series.plan, series.forecast, series.actual].some((s) => s.some((v) => v !== null));
}

export interface ChartLook {
  monthLabel: (m: Month) => string;
  money: (v: number) => string;
  moneyTick: (v: number) => string;
  colors: { plan: string; forecast: string; actual: string };
  animate: boolean;
}

/** Actuals as bars, plan and forecast as lines over them, one shared money axis. */
export function valueChartConfig(series: MonthlySeries, look: ChartLook): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: series.months.map(look.monthLabel),
      datasets: [
        { type: 'bar', label: 'Actual', data: series.actual, backgroundColor: look.colors.actual, borderRadius: 3, order: 3, maxBarThickness: 22 },
        {
          type: 'line',
          label: 'Plan',
          data: series.plan,
          borderColor: look.colors.plan,
          backgroundColor: look.colors.plan,
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 0,
          pointHoverRadius: 4,
          spanGaps: false,
          order: 1,
        },
        {
          type: 'line',
          label: 'Forecast',
          data: series.forecast,
          borderColor: look.colors.forecast,
          backgroundColor: look.colors.forecast,
          borderWidth: 2,
          pointRadius: 0,
          pointHoverRadius: 4,
          spanGaps: false,
          order: 2,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: look.animate ? undefined : false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
        y: { beginAtZero: true, ticks: { callback: (v) => look.moneyTick(Number(v)) }, grid: { color: 'rgba(16,24,40,0.06)' } },
      },
      plugins: {
        legend: { position: 'top', align: 'end', labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.y === null ? '—' : look.money(ctx.parsed.y)}` } },
      },
    },
  };
}
