import type { ImportWarning } from './import-warning.js';
import type { RowRejection } from './ticket-record.js';

/**
 * The ticket upload's answer, `POST /imports/tickets`: one JSON object a line (NDJSON). The server writes it, and
 * the dashboard and `npm run import -- --url` read it, all with these types and `readUploadLine`.
 */

/** What an import run counted: the command line's summary, the answer's last line, the dashboard's result. */
export interface ImportCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  slaDisagreements: number;
}

/** How the server read the file: format, language, encoding, delimiter, date order and each field's column. */
export interface FileRecognition {
  format: string;
  source: string;
  /** The language of the header's column names; null for a generic mapping. */
  language: string | null;
  encoding: string;
  delimiter: string;
  /** null when the file has no numeric day/month dates (or, in a preview, its first rows do not settle it). */
  dateOrder: 'dmy' | 'mdy' | null;
  /** Where the order came from: a value that settles it, the caller's choice, or nothing to decide. */
  dateOrderFrom: 'file' | 'option' | 'not needed' | 'undecided';
  /** The value that settled the order, e.g. `"29-02-2016 01:16" (opened_at, line 2)`. */
  dateOrderEvidence: string | null;
  timeZone: string;
  /** Each ticket field and the column it is read from. */
  columns: Record<string, string>;
}

export interface UploadRecognisedLine {
  type: 'recognised';
  recognition: FileRecognition;
}

/** Every ~200 ms while the server reads: rows and bytes so far, of `totalBytes` when the length was sent. */
export interface UploadProgressLine {
  type: 'progress';
  rows: number;
  bytes: number;
  totalBytes: number | null;
  percent: number | null;
}

export interface UploadDoneLine extends ImportCounts {
  type: 'done';
  emptyRows: number;
  /** The first rejections (the server keeps at most 100), by line. */
  rejections: RowRejection[];
  warnings: ImportWarning[];
  recognition: FileRecognition | null;
}

export interface UploadErrorLine {
  type: 'error';
  code: string;
  message: string;
  /** DATE_ORDER_UNKNOWN when the file's dates need the order chosen. */
  reason: string | null;
}

export type UploadLine = UploadRecognisedLine | UploadProgressLine | UploadDoneLine | UploadErrorLine;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const orNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * One line of the answer, checked field by field (a reader trusts no server blindly); null for a line type this
 * reader does not know, which a newer server may add.
 */
export function readUploadLine(value: Record<string, unknown>): UploadLine | null {
  switch (value.type) {
    case 'recognised':
      return isObject(value.recognition) ? { type: 'recognised', recognition: value.recognition as unknown as FileRecognition } : null;
    case 'progress':
      return { type: 'progress', rows: count(value.rows), bytes: count(value.bytes), totalBytes: orNull(value.totalBytes), percent: orNull(value.percent) };
    case 'done':
      return {
        type: 'done',
        rows: count(value.rows),
        inserted: count(value.inserted),
        updated: count(value.updated),
        unchanged: count(value.unchanged),
        rejected: count(value.rejected),
        slaDisagreements: count(value.slaDisagreements),
        emptyRows: count(value.emptyRows),
        rejections: Array.isArray(value.rejections) ? value.rejections.filter(isObject).map((r) => ({ line: count(r.line), reason: text(r.reason) })) : [],
        warnings: Array.isArray(value.warnings) ? (value.warnings.filter(isObject) as unknown as ImportWarning[]) : [],
        recognition: isObject(value.recognition) ? (value.recognition as unknown as FileRecognition) : null,
      };
    case 'error':
      return { type: 'error', code: text(value.code), message: text(value.message), reason: typeof value.reason === 'string' ? value.reason : null };
    default:
      return null;
  }
}
