import { isMoney, moneyToCents, sumMoney, type Money } from '@gatehouse/shared';
import type { ValueKind } from '../../graphql/generated';
import { GRID_KINDS } from './values-grid';

export interface ValueReadRow {
  month: string;
  /** Amount per kind; null where nothing was recorded for that month. */
  amounts: Record<ValueKind, Money | null>;
}

export interface ValuesRead {
  rows: ValueReadRow[];
  /** Every recorded amount of a kind, summed exactly. */
  totals: Record<ValueKind, Money>;
}

/**
 * The measure's values as a reader wants them: one row per month that holds a value other than zero, oldest
 * first, with totals over all months. Empty months are left out: a read page lists what was recorded, not 24
 * empty cells per kind.
 */
export function valuesForReading(values: readonly { month: string; kind: ValueKind; amount: string }[]): ValuesRead {
  const byMonth = new Map<string, ValueReadRow>();
  const empty = (): Record<ValueKind, Money | null> => Object.fromEntries(GRID_KINDS.map((k) => [k, null])) as Record<ValueKind, Money | null>;
  for (const v of values) {
    if (!isMoney(v.amount) || moneyToCents(v.amount) === 0n) continue;
    const row = byMonth.get(v.month) ?? { month: v.month, amounts: empty() };
    row.amounts[v.kind] = v.amount;
    byMonth.set(v.month, row);
  }
  const rows = [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
  const totals = Object.fromEntries(
    GRID_KINDS.map((k) => [k, sumMoney(rows.map((r) => r.amounts[k]).filter((a): a is Money => a !== null))]),
  ) as Record<ValueKind, Money>;
  return { rows, totals };
}
