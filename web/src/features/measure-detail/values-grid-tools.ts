import { addMonths, isMoney, normaliseMoney, parsePastedAmounts, spreadByWeights, type DecimalSeparator, type Month } from '@gatehouse/shared';
import type { ValueKind } from '../../graphql/generated';
import type { DraftRecord } from './draft-rebase';
import { cellKey, GRID_KINDS } from './values-grid';

/**
 * The grid's fill tools, as pure changes to the draft cells: spreading a yearly amount (the arithmetic is the
 * shared one, exact in cents), copying the plan to the forecast, and pasting a block copied from a spreadsheet.
 * Each answers the cells it sets; nothing is saved until the person saves the grid.
 */

/** The twelve months from `start` that the grid shows; fewer when the grid ends sooner. */
export function spreadMonths(start: Month, shown: readonly Month[]): Month[] {
  return Array.from({ length: 12 }, (_, i) => addMonths(start, i)).filter((m) => shown.includes(m));
}

/** The yearly amount spread over twelve months from `start` by the weights (one a month). */
export function spreadInto(kind: ValueKind, start: Month, shown: readonly Month[], total: string, weights: readonly (number | string)[]): DraftRecord {
  const months = Array.from({ length: 12 }, (_, i) => addMonths(start, i));
  if (months.some((m) => !shown.includes(m))) throw new RangeError('The twelve months from the start month must all be in the grid: choose an earlier start month.');
  if (weights.length !== 12) throw new RangeError('Give one weight for each of the twelve months.');
  const parts = spreadByWeights(total, weights);
  return Object.fromEntries(months.map((m, i) => [cellKey(kind, m), parts[i]]));
}

/** The forecast set to the plan in every shown month that has a plan. */
export function copyPlanToForecast(cells: DraftRecord, shown: readonly Month[]): DraftRecord {
  const out: DraftRecord = {};
  for (const m of shown) {
    const plan = (cells[cellKey('PLAN', m)] ?? '').trim();
    if (plan && isMoney(plan)) out[cellKey('FORECAST', m)] = normaliseMoney(plan);
  }
  return out;
}

export interface PasteResult {
  cells: DraftRecord;
  /** Cells that could not be read, as "Plan, 2027-03: "x" is not a number". */
  errors: string[];
  /** Cells of the paste beyond the grid's last month or row, left out. */
  skipped: number;
}

/**
 * A block copied from a spreadsheet pasted at a cell: its first cell lands there, columns go to the following
 * months and rows to the following kinds. Empty pasted cells leave the grid's cell as it is.
 */
export function pasteAt(kind: ValueKind, month: Month, shown: readonly Month[], text: string, decimal: DecimalSeparator): PasteResult {
  const parsed = parsePastedAmounts(text, decimal);
  const startRow = GRID_KINDS.indexOf(kind);
  const startColumn = shown.indexOf(month);
  const cells: DraftRecord = {};
  const errors: string[] = [];
  let skipped = 0;
  const at = (row: number, column: number) => {
    const k = GRID_KINDS[startRow + row];
    const m = shown[startColumn + column];
    return k && m ? { k, m } : null;
  };
  for (const c of parsed.cells) {
    const place = at(c.row, c.column);
    if (!place) {
      if (c.amount !== null) skipped++;
      continue;
    }
    if (c.amount !== null) cells[cellKey(place.k, place.m)] = c.amount;
  }
  for (const e of parsed.errors) {
    const place = at(e.row, e.column);
    if (place) errors.push(`${place.k}, ${place.m}: ${e.reason}`);
    else skipped++;
  }
  return { cells, errors, skipped };
}
