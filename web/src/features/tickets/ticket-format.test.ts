import { describe, expect, it } from 'vitest';
import { formatMinutes, formatRate, parseDuration, percentOf } from './ticket-format';

describe('ticket figures', () => {
  it('writes SLA targets as people read them', () => {
    expect(formatMinutes(15)).toBe('15 min');
    expect(formatMinutes(240)).toBe('4 h');
    expect(formatMinutes(4320)).toBe('3 d');
    expect(formatMinutes(1680)).toBe('1 d 4 h');
    expect(formatMinutes(0)).toBe('—');
  });

  it('reads SLA targets as typed', () => {
    expect(parseDuration('30')).toBe(30);
    expect(parseDuration('30m')).toBe(30);
    expect(parseDuration('4h')).toBe(240);
    expect(parseDuration('1.5h')).toBe(90);
    expect(parseDuration('1,5 h')).toBe(90);
    expect(parseDuration('3d')).toBe(4320);
    expect(parseDuration('1d 4h')).toBe(1680);
    expect(parseDuration('2 days 3 hours')).toBe(3060);
    expect(parseDuration('45 min')).toBe(45);
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('4h 2h')).toBeNull();
    expect(parseDuration('-4h')).toBeNull();
  });

  it('rounds rates and shares for display', () => {
    expect(formatRate(113.6, 'en-US')).toBe('113.6');
    expect(formatRate(12, 'en-US')).toBe('12');
    expect(formatRate(null)).toBe('—');
    expect(percentOf(19, 24)).toBe(79);
    expect(percentOf(1, 0)).toBeNull();
  });
});
