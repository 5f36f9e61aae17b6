import { dayMonthEvidence, type DateOrder } from '@gatehouse/shared';
import type { CsvRecords } from './csv-records.js';

/** Without a numeric day/month date in this many rows, a file's dates are of another kind (ISO, named months). */
const ROWS_WITHOUT_NUMERIC_DATES = 10_000;

export type DateOrderFinding =
  | { kind: 'decided'; order: DateOrder; column: string; value: string; line: number }
  | { kind: 'not needed' }
  /** Numeric dates whose day and month are both 12 or less, and no other date in the file settles the order. */
  | { kind: 'ambiguous'; column: string; value: string; line: number };

/**
 * The day/month order of a file's numeric dates, from the whole file: the first value whose day (or month) is
 * above 12 settles it. The scan stops there, so it costs a few rows for nearly every export; only a file whose
 * dates are all ambiguous is read to its end. Desks write every date column of an export in one format, so one
 * value settles the file.
 */
export async function findDateOrder(csv: CsvRecords, dateColumns: readonly string[]): Promise<DateOrderFinding> {
  let ambiguous: { column: string; value: string; line: number } | undefined;
  let rows = 0;
  if (dateColumns.length === 0) return { kind: 'not needed' };
  try {
    for await (const batch of csv.batches) {
      for (const row of batch) {
        if ('reason' in row) continue;
        rows++;
        for (const column of dateColumns) {
          const value = row.fields[column];
          if (value === undefined || value === '') continue;
          const evidence = dayMonthEvidence(value);
          if (evidence === 'dmy' || evidence === 'mdy') return { kind: 'decided', order: evidence, column, value: value.trim(), line: row.line };
          if (evidence === 'either' && ambiguous === undefined) ambiguous = { column, value: value.trim(), line: row.line };
        }
      }
      if (ambiguous === undefined && rows >= ROWS_WITHOUT_NUMERIC_DATES) break;
    }
  } finally {
    csv.close();
  }
  return ambiguous === undefined ? { kind: 'not needed' } : { kind: 'ambiguous', ...ambiguous };
}
