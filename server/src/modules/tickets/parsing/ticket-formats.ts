import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  MAPPING_DATE_FIELDS,
  TICKET_FORMATS,
  TicketDateReader,
  type TicketFormat,
  TicketSource,
  type DateOrder,
  type RowRejection,
  type TicketRecord,
} from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import { DELIMITER_NAMES, type CsvDelimiter } from './csv-dialect.js';
import { openCsvRecords, type CsvRecords, type CsvRow } from './csv-records.js';
import { findDateOrder } from './date-order.js';
import { deskColumns, detectDesk, DESK_FORMATS, LANGUAGE_NAMES, type DeskField, type DeskFormat, type HeaderLanguage } from './desk-columns.js';
import { checkGenericColumns, genericRowParser, type GenericMapping } from './generic-format.js';
import { glpiRowParser } from './glpi-format.js';
import { ImportWarnings, type ImportWarning, type ParseContext } from './import-warnings.js';
import { jiraRowParser } from './jira-format.js';
import { serviceNowRowParser } from './servicenow-format.js';
import type { TextEncoding } from './text-decoding.js';
import { zendeskRowParser } from './zendesk-format.js';

export { TICKET_FORMATS, type TicketFormat };

export const FORMAT_NAMES: Record<TicketFormat, string> = {
  servicenow: 'ServiceNow',
  jira: 'Jira',
  glpi: 'GLPI',
  zendesk: 'Zendesk',
  generic: 'CSV with a column mapping',
};

/** Turns one CSV row into a ticket or the row's rejection. Pure: it never throws for bad data. */
export type TicketParser = (row: CsvRow) => TicketRecord | RowRejection;

const DESK_PARSERS: Record<DeskFormat, (columns: Partial<Record<DeskField, string>>, headers: readonly string[], ctx: ParseContext) => TicketParser> = {
  servicenow: serviceNowRowParser,
  jira: jiraRowParser,
  glpi: glpiRowParser,
  zendesk: zendeskRowParser,
};

const DESK_SOURCES: Record<DeskFormat, TicketSource> = {
  servicenow: TicketSource.SERVICENOW,
  jira: TicketSource.JIRA,
  glpi: TicketSource.GLPI,
  zendesk: TicketSource.ZENDESK,
};

const DATE_FIELDS: readonly DeskField[] = MAPPING_DATE_FIELDS;

/** Columns a desk's export cannot do without. */
const REQUIRED: Record<DeskFormat, readonly DeskField[]> = {
  servicenow: ['externalId'],
  jira: ['externalId', 'summary'],
  glpi: ['externalId'],
  zendesk: ['externalId'],
};

/** How an export was read: everything the import decided before the first row, shown in the preview and result. */
export interface Recognition {
  format: TicketFormat;
  source: TicketSource;
  /** The language of the header's column names; null for a generic mapping. */
  language: HeaderLanguage | null;
  encoding: TextEncoding;
  delimiter: CsvDelimiter;
  /** null when the file has no numeric day/month dates (or, in a preview, its first rows do not settle it). */
  dateOrder: DateOrder | null;
  /** Where the order came from: a value that settles it, the caller's choice, or nothing to decide. */
  dateOrderFrom: 'file' | 'option' | 'not needed' | 'undecided';
  /** The value that settled the order, e.g. `"29-02-2016 01:16" (opened_at, line 2)`. */
  dateOrderEvidence: string | null;
  timeZone: string;
  /** Each ticket field and the column it is read from. */
  columns: Partial<Record<DeskField, string>>;
}

export interface TicketFileOptions {
  /** The desk, overriding detection. */
  format?: TicketFormat;
  /** The generic format's mapping (implies format generic). */
  mapping?: GenericMapping;
  /** For a desk's export: fields mapped to other columns than detected; an empty name unmaps the field. */
  columns?: Partial<Record<DeskField, string>>;
  dateOrder?: DateOrder;
  /** IANA zone of dates without an offset; default UTC. */
  timeZone?: string;
  encoding?: TextEncoding;
  delimiter?: CsvDelimiter;
  /** A preview of the file's first bytes: an undecided date order is reported, not refused. */
  preview?: boolean;
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
  /** The source the tickets are stored under. */
  source: TicketSource;
  headers: readonly string[];
  recognition: Recognition;
  /** Every data row in file order, each a ticket or a rejection; iterate this or `batches`, once. */
  rows: AsyncIterable<ParsedTicketRow>;
  /** The same rows, a chunk of the file at a time: for callers that handle rows in bulk. */
  batches: AsyncIterable<ParsedTicketRow[]>;
  /** Unknown states and priorities met so far, with their counts. */
  warnings(): ImportWarning[];
  /** Rows skipped because every field was empty, so far. */
  readonly emptyRows: number;
  /** Releases the file (and a spooled copy of a stream) when the rows are not read to the end. */
  close(): void;
}

export type TicketFileSource = string | Readable | Buffer;

/**
 * A re-readable copy of the input: a path is opened again, a buffer read again, and a stream (an upload) is
 * first written to a temporary file, because the day/month order is decided from the whole file before its
 * rows are imported. Memory stays constant either way.
 */
async function rereadable(source: TicketFileSource): Promise<{ open: () => string | Readable; where: string; dispose: () => Promise<void> }> {
  if (typeof source === 'string') return { open: () => source, where: source, dispose: async () => undefined };
  if (Buffer.isBuffer(source)) return { open: () => Readable.from([source]), where: 'the file', dispose: async () => undefined };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-import-'));
  const file = path.join(dir, 'upload.csv');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(source, createWriteStream(file));
  } catch (e) {
    await dispose();
    throw e;
  }
  return { open: () => createReadStream(file), where: 'the file', dispose };
}

const quoteList = (names: readonly string[], max = 8) => {
  const shown = names.slice(0, max).map((h) => `"${h}"`).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
};

function describeReading(csv: CsvRecords): string {
  return `read as ${DELIMITER_NAMES[csv.delimiter]}-separated ${csv.encoding.toUpperCase()}, its columns are ${quoteList(csv.headers)}`;
}

/** The desk's columns, with the caller's changes; refuses a change naming a column the file does not have. */
function resolveColumns(format: DeskFormat, headers: readonly string[], overrides: TicketFileOptions['columns']) {
  const detected = deskColumns(format, headers);
  const columns = { ...detected.columns };
  for (const [field, column] of Object.entries(overrides ?? {}) as [DeskField, string][]) {
    if (column === '') delete columns[field];
    else if (!headers.includes(column)) throw badInput(`the column "${column}" chosen for ${field} is not in the file`, { field: 'columns' });
    else columns[field] = column;
  }
  return { columns, language: detected.language };
}

/**
 * Opens an export and settles, before the first row, how to read it: encoding and delimiter (detected unless
 * given), the desk (named, generic when only a mapping is given, otherwise detected from the header), the
 * header's language and so each field's column, and the day/month order of its dates (from the whole file,
 * unless given). A file that cannot be read, recognised or dated fails here with a message that says what was
 * found and what to give. The rows then stream in constant memory.
 */
export async function openTicketFile(input: TicketFileSource, options: TicketFileOptions = {}): Promise<TicketFile> {
  const source = await rereadable(input);
  let csv: CsvRecords | undefined;
  try {
    const readOptions = { encoding: options.encoding, delimiter: options.delimiter };
    csv = await openCsvRecords(source.open(), readOptions);
    const headers = csv.headers;
    // The first rows, read ahead: ServiceNow's list exports are told by their first number.
    const batches = csv.batches[Symbol.asyncIterator]();
    const first = await batches.next();
    const firstBatch = first.done ? [] : first.value;
    const firstRow = firstBatch.find((r): r is Exclude<typeof r, { reason: string }> => !('reason' in r));

    const named = options.format ?? (options.mapping ? 'generic' : undefined);
    const format = named ?? detectDesk(headers, firstRow?.fields);
    if (format === undefined) {
      throw badInput(
        `the format of this export is not recognised (${describeReading(csv)}): name it (${DESK_FORMATS.join(', ')}) or give a column mapping`,
      );
    }

    let columns: Partial<Record<DeskField, string>>;
    let language: HeaderLanguage | null = null;
    let dateColumns: string[];
    if (format === 'generic') {
      if (options.mapping === undefined) throw badInput('the generic CSV format needs a mapping file');
      checkGenericColumns(options.mapping, headers);
      columns = Object.fromEntries(Object.entries(options.mapping.columns).map(([field, names]) => [field, names.join(' / ')]));
      dateColumns = options.mapping.dateFormat ? [] : DATE_FIELDS.flatMap((f) => options.mapping!.columns[f as keyof GenericMapping['columns']] ?? []);
    } else {
      ({ columns, language } = resolveColumns(format, headers, options.columns));
      const missing = REQUIRED[format].filter((f) => columns[f] === undefined);
      if (missing.length > 0) {
        throw badInput(`a ${FORMAT_NAMES[format]} export needs a column for ${missing.join(' and ')}; this file was ${describeReading(csv)}`);
      }
      dateColumns = DATE_FIELDS.map((f) => columns[f]).filter((c): c is string => c !== undefined);
    }

    let dateOrder: DateOrder | null = options.dateOrder ?? null;
    let dateOrderFrom: Recognition['dateOrderFrom'] = options.dateOrder ? 'option' : 'not needed';
    let dateOrderEvidence: string | null = null;
    if (!options.dateOrder) {
      const finding = await findDateOrder(await openCsvRecords(source.open(), { encoding: csv.encoding, delimiter: csv.delimiter }), dateColumns);
      if (finding.kind === 'decided') {
        dateOrder = finding.order;
        dateOrderFrom = 'file';
        dateOrderEvidence = `"${finding.value}" (${finding.column}, line ${finding.line})`;
      } else if (finding.kind === 'ambiguous') {
        if (!options.preview) {
          throw badInput(
            `the dates of this file could be day/month or month/day ("${finding.value}" in ${finding.column}, line ${finding.line}), and none of them settles which: ` +
              `say which with --date-order dmy or --date-order mdy (in the import page: the date order choice)`,
            { field: 'dateOrder', reason: 'DATE_ORDER_UNKNOWN' },
          );
        }
        dateOrderFrom = 'undecided';
        dateOrderEvidence = `"${finding.value}" (${finding.column}, line ${finding.line})`;
      }
    }

    let dates: TicketDateReader;
    try {
      dates = new TicketDateReader({ order: dateOrder ?? undefined, timeZone: options.timeZone });
    } catch (e) {
      if (e instanceof RangeError) throw badInput(e.message, { field: 'timeZone' });
      throw e;
    }
    const warnings = new ImportWarnings();
    const ctx: ParseContext = { dates, warnings };
    const parse: TicketParser = format === 'generic' ? genericRowParser(options.mapping!, ctx) : DESK_PARSERS[format](columns, headers, ctx);
    const ticketSource = format === 'generic' ? options.mapping!.source : DESK_SOURCES[format];
    const records = csv;

    async function* parsedBatches(): AsyncGenerator<ParsedTicketRow[]> {
      const toParsed = (batch: typeof firstBatch) =>
        batch.map((row) => ({ line: row.line, bytes: row.bytes, result: 'reason' in row ? { line: row.line, reason: row.reason } : parse(row) }));
      try {
        if (firstBatch.length > 0) yield toParsed(firstBatch);
        for (;;) {
          const next = await batches.next();
          if (next.done) break;
          yield toParsed(next.value);
        }
      } finally {
        records.close();
        await source.dispose();
      }
    }
    const batchIterator = parsedBatches();
    async function* rows(): AsyncGenerator<ParsedTicketRow> {
      for await (const batch of batchIterator) yield* batch;
    }
    const recognition: Recognition = {
      format,
      source: ticketSource,
      language,
      encoding: csv.encoding,
      delimiter: csv.delimiter,
      dateOrder,
      dateOrderFrom,
      dateOrderEvidence,
      timeZone: dates.timeZone,
      columns,
    };
    return {
      format,
      source: ticketSource,
      headers,
      get recognition() {
        // The encoding can still change from UTF-8 to Windows-1252 while the rows are read.
        return { ...recognition, encoding: records.encoding };
      },
      rows: rows(),
      batches: batchIterator,
      warnings: () => warnings.list(),
      get emptyRows() {
        return records.emptyRows;
      },
      close: () => {
        records.close();
        void source.dispose();
      },
    };
  } catch (e) {
    csv?.close();
    await source.dispose();
    throw e;
  }
}

/** "semicolon-separated UTF-8, Portuguese column names, dates day/month (from "05-09-2025 14:10" …), times in UTC". */
export function describeRecognition(r: Recognition): string {
  const parts = [
    `${FORMAT_NAMES[r.format]} export`,
    `${DELIMITER_NAMES[r.delimiter]}-separated ${r.encoding.toUpperCase()}`,
    r.language ? `${LANGUAGE_NAMES[r.language]} column names` : undefined,
    r.dateOrder
      ? `dates ${r.dateOrder === 'dmy' ? 'day/month' : 'month/day'} (${r.dateOrderFrom === 'option' ? 'as asked' : `from ${r.dateOrderEvidence}`})`
      : r.dateOrderFrom === 'undecided'
        ? 'day/month order not settled by the first rows'
        : undefined,
    `times without an offset read in ${r.timeZone}`,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}
