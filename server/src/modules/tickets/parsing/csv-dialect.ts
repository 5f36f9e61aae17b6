import { CsvParser } from './csv-parser.js';
import { createDecoder, type TextEncoding } from './text-decoding.js';

/** The field separators exports use: comma, semicolon (Excel and GLPI in most of Europe), tab and pipe. */
export type CsvDelimiter = ',' | ';' | '\t' | '|';
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

export const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/**
 * The delimiter of a file from its first bytes: each candidate splits the first rows, and the one that gives a
 * header of at least two columns and the same number of fields in (nearly) every complete row wins; among
 * several, the one giving the most columns. A file that no candidate splits is read with commas, so that its
 * one-column header gets the usual "not recognised" message.
 */
export function detectDelimiter(head: Buffer, encoding: TextEncoding): CsvDelimiter {
  let best: { delimiter: CsvDelimiter; columns: number } | undefined;
  for (const delimiter of CSV_DELIMITERS) {
    const parser = new CsvParser({ delimiter, decoder: createDecoder(encoding), maxRecordSize: head.length + 1 });
    const records = parser.push(head).filter((r) => !('reason' in r)) as { fields: string[] }[];
    // The last record may be cut by the end of the sample; blank lines say nothing.
    const rows = records.slice(0, 50).filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
    if (rows.length === 0) continue;
    const columns = rows[0].fields.length;
    if (columns < 2) continue;
    const body = rows.slice(1);
    const agreeing = body.filter((r) => r.fields.length === columns).length;
    if (body.length > 0 && agreeing < body.length * 0.8) continue;
    if (best === undefined || columns > best.columns) best = { delimiter, columns };
  }
  return best?.delimiter ?? ',';
}
