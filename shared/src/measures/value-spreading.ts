import { centsToMoney, isMoney, moneyToCents, type Money } from '../money.js';

/**
 * Spreading a yearly amount across months, exactly in cents: each month gets the floor of its weighted share,
 * and the cents left over go one each to the months whose share lost the most to the floor (largest remainder),
 * the earlier month first on a tie. The parts always add up to the amount, and the same input always gives the
 * same parts.
 */

/** A weight is a non-negative decimal with up to four fraction digits ("1", "2.5"), as typed or as a number. */
const WEIGHT_PATTERN = /^\d{1,9}(\.\d{1,4})?$/;

export class SpreadError extends RangeError {}

function weightUnits(weight: number | string, index: number): bigint {
  const text = typeof weight === 'number' ? String(weight) : weight.trim();
  if (!WEIGHT_PATTERN.test(text)) throw new SpreadError(`weight ${index + 1} must be a number of 0 or more with at most four decimals: "${weight}"`);
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0'));
}

/** The amount split by the weights (one part a weight); a weight of 0 gets 0. */
export function spreadByWeights(total: Money, weights: readonly (number | string)[]): Money[] {
  if (!isMoney(total)) throw new SpreadError(`not an amount: ${total}`);
  if (weights.length === 0) throw new SpreadError('at least one month is needed');
  const units = weights.map(weightUnits);
  const sum = units.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new SpreadError('the weights must not all be 0');
  const cents = moneyToCents(total);
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const parts = units.map((u) => (abs * u) / sum);
  const remainders = units.map((u, i) => ({ i, r: (abs * u) % sum }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    if (units[i] === 0n) continue;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map((p) => centsToMoney(negative ? -p : p));
}

/** The amount split evenly over `count` months. */
export function spreadEvenly(total: Money, count: number): Money[] {
  if (!Number.isInteger(count) || count < 1 || count > 1200) throw new SpreadError('the number of months must be 1 to 1200');
  return spreadByWeights(total, Array(count).fill(1));
}

/** Named patterns for a year, January to December. */
export const SPREAD_PATTERNS = {
  even: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  /** Savings that grow as a measure takes hold: 1 in January up to 12 in December. */
  rampUp: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  /** One quarter a quarter, booked in the quarter's last month. */
  quarterEnd: [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1],
} as const satisfies Record<string, readonly number[]>;

export type SpreadPattern = keyof typeof SPREAD_PATTERNS;

/** Weights as typed: separated by commas, semicolons, tabs or spaces ("1, 1, 2" or "1;1;2"). */
export function parseWeights(text: string): string[] {
  const parts = text.split(/[\s;,]+/).filter(Boolean);
  if (parts.length === 0) throw new SpreadError('type one weight a month, e.g. 1, 1, 2');
  parts.forEach(weightUnits);
  return parts;
}
