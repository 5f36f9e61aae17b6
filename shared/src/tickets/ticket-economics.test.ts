import { describe, expect, it } from 'vitest';
import { annualTicketCost, annualTicketRate, ticketEffectRates } from './ticket-economics.js';

describe('recurring-ticket economics', () => {
  it('prices a group’s year of tickets exactly, rounding cents down', () => {
    // 113.6 tickets a year at 25.00 a ticket.
    expect(annualTicketCost(113.6, '25.00')).toBe('2840.00');
    expect(annualTicketCost(97.3, '25.00')).toBe('2432.50');
    // 3.3 x 0.05 = 0.165: the half cent is dropped.
    expect(annualTicketCost(3.3, '0.05')).toBe('0.16');
    expect(annualTicketCost(0, '25.00')).toBe('0.00');
    expect(annualTicketCost(10, 'abc')).toBeNull();
    expect(annualTicketCost(Number.NaN, '1.00')).toBeNull();
    expect(annualTicketCost(-1, '1.00')).toBeNull();
  });

  it('rates a group over its active span, never shorter than the recurring window', () => {
    // 10 tickets over a whole non-leap year (365 days, both ends counted): 10 a year.
    expect(annualTicketRate({ ticketCount: 10, firstDay: '2025-01-01', lastDay: '2025-12-31' }, 90)).toBe(10);
    // 6 tickets within 3 days, window 90 days: 6 x 365 / 90 = 24.33 -> 24.3.
    expect(annualTicketRate({ ticketCount: 6, firstDay: '2025-03-01', lastDay: '2025-03-03' }, 90)).toBe(24.3);
    // 4 tickets over 146 days (window 30): 4 x 365 / 146 = 10.
    expect(annualTicketRate({ ticketCount: 4, firstDay: '2025-01-01', lastDay: '2025-05-26' }, 30)).toBe(10);
    expect(annualTicketRate({ ticketCount: 0, firstDay: null, lastDay: null }, 90)).toBe(0);
  });

  it('compares tickets per 30 days before and after DoI 4', () => {
    // 12 in the 90 days before: 4 per 30 days; 1 in the 15 days after: 2 per 30 days; -50 %.
    expect(ticketEffectRates({ ticketsBefore: 12, ticketsAfter: 1, daysAfter: 15, windowDays: 90 })).toEqual({ ratePer30DaysBefore: 4, ratePer30DaysAfter: 2, changePercent: -50 });
    // 7 in 90 days: 2.333 -> 2.3; 1 in 10 days: 3; change from the unrounded rates: +28.6 %.
    expect(ticketEffectRates({ ticketsBefore: 7, ticketsAfter: 1, daysAfter: 10, windowDays: 90 })).toEqual({ ratePer30DaysBefore: 2.3, ratePer30DaysAfter: 3, changePercent: 28.6 });
  });

  it('states no rate after on the day of DoI 4, and no change when there was nothing before', () => {
    expect(ticketEffectRates({ ticketsBefore: 9, ticketsAfter: 0, daysAfter: 0, windowDays: 90 })).toEqual({ ratePer30DaysBefore: 3, ratePer30DaysAfter: null, changePercent: null });
    expect(ticketEffectRates({ ticketsBefore: 0, ticketsAfter: 2, daysAfter: 30, windowDays: 90 })).toEqual({ ratePer30DaysBefore: 0, ratePer30DaysAfter: 2, changePercent: null });
  });
});
