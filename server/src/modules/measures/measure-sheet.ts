import { csvField, isFormulaLike, ValueKind } from '@gatehouse/shared';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { badInput } from '../../common/domain-error.js';

/**
 * The spreadsheet a measure import reads and the export writes: one row a measure, the same columns in .xlsx and
 * .csv, so that an export edited in Excel imports again as it is.
 *
 *   code, package, title, lever, owner, sponsor, controller (people by e-mail), rough_potential, business_case,
 *   description, doi, state (shown, never changed by an import), milestone_<n>_title / _due / _done (YYYY-MM-DD),
 *   and a column a value: "plan 2026-01", "forecast 2026-01", "actual 2026-01", "one_off_cost 2026-01".
 */
export const MEASURE_COLUMNS = [
  'code',
  'package',
  'title',
  'lever',
  'owner',
  'sponsor',
  'controller',
  'rough_potential',
  'business_case',
  'description',
  'doi',
  'state',
] as const;
export type MeasureColumn = (typeof MEASURE_COLUMNS)[number];

export const VALUE_COLUMN_KINDS: Record<string, ValueKind> = {
  plan: ValueKind.PLAN,
  forecast: ValueKind.FORECAST,
  actual: ValueKind.ACTUAL,
  one_off_cost: ValueKind.ONE_OFF_COST,
};
const KIND_NAMES = Object.fromEntries(Object.entries(VALUE_COLUMN_KINDS).map(([name, kind]) => [kind, name])) as Record<ValueKind, string>;

const VALUE_COLUMN = /^(plan|forecast|actual|one_off_cost) (\d{4}-\d{2})$/;
const MILESTONE_COLUMN = /^milestone_(\d{1,3})_(title|due|done)$/;

export type SheetColumn =
  | { kind: 'field'; name: MeasureColumn }
  | { kind: 'value'; valueKind: ValueKind; month: string }
  | { kind: 'milestone'; index: number; part: 'title' | 'due' | 'done' };

export function valueColumnName(kind: ValueKind, month: string): string {
  return `${KIND_NAMES[kind]} ${month}`;
}

/** What a header cell names, or null when it names nothing the import knows. */
export function sheetColumn(name: string): SheetColumn | null {
  const n = name.trim().toLowerCase();
  if ((MEASURE_COLUMNS as readonly string[]).includes(n)) return { kind: 'field', name: n as MeasureColumn };
  const value = VALUE_COLUMN.exec(n);
  if (value) return { kind: 'value', valueKind: VALUE_COLUMN_KINDS[value[1]], month: value[2] };
  const milestone = MILESTONE_COLUMN.exec(n);
  if (milestone && Number(milestone[1]) >= 1) return { kind: 'milestone', index: Number(milestone[1]), part: milestone[2] as 'title' | 'due' | 'done' };
  return null;
}

export interface SheetRow {
  /** The row's number in the spreadsheet: the header is row 1. */
  row: number;
  /** Each cell's text by lower-case column name; empty cells are left out. */
  cells: Map<string, string>;
}

export interface MeasureSheet {
  format: 'xlsx' | 'csv';
  columns: { name: string; column: SheetColumn }[];
  rows: SheetRow[];
}

export interface SheetData {
  header: string[];
  rows: (string | number | null)[][];
}

const MAX_ROWS = 20_000;
const MAX_COLUMNS = 2_000;

/** Column letters as a spreadsheet shows them: 1 -> A, 28 -> AB. */
export function columnLetter(index: number): string {
  let n = index;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * A cell's value as text: numbers to Excel's 15 significant digits (what Excel shows: a formula's 1023.41 + 1 is
 * stored as 1024.4099999999999 and reads as 1024.41), dates as YYYY-MM-DD, links and rich text as their text.
 */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(Number.isFinite(value) ? Number(value.toPrecision(15)) : value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return isoDay(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/**
 * Whether text, after any leading apostrophes, could run as a formula. The CSV export puts one more apostrophe in
 * front of such text and the import takes exactly one off, so every text round-trips: "=x" → "'=x" → "=x", and a
 * title that itself begins with an apostrophe, "'=x" → "''=x" → "'=x" (were only formula-like text defused, the
 * import would take that title's own apostrophe and read "=x").
 */
const defusable = (text: string) => isFormulaLike(text.replace(/^'+/, ''));

/** A CSV export's defused text ("'=x", "''=x") back as it was written. */
function undefuse(text: string): string {
  return text.startsWith("'") && defusable(text) ? text.slice(1) : text;
}

/**
 * Whether a workbook's worksheets together have more than `limit` rows, read as a stream (false when unreadable).
 * All of them count: loading the workbook holds every worksheet, not only the first one the import reads.
 */
async function xlsxRowsOver(bytes: Buffer, limit: number): Promise<boolean> {
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { worksheets: 'emit', sharedStrings: 'ignore', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
    let rows = 0;
    for await (const worksheet of reader) {
      for await (const _row of worksheet) if (++rows > limit) return true;
    }
  } catch {
    // Not a workbook it can stream: the full load below answers that.
  }
  return false;
}

/** How many records a CSV text holds at most: its line breaks outside quoted fields, plus an unterminated last line. */
function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted; // a doubled quote inside a field toggles twice
    else if (c === 10 && !quoted) records++;
  }
  return records + (text.length > 0 && !text.endsWith('\n') ? 1 : 0);
}

/**
 * Reads an uploaded or given file: .xlsx (recognised by its zip signature; its first worksheet) or CSV (UTF-8,
 * comma or semicolon). A file that is neither, has no header or names an unknown column is BAD_USER_INPUT.
 */
export async function readMeasureSheet(bytes: Buffer): Promise<MeasureSheet> {
  if (bytes.length === 0) throw badInput('The file is empty', { field: 'file' });
  const isZip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  if (isZip) {
    // Counted as a stream first, stopping past the limit: loading holds the whole workbook (a small, well
    // compressed file of a few hundred thousand rows took seconds and much memory before the limit was checked).
    if (await xlsxRowsOver(bytes, MAX_ROWS + 1)) throw badInput(`The file has more than ${MAX_ROWS} rows: split it`, { field: 'file' });
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      throw badInput('The file is not a readable Excel workbook (.xlsx)', { field: 'file' });
    }
    sheet = workbook.worksheets[0];
    if (!sheet) throw badInput('The workbook has no worksheet', { field: 'file' });
  } else {
    if (bytes.includes(0)) throw badInput('The file is neither an Excel workbook (.xlsx) nor a CSV text file', { field: 'file' });
    let text = bytes.toString('utf8');
    if (text.includes('\uFFFD')) throw badInput('The CSV file is not UTF-8 text: save it as "CSV UTF-8"', { field: 'file' });
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Counted before parsing: the parser holds every row as objects (a few MB of short lines took gigabytes of
    // memory and most of a minute before the row limit below was even checked).
    if (csvRecords(text) > MAX_ROWS + 1) throw badInput(`The file has more than ${MAX_ROWS} rows: split it`, { field: 'file' });
    const firstLine = text.slice(0, text.search(/\r?\n|$/));
    const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
    try {
      sheet = await workbook.csv.read(Readable.from([text]), { map: (v: string) => v, parserOptions: { delimiter } } as never);
    } catch {
      throw badInput('The CSV file could not be read', { field: 'file' });
    }
  }
  const header: { name: string; column: SheetColumn; index: number }[] = [];
  const headerRow = sheet.getRow(1);
  const seen = new Set<string>();
  const lastColumn = Math.min(sheet.columnCount, MAX_COLUMNS + 1);
  if (sheet.columnCount > MAX_COLUMNS) throw badInput(`The file has more than ${MAX_COLUMNS} columns`, { field: 'file' });
  for (let c = 1; c <= lastColumn; c++) {
    const name = cellText(headerRow.getCell(c).value).trim();
    if (name === '') continue;
    const column = sheetColumn(name);
    if (!column) throw badInput(`Column ${columnLetter(c)}: "${name.slice(0, 80)}" is not a column the import knows (see docs/api.md, "Measure import")`, { field: 'file' });
    const key = name.toLowerCase();
    if (seen.has(key)) throw badInput(`Column ${columnLetter(c)}: "${name}" appears twice`, { field: 'file' });
    seen.add(key);
    header.push({ name: key, column, index: c });
  }
  if (!seen.has('title') && !seen.has('code')) throw badInput('The first row must name the columns, with at least "code" or "title"', { field: 'file' });
  if (sheet.rowCount > MAX_ROWS + 1) throw badInput(`The file has more than ${MAX_ROWS} rows: split it`, { field: 'file' });
  const rows: SheetRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells = new Map<string, string>();
    for (const h of header) {
      const raw = cellText(row.getCell(h.index).value).trim();
      const text = isZip ? raw : undefuse(raw);
      if (text !== '') cells.set(h.name, text);
    }
    if (cells.size > 0) rows.push({ row: r, cells });
  }
  return { format: isZip ? 'xlsx' : 'csv', columns: header.map(({ name, column }) => ({ name, column })), rows };
}

function isAmountColumn(name: string): boolean {
  return sheetColumn(name)?.kind === 'value' || name === 'rough_potential';
}

/** The export as .xlsx: text as text, amounts as numbers with two decimals, the header frozen. */
export async function writeMeasureXlsx(data: SheetData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Gatehouse';
  const sheet = workbook.addWorksheet('Measures', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(data.header);
  sheet.getRow(1).font = { bold: true };
  data.header.forEach((name, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(40, Math.max(10, name.length + 2));
    if (isAmountColumn(name)) column.numFmt = '#,##0.00';
  });
  const amounts = data.header.map(isAmountColumn);
  for (const row of data.rows) sheet.addRow(row.map((c, i) => (amounts[i] && typeof c === 'string' ? Number(c) : c)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The export as CSV (UTF-8 with a byte order mark, so Excel reads it as UTF-8); text that could run as a formula is defused. */
export function writeMeasureCsv(data: SheetData): Buffer {
  const plain = data.header.map(isAmountColumn);
  // csvField defuses formula-like text itself; text already starting with apostrophes gets its one more here.
  const field = (c: string | number | null, i: number) =>
    plain[i] ? csvField(c, 'plain') : csvField(typeof c === 'string' && c.startsWith("'") && defusable(c) ? `'${c}` : c, 'text');
  const line = (cells: readonly (string | number | null)[]) => cells.map(field).join(',');
  const lines = [line(data.header), ...data.rows.map(line)];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
