/**
 * Dates as service desks export them. Exports carry no time zone unless the value says so, so a value without
 * an offset is read as UTC; a desk that exports local time must be converted before import.
 */
export type TicketDateFormat =
  /** ServiceNow list export, e.g. 29-02-2016 01:16 (seconds optional). */
  | 'DD-MM-YYYY HH:MM'
  /** Day first with slashes, e.g. 3/4/2024 9:05 = 3 April (seconds optional). */
  | 'D/M/YYYY H:MM'
  /** Month first with slashes, US exports; never guessed, only when asked for, because 3/4 is ambiguous. */
  | 'M/D/YYYY H:MM'
  /** Database style, e.g. 2024-03-12 09:05:00 (seconds optional). */
  | 'YYYY-MM-DD HH:MM:SS'
  /** 2024-03-12T09:05Z, 2024-03-12T09:05:00.123+01:00, or the date 2024-03-12 alone. */
  | 'ISO 8601'
  /** Jira's default, e.g. 12/Mar/24 9:05 AM. */
  | 'dd/MMM/yy h:mm a';

/** The formats tried, in order, when the caller names none. M/D/YYYY is left out: it collides with D/M/YYYY. */
export const GUESSED_DATE_FORMATS: readonly TicketDateFormat[] = [
  'DD-MM-YYYY HH:MM',
  'D/M/YYYY H:MM',
  'YYYY-MM-DD HH:MM:SS',
  'ISO 8601',
  'dd/MMM/yy h:mm a',
];

export const TICKET_DATE_FORMATS: readonly TicketDateFormat[] = [...GUESSED_DATE_FORMATS, 'M/D/YYYY H:MM'];

/** A date and time as written, before it is checked. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

interface Parts extends DateParts {
  /** Minutes east of UTC. */
  offset: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const DASHED = /^(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DATABASE = /^(\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/i;
const JIRA = /^(\d{1,2})\/([a-z]{3})\/(\d{2})\s+(\d{1,2}):(\d{2})\s*([ap]m)$/i;

/** Reads a match whose groups 4..6 are hour, minute and optional second; y, m, d name the date groups. */
function groups(match: RegExpExecArray | null, y: number, m: number, d: number): Parts | undefined {
  if (match === null) return undefined;
  const n = (i: number) => (match[i] === undefined ? 0 : Number(match[i]));
  return { year: n(y), month: n(m), day: n(d), hour: n(4), minute: n(5), second: n(6), millisecond: 0, offset: 0 };
}

/** Each returns the parts of a matching value, a reason when it matches but cannot be a date, or undefined. */
const PARSERS: Record<TicketDateFormat, (text: string) => Parts | string | undefined> = {
  'DD-MM-YYYY HH:MM': (text) => groups(DASHED.exec(text), 3, 2, 1),
  'D/M/YYYY H:MM': (text) => groups(SLASHED.exec(text), 3, 2, 1),
  'M/D/YYYY H:MM': (text) => groups(SLASHED.exec(text), 3, 1, 2),
  'YYYY-MM-DD HH:MM:SS': (text) => groups(DATABASE.exec(text), 1, 2, 3),
  'ISO 8601': (text) => {
    const m = ISO.exec(text);
    const parts = groups(m, 1, 2, 3);
    if (m === null || parts === undefined) return undefined;
    // Only the first three fraction digits count: Date has millisecond precision.
    const millisecond = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
    let offset = 0;
    if (m[8] !== undefined && m[8].toUpperCase() !== 'Z') {
      const sign = m[8].startsWith('-') ? -1 : 1;
      const [h, mm] = m[8].slice(1).split(':').map(Number);
      if (h > 14 || mm > 59) return `the offset ${m[8]} is out of range`;
      offset = sign * (h * 60 + mm);
    }
    return { ...parts, millisecond, offset };
  },
  'dd/MMM/yy h:mm a': (text) => {
    const m = JIRA.exec(text);
    if (m === null) return undefined;
    const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
    const hour12 = Number(m[4]);
    if (month === 0) return `there is no month "${m[2]}"`;
    if (hour12 < 1 || hour12 > 12) return `${hour12} is not an hour on a 12-hour clock`;
    // 12:xx AM is just after midnight, 12:xx PM just after noon.
    const hour = (hour12 % 12) + (m[6].toLowerCase() === 'pm' ? 12 : 0);
    // Jira writes two-digit years; Jira itself dates from 2002, so every year is in this century.
    return { year: 2000 + Number(m[3]), month, day: Number(m[1]), hour, minute: Number(m[5]), second: 0, millisecond: 0, offset: 0 };
  },
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** By arithmetic: a Date for every value read cost a tenth of an import's parsing. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** The reason a matched value is still no date, or undefined when it is one. */
export function impossibility(p: DateParts): string | undefined {
  if (p.month < 1 || p.month > 12) return `there is no month ${p.month}`;
  if (p.year < 1900 || p.year > 2200) return 'the year must be between 1900 and 2200';
  const days = daysInMonth(p.year, p.month);
  if (p.day < 1 || p.day > days) return `${MONTH_NAMES[p.month - 1]} ${p.year} has ${days} days`;
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return 'the time of day is out of range';
  return undefined;
}

/**
 * Reads a date as a UTC Date. Empty text and ServiceNow's `?` mean "no value" and give undefined; anything
 * else that is not a real date in the named format (or, without one, in any of GUESSED_DATE_FORMATS) throws a
 * RangeError whose message says why.
 */
export function parseTicketDate(text: string | undefined, format?: TicketDateFormat): Date | undefined {
  const value = text?.trim() ?? '';
  if (value === '' || value === '?') return undefined;
  const formats = format === undefined ? GUESSED_DATE_FORMATS : [format];
  for (const f of formats) {
    const parts = PARSERS[f](value);
    if (parts === undefined) continue;
    const problem = typeof parts === 'string' ? parts : impossibility(parts);
    if (problem !== undefined || typeof parts === 'string') throw new RangeError(`"${value}" is not a valid date: ${problem}`);
    const utc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond);
    return new Date(utc - parts.offset * 60_000);
  }
  throw new RangeError(
    format === undefined
      ? `"${value}" is not a date in a known format (${GUESSED_DATE_FORMATS.join(', ')})`
      : `"${value}" does not match the date format ${format}`,
  );
}
