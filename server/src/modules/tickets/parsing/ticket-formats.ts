import type { Readable } from 'node:stream';
import type { RowRejection, TicketRecord } from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import { openCsvRecords, type CsvRecordOptions, type CsvRow } from './csv-records.js';
import { checkGenericColumns, genericRowParser, type GenericMapping } from './generic-format.js';
import { checkJiraColumns, parseJiraRow } from './jira-format.js';
import { checkServiceNowColumns, parseServiceNowRow } from './servicenow-format.js';

export type TicketFormat = 'servicenow' | 'jira' | 'generic';

export const TICKET_FORMATS: readonly TicketFormat[] = ['servicenow', 'jira', 'generic'];

/** Turns one CSV row into a ticket or the row's rejection. Pure: it never throws for bad data. */
export type TicketParser = (row: CsvRow) => TicketRecord | RowRejection;

/** The row parser of a format; the generic format needs its mapping (see loadGenericMapping). */
export function parserFor(format: TicketFormat, mapping?: GenericMapping): TicketParser {
  switch (format) {
    case 'servicenow':
      return parseServiceNowRow;
    case 'jira':
      return parseJiraRow;
    case 'generic':
      if (mapping === undefined) throw badInput('the generic CSV format needs a mapping file');
      return genericRowParser(mapping);
  }
}

/** Throws BAD_USER_INPUT when the header lacks a column the format needs. */
export function checkColumns(format: TicketFormat, headers: readonly string[], mapping?: GenericMapping): void {
  if (format === 'servicenow') checkServiceNowColumns(headers);
  else if (format === 'jira') checkJiraColumns(headers);
  else if (mapping === undefined) throw badInput('the generic CSV format needs a mapping file');
  else checkGenericColumns(mapping, headers);
}

/** Only Jira writes a multi-value field as repeated columns; elsewhere a repeated name is an error. */
export function csvOptionsFor(format: TicketFormat): CsvRecordOptions {
  return format === 'jira' ? { repeatable: () => true } : {};
}

const SERVICENOW_MARKERS = ['sys_id', 'sys_mod_count', 'sys_updated_at', 'short_description', 'incident_state', 'opened_at', 'u_symptom', 'cmdb_ci'];

/**
 * Names the export by its header: ServiceNow by `number` plus two of its system or incident fields, Jira by
 * `Issue key` and `Summary`. Anything else is undefined: a generic CSV cannot be recognised, it needs a mapping.
 */
export function detectFormat(headers: readonly string[]): Exclude<TicketFormat, 'generic'> | undefined {
  const has = new Set(headers);
  if (has.has('Issue key') && has.has('Summary')) return 'jira';
  if (has.has('number') && SERVICENOW_MARKERS.filter((m) => has.has(m)).length >= 2) return 'servicenow';
  return undefined;
}

export interface ParsedTicketRow {
  /** The physical line where the row starts. */
  line: number;
  /** Bytes consumed so far, for a progress bar. */
  bytes: number;
  result: TicketRecord | RowRejection;
}

export interface TicketFile {
  format: TicketFormat;
  headers: readonly string[];
  /** Every data row in file order, each a ticket or a rejection; iterate this or `batches`, once. */
  rows: AsyncIterable<ParsedTicketRow>;
  /** The same rows, a chunk of the file at a time: for callers that handle rows in bulk. */
  batches: AsyncIterable<ParsedTicketRow[]>;
  /** Releases the file when the rows are not read to the end. */
  close(): void;
}

/**
 * Opens an export, settles its format (the one named; generic when only a mapping is given; otherwise detected
 * from the header) and checks its columns, so that a wrong file fails before the first row, with a message.
 * The rows then stream in constant memory.
 */
export async function openTicketFile(
  source: string | Readable,
  options: { format?: TicketFormat; mapping?: GenericMapping } = {},
): Promise<TicketFile> {
  const named = options.format ?? (options.mapping ? 'generic' : undefined);
  const csv = await openCsvRecords(source, {
    repeatable: (name, headers) => (named ?? detectFormat(headers)) === 'jira',
  });
  const format = named ?? detectFormat(csv.headers);
  try {
    if (format === undefined) {
      throw badInput('the format of this export is not recognised: name it (servicenow or jira) or give a mapping file');
    }
    checkColumns(format, csv.headers, options.mapping);
  } catch (e) {
    csv.close();
    throw e;
  }
  const parse = parserFor(format, options.mapping);

  async function* batches(): AsyncGenerator<ParsedTicketRow[]> {
    for await (const records of csv.batches) {
      yield records.map((row) => ({ line: row.line, bytes: row.bytes, result: 'reason' in row ? { line: row.line, reason: row.reason } : parse(row) }));
    }
  }
  const batchIterator = batches();
  async function* rows(): AsyncGenerator<ParsedTicketRow> {
    for await (const batch of batchIterator) yield* batch;
  }
  return { format, headers: csv.headers, rows: rows(), batches: batchIterator, close: () => csv.close() };
}
