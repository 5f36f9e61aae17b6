/** A calendar month "YYYY-MM" (UTC). Values are booked per month. */
export type Month = string;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: unknown): value is Month {
  if (typeof value !== 'string') return false;
  const m = MONTH_PATTERN.exec(value);
  return m !== null && Number(m[1]) >= 1900 && Number(m[1]) <= 2200;
}

/** The month's first day as an ISO date, the form the database stores. */
export function monthToDate(month: Month): string {
  if (!isMonth(month)) throw new RangeError(`not a month: ${month}`);
  return `${month}-01`;
}

export function monthOf(date: Date): Month {
  return date.toISOString().slice(0, 7);
}

export function addMonths(month: Month, count: number): Month {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included. */
export function monthRange(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}
