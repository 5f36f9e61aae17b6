import { isRowRejection, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import { deskFields, type DeskField } from './desk-columns.js';
import type { ImportWarning } from './import-warnings.js';
import { openTicketFile, type Recognition, type TicketFileOptions } from './ticket-formats.js';

/** The bytes of a file a preview reads: enough for its first rows and to settle most date orders. */
export const PREVIEW_BYTES = 256 * 1024;
const PREVIEW_ROWS = 20;

export interface TicketPreview {
  recognition: Recognition;
  headers: readonly string[];
  /** The fields the desk's columns can fill, for the mapping editor (all mappable fields for a generic file). */
  fields: readonly DeskField[];
  /** The first rows as they would be stored, or why they would be rejected. */
  rows: ({ line: number; ticket: TicketRecord } | { line: number; rejection: RowRejection })[];
  warnings: ImportWarning[];
  emptyRows: number;
}

/**
 * How the first bytes of an export would import: the recognition and its first rows, nothing written. The
 * sample is cut after its last line break so that no row is read half; the day/month order, decided from the
 * whole file on import, is here decided from the sample or reported as not yet settled.
 */
export async function previewTicketFile(head: Buffer, options: TicketFileOptions): Promise<TicketPreview> {
  const end = head.length < PREVIEW_BYTES ? head.length : head.lastIndexOf(0x0a) + 1 || head.length;
  const file = await openTicketFile(head.subarray(0, end), { ...options, preview: true });
  const rows: TicketPreview['rows'] = [];
  try {
    for await (const row of file.rows) {
      rows.push(isRowRejection(row.result) ? { line: row.line, rejection: row.result } : { line: row.line, ticket: row.result });
      if (rows.length >= PREVIEW_ROWS) break;
    }
  } finally {
    file.close();
  }
  const fields = file.format === 'generic' ? (Object.keys(file.recognition.columns) as DeskField[]) : deskFields(file.format);
  return { recognition: file.recognition, headers: file.headers, fields, rows, warnings: file.warnings(), emptyRows: file.emptyRows };
}
