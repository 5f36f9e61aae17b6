import { addMonths, isMoney, MONEY_MAX_INTEGER_DIGITS, monthOf, monthRange, normaliseMoney, type Month } from '@gatehouse/shared';
import type { MeasureValueInput, ValueKind } from '../../graphql/generated';
import type { DraftRecord, SameValue } from './draft-rebase';

/** The grid's rows in reading order. */
export const GRID_KINDS: ValueKind[] = ['PLAN', 'FORECAST', 'ACTUAL', 'ONE_OFF_COST'];
export const KIND_LABELS: Record<ValueKind, string> = { PLAN: 'Plan', FORECAST: 'Forecast', ACTUAL: 'Actual', ONE_OFF_COST: 'One-off cost' };

/** 24 months around now: the twelve before this month, this month and the eleven after. */
export function gridMonths(now: Date, before = 12, count = 24): Month[] {
  const first = addMonths(monthOf(now), -before);
  return monthRange(first, addMonths(first, count - 1));
}

export const cellKey = (kind: ValueKind, month: Month) => `${kind}:${month}`;

export function parseCellKey(key: string): { kind: ValueKind; month: Month } {
  const [kind, month] = key.split(':');
  return { kind: kind as ValueKind, month };
}

/** Server values as grid cells, amounts in their canonical two-decimal form. */
export function gridFromValues(values: readonly { month: string; kind: ValueKind; amount: string }[]): DraftRecord {
  const cells: DraftRecord = {};
  for (const v of values) cells[cellKey(v.kind, v.month)] = isMoney(v.amount) ? normaliseMoney(v.amount) : v.amount;
  return cells;
}

const DECIMAL = /^-?\d+(\.\d{1,2})?$/;

/**
 * An amount as typed, checked exactly as the API will (a decimal string, at most two decimals, 13 integer
 * digits; plan never negative), so nothing is sent that the server would refuse. Empty is allowed.
 */
export function validateAmount(text: string, kind: ValueKind): string | null {
  const t = text.trim();
  if (!t) return null;
  if (!DECIMAL.test(t)) {
    return /^-?\d*[.,]\d{3,}$/.test(t) ? 'At most two decimals.' : 'Use digits and a dot, e.g. 1250.50.';
  }
  const digits = t.replace(/^-/, '').split('.')[0].replace(/^0+(?=\d)/, '');
  if (digits.length > MONEY_MAX_INTEGER_DIGITS) return 'That amount is too large.';
  if (kind === 'PLAN' && t.startsWith('-') && !/^-0+(\.0+)?$/.test(t)) return 'A plan value cannot be negative.';
  return null;
}

/** Cells compare as amounts: "1250" and "1250.00" are the same; empty is only equal to empty. */
export const sameAmount: SameValue = (_key, a, b) => {
  const x = a.trim();
  const y = b.trim();
  if (!x || !y) return !x && !y;
  if (isMoney(x) && isMoney(y)) return normaliseMoney(x) === normaliseMoney(y);
  return x === y;
};

export interface GridChanges {
  changes: MeasureValueInput[];
  /** Cell key -> what is wrong with its input. */
  errors: Record<string, string>;
}

/**
 * Only changed cells, in the shape `setMeasureValues` takes. The API cannot delete a value, so clearing a cell
 * that had one saves 0.
 */
export function gridChanges(base: DraftRecord, draft: DraftRecord): GridChanges {
  const changes: MeasureValueInput[] = [];
  const errors: Record<string, string> = {};
  for (const key of Object.keys(draft).sort()) {
    const { kind, month } = parseCellKey(key);
    const typed = draft[key] ?? '';
    const error = validateAmount(typed, kind);
    if (error) {
      errors[key] = error;
      continue;
    }
    if (sameAmount(key, typed, base[key] ?? '')) continue;
    const amount = typed.trim() ? normaliseMoney(typed.trim().replace(/^-(0+(\.0+)?)$/, '$1')) : '0.00';
    changes.push({ month, kind, amount });
  }
  return { changes, errors };
}
