import { isMoney, normaliseMoney, type Money } from '../money.js';

/**
 * Amounts pasted from a spreadsheet: cells separated by tabs, rows by line breaks, numbers written the way the
 * spreadsheet's locale writes them ("1.234,56" in German, "1,234.56" in English, "1 234,56" in French).
 */

export type DecimalSeparator = '.' | ',';

/** The decimal separator of a locale ("de-DE" -> ","), as Intl formats numbers there. */
export function decimalSeparatorOf(locale?: string): DecimalSeparator {
  const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
  return parts.find((p) => p.type === 'decimal')?.value === ',' ? ',' : '.';
}

export type ParsedAmount = { ok: true; amount: Money | null } | { ok: false; reason: string };

/**
 * One cell as an exact amount, null when empty. When both "." and "," appear, the last one is the decimal
 * separator; when only one appears more than once, it groups thousands; when one appears once with exactly three
 * digits after it ("1,234"), the locale's separator decides (`decimal`). Spaces, apostrophes and a currency sign
 * or code around the number are ignored; "(12.50)" and a trailing minus are negative, as accountants write them.
 */
export function parseLocaleAmount(cell: string, decimal: DecimalSeparator): ParsedAmount {
  let text = cell.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (text === '') return { ok: true, amount: null };
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  text = text.replace(/^[A-Za-z€$£¥]+|[A-Za-z€$£¥]+$/g, '');
  if (text.startsWith('-') || text.startsWith('−')) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.endsWith('-')) {
    negative = !negative;
    text = text.slice(0, -1);
  }
  text = text.replace(/^[A-Za-z€$£¥]+/, '');
  if (!/^[\d.,]+$/.test(text) || !/\d/.test(text)) return { ok: false, reason: `"${cell.trim()}" is not a number` };
  const dots = (text.match(/\./g) ?? []).length;
  const commas = (text.match(/,/g) ?? []).length;
  let separator: DecimalSeparator | null;
  if (dots && commas) separator = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
  else if (dots + commas === 0) separator = null;
  else {
    const mark: DecimalSeparator = dots ? '.' : ',';
    const count = dots || commas;
    const after = text.length - text.lastIndexOf(mark) - 1;
    separator = count > 1 ? null : after === 3 ? (decimal === mark ? mark : null) : mark;
  }
  const grouping = separator === '.' ? ',' : separator === ',' ? '.' : null;
  let [whole, fraction = ''] = separator ? splitOnce(text, separator) : [text, ''];
  if (separator && fraction.includes(separator)) return { ok: false, reason: `"${cell.trim()}" has more than one decimal separator` };
  // Grouping marks stand between groups of three digits: "1.234.567", never "1.2.3".
  const groupMark = separator === null ? (dots ? '.' : commas ? ',' : null) : grouping;
  if (groupMark !== null && whole.includes(groupMark)) {
    const groups = whole.split(groupMark);
    if (!/^\d{1,3}$/.test(groups[0]) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return { ok: false, reason: `"${cell.trim()}" is not a number` };
    whole = groups.join('');
  }
  if (!/^\d+$/.test(whole) || (fraction !== '' && !/^\d+$/.test(fraction))) return { ok: false, reason: `"${cell.trim()}" is not a number` };
  if (fraction.length > 2) return { ok: false, reason: `"${cell.trim()}" has more than two decimals` };
  const plain = `${negative ? '-' : ''}${whole.replace(/^0+(?=\d)/, '')}${fraction ? `.${fraction}` : ''}`;
  if (!isMoney(plain)) return { ok: false, reason: `"${cell.trim()}" is too large` };
  return { ok: true, amount: normaliseMoney(plain) };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.lastIndexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}

export interface PastedCell {
  row: number;
  column: number;
  amount: Money | null;
}

export interface PastedCellError {
  row: number;
  column: number;
  reason: string;
}

/** Clipboard text as cells: rows by line break, columns by tab; a trailing line break adds no row. */
export function parsePastedAmounts(text: string, decimal: DecimalSeparator): { cells: PastedCell[]; errors: PastedCellError[] } {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const cells: PastedCell[] = [];
  const errors: PastedCellError[] = [];
  lines.forEach((line, row) =>
    line.split('\t').forEach((cell, column) => {
      const parsed = parseLocaleAmount(cell, decimal);
      if (parsed.ok) cells.push({ row, column, amount: parsed.amount });
      else errors.push({ row, column, reason: parsed.reason });
    }),
  );
  return { cells, errors };
}
