import type { ImportWarning, ImportWarningKind, TicketDateReader } from '@gatehouse/shared';

export { ImportWarningKind, type ImportWarning } from '@gatehouse/shared';

/** At most this many distinct values are told apart; more are counted under the last ones' kind. */
const MAX_DISTINCT = 100;

/** Counts each unknown value once per row, in constant memory. */
export class ImportWarnings {
  private readonly counts = new Map<string, ImportWarning>();

  add(kind: ImportWarningKind, column: string, value: string): void {
    const key = `${kind}\u0000${column}\u0000${value}`;
    const known = this.counts.get(key);
    if (known) known.count++;
    else if (this.counts.size < MAX_DISTINCT) this.counts.set(key, { kind, column, value, count: 1 });
    else {
      const other = `${kind}\u0000${column}\u0000…`;
      const rest = this.counts.get(other);
      if (rest) rest.count++;
      else this.counts.set(other, { kind, column, value: '… other values', count: 1 });
    }
  }

  /** Most frequent first. */
  list(): ImportWarning[] {
    return [...this.counts.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
}

/** What every row parser of one file shares: its date reading and the warnings it collects. */
export interface ParseContext {
  dates: TicketDateReader;
  warnings: ImportWarnings;
}
