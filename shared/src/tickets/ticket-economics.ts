import { centsToMoney, isMoney, moneyToCents, type Money } from '../money.js';

/**
 * The money and rate maths of recurring tickets, one formula for the server (which answers `annualRate`, prefills
 * the potential of a measure made from a group and computes the effect check) and the dashboard (which shows
 * what a group costs a year next to its rate).
 */

const DAY_MS = 86_400_000;

/** Rates are stated to one decimal everywhere: 113.6 tickets a year, 12.3 per 30 days, −42.9 %. */
export function roundRate(n: number): number {
  return Math.round(n * 10) / 10;
}

export interface TicketGroupSpan {
  ticketCount: number;
  /** The first and last ticket day, YYYY-MM-DD; null for a group without tickets. */
  firstDay: string | null;
  lastDay: string | null;
}

/**
 * Tickets a year at the group's pace: its count over its active span (both days counted), the span at least the
 * recurring window so a burst of a few days does not read as thousands a year. One decimal.
 */
export function annualTicketRate(group: TicketGroupSpan, windowDays: number): number {
  if (!group.firstDay || !group.lastDay) return 0;
  const span = (Date.parse(group.lastDay) - Date.parse(group.firstDay)) / DAY_MS + 1;
  return roundRate((group.ticketCount * 365) / Math.max(span, windowDays));
}

/**
 * What a group's tickets cost a year at their pace, the rough potential of a measure that removes them: the
 * annual rate (taken to one decimal) times the cost per ticket, exact to the cent and rounded down. Null when
 * either is not a number.
 */
export function annualTicketCost(annualRate: number, costPerTicket: Money): Money | null {
  if (!isMoney(costPerTicket) || !Number.isFinite(annualRate) || annualRate < 0) return null;
  return centsToMoney((moneyToCents(costPerTicket) * BigInt(Math.round(annualRate * 10))) / 10n);
}

export interface TicketEffectCounts {
  /** Tickets in the W days before the measure reached DoI 4. */
  ticketsBefore: number;
  /** Tickets since DoI 4, over `daysAfter` days (at most W). */
  ticketsAfter: number;
  daysAfter: number;
  windowDays: number;
}

export interface TicketEffectRates {
  ratePer30DaysBefore: number;
  /** Null while no whole day has passed since DoI 4. */
  ratePer30DaysAfter: number | null;
  /** Null while there is no rate after, or there were no tickets before to compare with. */
  changePercent: number | null;
}

/** The effect check: tickets per 30 days before and after DoI 4 and the change, each to one decimal. */
export function ticketEffectRates(c: TicketEffectCounts): TicketEffectRates {
  const before = (c.ticketsBefore * 30) / c.windowDays;
  const after = c.daysAfter > 0 ? (c.ticketsAfter * 30) / c.daysAfter : null;
  return {
    ratePer30DaysBefore: roundRate(before),
    ratePer30DaysAfter: after === null ? null : roundRate(after),
    changePercent: after === null || before === 0 ? null : roundRate(((after - before) / before) * 100),
  };
}
