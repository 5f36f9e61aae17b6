/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so spreadsheets never run a cell as a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line break). */
export const csvLine = (cells: (string | number)[]) => cells.map(csvCell).join(',');
