import { describe, expect, it } from 'vitest';
import { dayMonthEvidence, isTimeZone, TicketDateReader } from './ticket-date-reader.js';

const iso = (d: Date | undefined) => d?.toISOString();

describe('what one value says about a file’s day/month order', () => {
  it('settles it when one number is above 12, leaves it open when both are 12 or less, and ignores other forms', () => {
    expect(dayMonthEvidence('29-02-2016 01:16')).toBe('dmy');
    expect(dayMonthEvidence('3/17/2025 6:04')).toBe('mdy');
    expect(dayMonthEvidence('03-04-2025')).toBe('either');
    expect(dayMonthEvidence('2025-03-17 06:04:00')).toBeUndefined();
    expect(dayMonthEvidence('21/abr/26 11:37 PM')).toBeUndefined();
    expect(dayMonthEvidence('')).toBeUndefined();
  });
});

describe('reading a file’s dates', () => {
  it('reads numeric dates in the file’s order, with any separator, two-digit years and AM/PM', () => {
    const dmy = new TicketDateReader({ order: 'dmy' });
    const mdy = new TicketDateReader({ order: 'mdy' });
    expect(iso(dmy.read('03/04/2025 09:05'))).toBe('2025-04-03T09:05:00.000Z');
    expect(iso(mdy.read('03/04/2025 09:05'))).toBe('2025-03-04T09:05:00.000Z');
    expect(iso(dmy.read('16.02.17 15:26:09'))).toBe('2017-02-16T15:26:09.000Z');
    expect(iso(mdy.read('3/17/2025 12:04 AM'))).toBe('2025-03-17T00:04:00.000Z');
    expect(iso(mdy.read('3/17/2025 12:04 p.m.'))).toBe('2025-03-17T12:04:00.000Z');
  });

  it('reads a value that settles the order itself without being told, and refuses one that does not', () => {
    const reader = new TicketDateReader();
    expect(iso(reader.read('29-02-2016 01:16'))).toBe('2016-02-29T01:16:00.000Z');
    expect(() => reader.read('03-04-2025 10:00')).toThrow('"03-04-2025 10:00" is not a valid date: the day/month order of the file is not known');
  });

  it('reads year-first dates with and without an offset, and Jira’s named months in its languages', () => {
    const reader = new TicketDateReader({ order: 'dmy' });
    expect(iso(reader.read('2024-03-12 09:05:00'))).toBe('2024-03-12T09:05:00.000Z');
    expect(iso(reader.read('2024-03-12T09:05:00.123+01:00'))).toBe('2024-03-12T08:05:00.123Z');
    expect(iso(reader.read('2024-03-12T09:05Z'))).toBe('2024-03-12T09:05:00.000Z');
    expect(iso(reader.read('21/abr/26 11:37 PM'))).toBe('2026-04-21T23:37:00.000Z');
    expect(iso(reader.read('05/déc./24 9:00 AM'))).toBe('2024-12-05T09:00:00.000Z');
    expect(iso(reader.read('12/Mär/24 9:05'))).toBe('2024-03-12T09:05:00.000Z');
  });

  it('takes empty text and ServiceNow’s ? for no value', () => {
    const reader = new TicketDateReader();
    expect(reader.read('')).toBeUndefined();
    expect(reader.read('  ?  ')).toBeUndefined();
    expect(reader.read(undefined)).toBeUndefined();
  });

  it('refuses impossible dates with the reason, leap years included', () => {
    const reader = new TicketDateReader({ order: 'dmy' });
    expect(iso(reader.read('29/02/2000 10:00'))).toBe('2000-02-29T10:00:00.000Z');
    expect(() => reader.read('29/02/1900 10:00')).toThrow('February 1900 has 28 days');
    expect(() => reader.read('29/02/2025 10:00')).toThrow('February 2025 has 28 days');
    expect(() => reader.read('31/04/2025 10:00')).toThrow('April 2025 has 30 days');
    expect(() => reader.read('12/13/2025 10:00')).toThrow('there is no month 13');
    expect(() => reader.read('01/02/2025 24:00')).toThrow('the time of day is out of range');
    expect(() => reader.read('01/02/2025 13:00 PM')).toThrow('13 is not an hour on a 12-hour clock');
    expect(() => reader.read('12/xyz/24 9:05')).toThrow('there is no month "xyz"');
    expect(() => reader.read('yesterday')).toThrow(/not a date in a known form/);
  });

  it('reads wall time in the file’s time zone, right on both sides of a daylight-saving change', () => {
    const berlin = new TicketDateReader({ order: 'dmy', timeZone: 'Europe/Berlin' });
    // Winter: UTC+1; summer: UTC+2 (clocks went forward on 30 March 2025 at 02:00).
    expect(iso(berlin.read('15/01/2025 10:00'))).toBe('2025-01-15T09:00:00.000Z');
    expect(iso(berlin.read('30/03/2025 01:30'))).toBe('2025-03-30T00:30:00.000Z');
    expect(iso(berlin.read('30/03/2025 03:30'))).toBe('2025-03-30T01:30:00.000Z');
    expect(iso(berlin.read('15/07/2025 10:00'))).toBe('2025-07-15T08:00:00.000Z');
    // A value with its own offset keeps it, whatever the file's zone.
    expect(iso(berlin.read('2025-07-15T10:00:00Z'))).toBe('2025-07-15T10:00:00.000Z');
    const saoPaulo = new TicketDateReader({ order: 'dmy', timeZone: 'America/Sao_Paulo' });
    expect(iso(saoPaulo.read('14-08-2025 14:27'))).toBe('2025-08-14T17:27:00.000Z');
  });

  it('refuses a time zone the runtime does not know', () => {
    expect(isTimeZone('Europe/Lisbon')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => new TicketDateReader({ timeZone: 'Mars/Olympus' })).toThrow('"Mars/Olympus" is not a time zone');
  });
});
