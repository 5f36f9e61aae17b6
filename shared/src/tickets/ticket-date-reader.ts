import { impossibility, type DateParts } from './ticket-dates.js';

/**
 * Dates as service desks export them, read for a whole file at once: the day/month order of numeric dates
 * (3/4/2025) is a property of the file, decided before the rows are read (see dayMonthEvidence), and a value
 * without an offset is wall time in the file's time zone (default UTC).
 */
export type DateOrder = 'dmy' | 'mdy';
export const DATE_ORDERS: readonly DateOrder[] = ['dmy', 'mdy'];

/** Month abbreviations as Jira writes them in its UI languages (dd/MMM/yy), accents and dots dropped. */
const MONTH_NAMES: ReadonlyMap<string, number> = new Map(
  [
    ['jan', 'ene', 'janv', 'jän'],
    ['feb', 'fev', 'fevr', 'févr'],
    ['mar', 'mär', 'mars', 'marz'],
    ['apr', 'abr', 'avr'],
    ['may', 'mai', 'mayo'],
    ['jun', 'juin'],
    ['jul', 'juil'],
    ['aug', 'ago', 'aout', 'août'],
    ['sep', 'set', 'sept'],
    ['oct', 'okt', 'out'],
    ['nov'],
    ['dec', 'dic', 'dez', 'déc'],
  ].flatMap((names, i) => names.map((n) => [n, i + 1] as [string, number])),
);

const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?\s?m\.?)?)?$/i;
const YEAR_FIRST = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const NAMED = /^(\d{1,2})[/ -]([\p{L}.]{3,6})[/ -](\d{4}|\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s?m\.?)?)?$/iu;

/**
 * What a value says about the file's day/month order: 'dmy' when its first number is above 12 (13/03/2025),
 * 'mdy' when its second is (03/13/2025), 'either' when both are 12 or less, undefined when it is no numeric
 * day/month date at all (ISO, named months, empty).
 */
export function dayMonthEvidence(text: string): DateOrder | 'either' | undefined {
  const m = NUMERIC.exec(text.trim());
  if (m === null) return undefined;
  const a = Number(m[1]);
  const b = Number(m[3]);
  if (a > 12 && b <= 12) return 'dmy';
  if (b > 12 && a <= 12) return 'mdy';
  return a <= 12 && b <= 12 ? 'either' : undefined;
}

interface Parts extends DateParts {
  /** Minutes east of UTC when the value states it; undefined for wall time in the file's zone. */
  offset?: number;
}

function fullYear(text: string): number {
  // Two-digit years are this century's: service desks date from long after 2000.
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

function twelveHour(hour: number, half: string | undefined): number {
  if (half === undefined) return hour;
  if (hour < 1 || hour > 12) throw new RangeError(`${hour} is not an hour on a 12-hour clock`);
  return (hour % 12) + (half.toLowerCase() === 'p' ? 12 : 0);
}

/** Minutes east of UTC of a zone at an instant, by Intl; cached per hour, since offsets change on the hour. */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  at(utc: number): number {
    const hour = Math.floor(utc / 3_600_000);
    let offset = this.cache.get(hour);
    if (offset === undefined) {
      const parts = Object.fromEntries(this.format.formatToParts(new Date(hour * 3_600_000)).map((p) => [p.type, p.value]));
      const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      offset = Math.round((wall - hour * 3_600_000) / 60_000);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hour, offset);
    }
    return offset;
  }
}

/** Whether the runtime knows a time zone name (IANA, e.g. Europe/Berlin). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface DateReaderOptions {
  /** How numeric dates order day and month; without it a value like 3/4/2025 is refused as ambiguous. */
  order?: DateOrder;
  /** IANA zone of values without an offset; default UTC. */
  timeZone?: string;
}

/**
 * Reads the dates of one file: numeric dates in the file's order (any of / . - as separator, two- or four-digit
 * years, 24-hour or AM/PM times), year-first dates (database style and ISO 8601 with or without an offset) and
 * Jira's named months in its UI languages (21/abr/26 11:37 PM). Empty text and `?` are no value.
 */
export class TicketDateReader {
  readonly order: DateOrder | undefined;
  readonly timeZone: string;
  private readonly zone: ZoneOffsets | undefined;

  constructor(options: DateReaderOptions = {}) {
    this.order = options.order;
    this.timeZone = options.timeZone ?? 'UTC';
    if (!isTimeZone(this.timeZone)) throw new RangeError(`"${this.timeZone}" is not a time zone (use an IANA name such as Europe/Berlin)`);
    this.zone = this.timeZone === 'UTC' || this.timeZone === 'Etc/UTC' ? undefined : new ZoneOffsets(this.timeZone);
  }

  /** The instant, or undefined for no value; throws a RangeError whose message says what is wrong. */
  read(text: string | undefined): Date | undefined {
    const value = text?.trim() ?? '';
    if (value === '' || value === '?') return undefined;
    let parts: Parts;
    try {
      parts = this.parts(value);
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(`"${value}" is not a valid date: ${e.message}`);
      throw e;
    }
    const problem = impossibility(parts);
    if (problem !== undefined) throw new RangeError(`"${value}" is not a valid date: ${problem}`);
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond);
    if (parts.offset !== undefined) return new Date(wall - parts.offset * 60_000);
    if (this.zone === undefined) return new Date(wall);
    // The offset at the wall time read as UTC, then again at the instant found (right across a DST change).
    const first = wall - this.zone.at(wall) * 60_000;
    return new Date(wall - this.zone.at(first) * 60_000);
  }

  private parts(value: string): Parts {
    const numeric = NUMERIC.exec(value);
    if (numeric !== null) {
      const [a, b] = [Number(numeric[1]), Number(numeric[3])];
      const order = this.order ?? (a > 12 ? 'dmy' : b > 12 ? 'mdy' : undefined);
      if (order === undefined) throw new RangeError('the day/month order of the file is not known');
      return {
        year: fullYear(numeric[4]),
        month: order === 'dmy' ? b : a,
        day: order === 'dmy' ? a : b,
        hour: twelveHour(Number(numeric[5] ?? 0), numeric[8]),
        minute: Number(numeric[6] ?? 0),
        second: Number(numeric[7] ?? 0),
        millisecond: 0,
      };
    }
    const iso = YEAR_FIRST.exec(value);
    if (iso !== null) {
      let offset: number | undefined;
      if (iso[8] !== undefined) {
        if (iso[8].toUpperCase() === 'Z') offset = 0;
        else {
          const digits = iso[8].replace(':', '');
          const h = Number(digits.slice(1, 3));
          const m = Number(digits.slice(3, 5));
          if (h > 14 || m > 59) throw new RangeError(`the offset ${iso[8]} is out of range`);
          offset = (digits.startsWith('-') ? -1 : 1) * (h * 60 + m);
        }
      }
      return {
        year: Number(iso[1]),
        month: Number(iso[2]),
        day: Number(iso[3]),
        hour: Number(iso[4] ?? 0),
        minute: Number(iso[5] ?? 0),
        second: Number(iso[6] ?? 0),
        millisecond: iso[7] === undefined ? 0 : Number(iso[7].slice(0, 3).padEnd(3, '0')),
        offset,
      };
    }
    const named = NAMED.exec(value);
    if (named !== null) {
      const key = named[2].normalize('NFC').toLowerCase().replace(/\.$/, '');
      const month = MONTH_NAMES.get(key) ?? MONTH_NAMES.get(key.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
      if (month === undefined) throw new RangeError(`there is no month "${named[2]}"`);
      return {
        year: fullYear(named[3]),
        month,
        day: Number(named[1]),
        hour: twelveHour(Number(named[4] ?? 0), named[7]),
        minute: Number(named[5] ?? 0),
        second: Number(named[6] ?? 0),
        millisecond: 0,
      };
    }
    throw new RangeError('not a date in a known form (day/month/year, year-month-day, ISO 8601 or Jira\'s dd/MMM/yy)');
  }
}
