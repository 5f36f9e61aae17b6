/**
 * Money is an exact decimal string with at most two fraction digits ("12500.00", "-3.5"). Arithmetic runs on
 * integer cents as bigint, so no value ever passes through a binary float.
 */
export type Money = string;

/**
 * One value holds up to 13 integer digits, so at most MONEY_MAX either way (docs/domain-rules.md, "Values"); the
 * value column is numeric(15,2). Totals and rollups are numeric(30,2), so sums of any valid values fit.
 */
const MONEY_PATTERN = /^-?(0|[1-9]\d{0,12})(\.\d{1,2})?$/;

export const MONEY_MAX_INTEGER_DIGITS = 13;
/** The largest amount one value may hold; its negative is the smallest. */
export const MONEY_MAX: Money = '9999999999999.99';

export function isMoney(value: unknown): value is Money {
  return typeof value === 'string' && MONEY_PATTERN.test(value);
}

/** Any exact decimal with up to two fraction digits: sums may outgrow what one input may hold. */
const DECIMAL_PATTERN = /^-?\d+(\.\d{1,2})?$/;

export function moneyToCents(value: Money): bigint {
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) throw new RangeError(`not a money amount: ${value}`);
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return negative ? -cents : cents;
}

export function centsToMoney(cents: bigint): Money {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Canonical form with two fraction digits: "12" -> "12.00". */
export function normaliseMoney(value: Money): Money {
  return centsToMoney(moneyToCents(value));
}

export function sumMoney(values: Iterable<Money>): Money {
  let total = 0n;
  for (const v of values) total += moneyToCents(v);
  return centsToMoney(total);
}

/** Compares two amounts: negative, zero or positive like a sort comparator. */
export function compareMoney(a: Money, b: Money): number {
  const d = moneyToCents(a) - moneyToCents(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * Multiplies by a percentage given in whole percent (risk weights are 10, 30, ...), rounding half away from
 * zero to the cent.
 */
export function percentOfMoney(value: Money, percent: number): Money {
  if (!Number.isInteger(percent)) throw new RangeError('percent must be an integer');
  const scaled = moneyToCents(value) * BigInt(percent);
  const q = scaled / 100n;
  const r = scaled % 100n;
  const rounded = r * 2n >= 100n ? q + 1n : r * 2n <= -100n ? q - 1n : q;
  return centsToMoney(rounded);
}
