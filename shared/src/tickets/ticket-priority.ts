import { Priority } from './ticket-record.js';

const BY_NUMBER: readonly Priority[] = [Priority.CRITICAL, Priority.HIGH, Priority.MODERATE, Priority.LOW, Priority.PLANNING];

/** ServiceNow's, Jira's (both its default and its older scheme) and plain ITIL words for the five levels. */
const BY_WORD: Readonly<Record<string, Priority>> = {
  critical: Priority.CRITICAL,
  highest: Priority.CRITICAL,
  blocker: Priority.CRITICAL,
  high: Priority.HIGH,
  major: Priority.HIGH,
  medium: Priority.MODERATE,
  moderate: Priority.MODERATE,
  low: Priority.LOW,
  minor: Priority.LOW,
  lowest: Priority.PLANNING,
  trivial: Priority.PLANNING,
  planning: Priority.PLANNING,
};

/** "3 - Moderate", "3-Moderate", "P3", "3" or "Moderate". */
const NUMBERED = /^p?([1-5])(?:\s*-\s*(\S.*))?$/;

/**
 * Maps a desk's priority to ours, case-insensitively. Empty text and `?` give undefined (the caller decides the
 * default); anything unknown throws a RangeError. When a number and a word are both given ("2 - High"), the
 * number decides: desks rename the levels, but the scale stays 1 to 5.
 */
export function parsePriority(text: string | undefined): Priority | undefined {
  const value = text?.trim().toLowerCase().replace(/\s+/g, ' ') ?? '';
  if (value === '' || value === '?') return undefined;
  const numbered = NUMBERED.exec(value);
  if (numbered) return BY_NUMBER[Number(numbered[1]) - 1];
  const byWord = BY_WORD[value];
  if (byWord !== undefined && Object.hasOwn(BY_WORD, value)) return byWord;
  throw new RangeError(`unknown priority "${text?.trim()}"`);
}

/**
 * ServiceNow's default priority lookup from impact and urgency (each 1 high .. 3 low): the sum 2 is critical,
 * 3 high, 4 moderate, 5 low, 6 planning. Used when an export has impact and urgency but no priority.
 */
export function priorityFromImpactAndUrgency(impact: string | undefined, urgency: string | undefined): Priority | undefined {
  const level = (text: string | undefined) => {
    const m = /^\s*([1-3])\b/.exec(text ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const i = level(impact);
  const u = level(urgency);
  if (i === undefined || u === undefined) return undefined;
  return BY_NUMBER[i + u - 2];
}
