/**
 * CSV fields for files people open in spreadsheets, written by the server (the review pack) and the web app (the
 * measures export) alike.
 *
 * A text field whose first visible character a spreadsheet reads as the start of a formula or a DDE command gets a
 * leading apostrophe, so it shows as text instead of running: = + - @, | and ; (DDE and separators some locales
 * treat as formula starts), their full-width forms ＝ ＋ － ＠ (which Excel and LibreOffice accept as the ASCII
 * ones), and a tab or carriage return first. Amounts and other plain values are never altered: "-1250.00" stays a
 * number.
 */
const FORMULA_START = /^[\t\r]|^\s*[=+\-@|;\uFF1D\uFF0B\uFF0D\uFF20]/;

export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge spaces, with quotes doubled. */
export function csvField(value: string | number | boolean | null | undefined, kind: 'text' | 'plain' = 'plain'): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (kind === 'text' && isFormulaLike(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line break): numbers as they are, text defused. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map((c) => csvField(c, typeof c === 'number' ? 'plain' : 'text')).join(',');
}
