import { readUploadLine, type UploadErrorLine, type UploadProgressLine } from '../tickets/upload-protocol.js';

/**
 * The measure import's report and its upload answer, `POST /imports/measures`: NDJSON like the ticket upload
 * (upload-protocol.ts), its `progress` and `error` lines, and a last `measures-done` line with the report. The
 * server writes it; the dashboard and the command line read it with these types.
 */

/** Why a row is bad: the error code the same change would get from the API, the column and the reason. */
export interface MeasureImportIssue {
  /** The row as the spreadsheet numbers it (the header is row 1). */
  row: number;
  column: string | null;
  code: 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';
  reason: string;
}

export type MeasureImportAction = 'create' | 'update' | 'unchanged';

/** What a good row does (in a dry run: would do). */
export interface MeasureImportRowPlan {
  row: number;
  /** The measure's code; null for one still to be created. */
  code: string | null;
  title: string;
  action: MeasureImportAction;
  /** Each change in words, e.g. "plan 2026-03: 100.00 → 250.00". */
  changes: string[];
}

export interface MeasureImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  plans: MeasureImportRowPlan[];
  issues: MeasureImportIssue[];
}

export interface MeasureImportDoneLine {
  type: 'measures-done';
  report: MeasureImportReport;
}

export type MeasureImportLine = UploadProgressLine | UploadErrorLine | MeasureImportDoneLine;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const ISSUE_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);
const ACTIONS = new Set(['create', 'update', 'unchanged']);

/** A report as received, checked field by field. */
export function readMeasureImportReport(value: Record<string, unknown>): MeasureImportReport {
  return {
    dryRun: value.dryRun === true,
    rows: count(value.rows),
    created: count(value.created),
    updated: count(value.updated),
    unchanged: count(value.unchanged),
    rejected: count(value.rejected),
    plans: (Array.isArray(value.plans) ? value.plans.filter(isObject) : []).map((p) => ({
      row: count(p.row),
      code: typeof p.code === 'string' ? p.code : null,
      title: text(p.title),
      action: (ACTIONS.has(text(p.action)) ? p.action : 'unchanged') as MeasureImportAction,
      changes: Array.isArray(p.changes) ? p.changes.map(text) : [],
    })),
    issues: (Array.isArray(value.issues) ? value.issues.filter(isObject) : []).map((i) => ({
      row: count(i.row),
      column: typeof i.column === 'string' ? i.column : null,
      code: (ISSUE_CODES.has(text(i.code)) ? i.code : 'BAD_USER_INPUT') as MeasureImportIssue['code'],
      reason: text(i.reason),
    })),
  };
}

/** One line of the answer; null for a line type this reader does not know. */
export function readMeasureImportLine(value: Record<string, unknown>): MeasureImportLine | null {
  if (value.type === 'measures-done') return isObject(value.report) ? { type: 'measures-done', report: readMeasureImportReport(value.report) } : null;
  const line = readUploadLine(value);
  return line && (line.type === 'progress' || line.type === 'error') ? line : null;
}

/** The file types the import reads and the export writes. */
export const MEASURE_FILE_ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';
