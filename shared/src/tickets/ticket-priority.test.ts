import { describe, expect, it } from 'vitest';
import { parsePriority, priorityFromImpactAndUrgency } from './ticket-priority.js';
import { Priority } from './ticket-record.js';

describe('ticket priority', () => {
  it('maps ServiceNow\'s numbered levels and bare digits', () => {
    expect(parsePriority('1 - Critical')).toBe(Priority.CRITICAL);
    expect(parsePriority('2 - High')).toBe(Priority.HIGH);
    expect(parsePriority('3 - Moderate')).toBe(Priority.MODERATE);
    expect(parsePriority('4 - Low')).toBe(Priority.LOW);
    expect(parsePriority('5 - Planning')).toBe(Priority.PLANNING);
    expect(['1', '2', '3', '4', '5'].map(parsePriority)).toEqual([
      Priority.CRITICAL,
      Priority.HIGH,
      Priority.MODERATE,
      Priority.LOW,
      Priority.PLANNING,
    ]);
    expect(parsePriority('P2')).toBe(Priority.HIGH);
  });

  it('lets the number decide when a desk renamed the level', () => {
    expect(parsePriority('3 - Medium')).toBe(Priority.MODERATE);
    expect(parsePriority('1 - Sev1')).toBe(Priority.CRITICAL);
  });

  it('maps Jira\'s and ITIL words case-insensitively', () => {
    const words: Record<string, Priority> = {
      Critical: Priority.CRITICAL,
      HIGHEST: Priority.CRITICAL,
      blocker: Priority.CRITICAL,
      High: Priority.HIGH,
      Major: Priority.HIGH,
      Medium: Priority.MODERATE,
      moderate: Priority.MODERATE,
      Low: Priority.LOW,
      Minor: Priority.LOW,
      Lowest: Priority.PLANNING,
      Trivial: Priority.PLANNING,
      ' Planning ': Priority.PLANNING,
    };
    for (const [word, priority] of Object.entries(words)) expect(parsePriority(word)).toBe(priority);
  });

  it('gives no value for empty text and "?"', () => {
    expect(parsePriority('')).toBeUndefined();
    expect(parsePriority('?')).toBeUndefined();
    expect(parsePriority(undefined)).toBeUndefined();
  });

  it('rejects an unknown priority', () => {
    for (const bad of ['6', '0 - None', 'whenever', 'constructor', '3 4']) {
      expect(() => parsePriority(bad)).toThrow(`unknown priority "${bad}"`);
    }
  });

  it('derives ServiceNow\'s default priority from impact and urgency', () => {
    expect(priorityFromImpactAndUrgency('1 - High', '1 - High')).toBe(Priority.CRITICAL);
    expect(priorityFromImpactAndUrgency('1 - High', '2 - Medium')).toBe(Priority.HIGH);
    expect(priorityFromImpactAndUrgency('2 - Medium', '2 - Medium')).toBe(Priority.MODERATE);
    expect(priorityFromImpactAndUrgency('3 - Low', '2 - Medium')).toBe(Priority.LOW);
    expect(priorityFromImpactAndUrgency('3', '3')).toBe(Priority.PLANNING);
    expect(priorityFromImpactAndUrgency('2 - Medium', undefined)).toBeUndefined();
  });
});
