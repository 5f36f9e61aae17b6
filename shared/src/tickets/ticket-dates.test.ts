import { describe, expect, it } from 'vitest';
import { parseTicketDate } from './ticket-dates.js';

const iso = (text: string, format?: Parameters<typeof parseTicketDate>[1]) => parseTicketDate(text, format)?.toISOString();

describe('ticket dates', () => {
  it('reads every supported export format as UTC', () => {
    expect(iso('29-02-2016 01:16')).toBe('2016-02-29T01:16:00.000Z');
    expect(iso('05-03-2016 12:00:59')).toBe('2016-03-05T12:00:59.000Z');
    expect(iso('3/4/2024 9:05')).toBe('2024-04-03T09:05:00.000Z');
    expect(iso('2024-03-12 09:05:07')).toBe('2024-03-12T09:05:07.000Z');
    expect(iso('2024-03-12 09:05')).toBe('2024-03-12T09:05:00.000Z');
    expect(iso('2024-03-12T09:05Z')).toBe('2024-03-12T09:05:00.000Z');
    expect(iso('2024-03-12T09:05:07.123456Z')).toBe('2024-03-12T09:05:07.123Z');
    expect(iso('2024-03-12T09:05:00+01:00')).toBe('2024-03-12T08:05:00.000Z');
    expect(iso('2024-03-12T23:30:00-05:30')).toBe('2024-03-13T05:00:00.000Z');
    expect(iso('2024-03-12')).toBe('2024-03-12T00:00:00.000Z');
    expect(iso('12/Mar/24 9:05 AM')).toBe('2024-03-12T09:05:00.000Z');
    expect(iso('12/mar/24 9:05 pm')).toBe('2024-03-12T21:05:00.000Z');
  });

  it('reads 12 AM as midnight and 12 PM as noon in Jira dates', () => {
    expect(iso('01/Jan/25 12:00 AM')).toBe('2025-01-01T00:00:00.000Z');
    expect(iso('01/Jan/25 12:30 PM')).toBe('2025-01-01T12:30:00.000Z');
  });

  it('reads month-first dates only when asked to, because 3/4 is ambiguous', () => {
    expect(iso('3/4/2024 9:05', 'M/D/YYYY H:MM')).toBe('2024-03-04T09:05:00.000Z');
    expect(() => parseTicketDate('2024-03-12 09:05', 'M/D/YYYY H:MM')).toThrow('does not match the date format M/D/YYYY H:MM');
  });

  it('gives no value for empty text and ServiceNow\'s "?"', () => {
    for (const empty of ['', '  ', '?', ' ? ', undefined]) expect(parseTicketDate(empty)).toBeUndefined();
  });

  it('rejects impossible dates with the reason', () => {
    expect(() => parseTicketDate('31-02-2016 10:00')).toThrow('"31-02-2016 10:00" is not a valid date: February 2016 has 29 days');
    expect(() => parseTicketDate('29-02-2015 10:00')).toThrow('February 2015 has 28 days');
    expect(() => parseTicketDate('01-13-2016 10:00')).toThrow('there is no month 13');
    expect(() => parseTicketDate('01-01-2016 24:00')).toThrow('the time of day is out of range');
    expect(() => parseTicketDate('2024-03-12T09:05:00+15:00')).toThrow('the offset +15:00 is out of range');
    expect(() => parseTicketDate('12/Mrz/24 9:05 AM')).toThrow('there is no month "Mrz"');
    expect(() => parseTicketDate('12/Mar/24 13:05 PM')).toThrow('13 is not an hour on a 12-hour clock');
    expect(() => parseTicketDate('01-01-1066 10:00')).toThrow('the year must be between 1900 and 2200');
  });

  it('rejects text in no known format, naming the formats it tried', () => {
    for (const bad of ['yesterday', '2016-02-29T01:16:00 CET', '29.02.2016 01:16', '1456708560000']) {
      expect(() => parseTicketDate(bad)).toThrow(RangeError);
      expect(() => parseTicketDate(bad)).toThrow(/is not a date in a known format \(DD-MM-YYYY HH:MM, /);
    }
  });
});
