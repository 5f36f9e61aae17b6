import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { RowRejection } from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import { detectDelimiter, type CsvDelimiter } from './csv-dialect.js';
import { CsvParser, type CsvParseFailure, type RawCsvRecord } from './csv-parser.js';
import { createDecoder, detectEncoding, type TextEncoding } from './text-decoding.js';

/** One data row of a CSV file, keyed by header name. */
export interface CsvRow {
  /** 1-based physical line where the row starts; the header is line 1. */
  line: number;
  /** Every value in column order, one per header column; as in the file (not trimmed). */
  values: readonly string[];
  /**
   * The first value of each column by name. Built on first use: a desk's parser reads `values` by column
   * index instead, and a named copy of 36 columns per row was a tenth of an import's parsing.
   */
  readonly fields: Readonly<Record<string, string>>;
  /** Every value, in column order, of each column the header names more than once (Jira's Comment, Log Work). */
  repeated?: Readonly<Record<string, readonly string[]>>;
}

export interface CsvRecord extends CsvRow {
  /** Bytes of the file consumed so far, for a progress bar. */
  bytes: number;
}

/** A physical row that is no record (wrong number of fields, an unclosed quote). */
export interface CsvRejection extends RowRejection {
  bytes: number;
}

export interface CsvRecordOptions {
  /** The file's encoding; detected from its first bytes when not given (see text-decoding.ts). */
  encoding?: TextEncoding;
  /** The field separator; detected from the first rows when not given (see csv-dialect.ts). */
  delimiter?: CsvDelimiter;
  /**
   * Largest record in characters. A stray quote makes the parser read the rest of the file as one field; the
   * bound keeps memory constant and turns that into a rejection. Default 1 MiB.
   */
  maxRecordSize?: number;
}

export interface CsvRecords extends AsyncIterable<CsvRecord | CsvRejection> {
  /**
   * The header's column names, trimmed, in file order (repeated names appear repeatedly). Trailing empty
   * header cells (a line ending in a delimiter, as GLPI and spreadsheets write) are left out.
   */
  readonly headers: readonly string[];
  /** The encoding the file is read in; it changes from utf-8 to windows-1252 at the first byte that says so. */
  readonly encoding: TextEncoding;
  readonly delimiter: CsvDelimiter;
  /** Rows skipped because every field was empty (blank lines, a spreadsheet's `,,,,`), so far. */
  readonly emptyRows: number;
  /**
   * The same records, as the arrays that each chunk of the file completes (a few hundred at a time). Iterate
   * either this or the records themselves, once: a caller that handles rows in bulk saves an asynchronous step
   * per row.
   */
  readonly batches: AsyncIterable<(CsvRecord | CsvRejection)[]>;
  /** Stops reading and releases the file; needed only when the records are not iterated to the end. */
  close(): void;
}

async function openSource(source: string | Readable): Promise<Readable> {
  if (typeof source !== 'string') return source;
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(source)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(`cannot read ${source}: there is no such file`, { path: source });
    if (code === 'EACCES' || code === 'EPERM') throw badInput(`cannot read ${source}: permission denied`, { path: source });
    throw e;
  }
  if (isDirectory) throw badInput(`cannot read ${source}: it is a directory, not a CSV file`, { path: source });
  return createReadStream(source);
}

/**
 * An empty name inside the header is refused (its values could not be named); a repeated name is not: desks
 * write one column per value of a multi-value field (Jira's Comment, Log Work, Labels; ServiceNow's labels
 * exports), and every value is kept (see CsvRow.repeated).
 */
function checkHeader(headers: readonly string[], where: string): void {
  headers.forEach((name, i) => {
    if (name === '') throw badInput(`${where}: column ${i + 1} of the header row has no name`);
  });
}


/** A data row whose values by name are made only when asked for. */
class DataRow implements CsvRecord {
  repeated?: Readonly<Record<string, readonly string[]>>;
  private named: Record<string, string> | undefined;

  constructor(
    readonly line: number,
    readonly bytes: number,
    readonly values: readonly string[],
    private readonly names: readonly string[],
    private readonly firstColumns: readonly number[],
  ) {}

  get fields(): Readonly<Record<string, string>> {
    if (this.named === undefined) {
      // No prototype, so that a column named __proto__ or constructor is a field like any other.
      const named: Record<string, string> = Object.create(null);
      for (let i = 0; i < this.names.length; i++) named[this.names[i]] = this.values[this.firstColumns[i]];
      this.named = named;
    }
    return this.named;
  }
}

/** Raised when the input turns out not to be text, so that the caller can tell it from other read errors. */
class NotTextError extends Error {}

/** How much of the file is read before anything is parsed: the sample that encoding and delimiter come from. */
const HEAD_BYTES = 64 * 1024;

/** The first HEAD_BYTES of the input (less if it is shorter), and an iterator over the rest. */
async function readHead(input: Readable): Promise<{ head: Buffer; rest: AsyncIterator<Buffer | string> }> {
  const rest = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < HEAD_BYTES) {
    const next = await rest.next();
    if (next.done) break;
    const bytes = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(bytes);
    size += bytes.length;
  }
  return { head: Buffer.concat(chunks), rest };
}

/** The parser's output for each chunk of the input, the head first. */
async function* rawBatches(head: Buffer, rest: AsyncIterator<Buffer | string>, parser: CsvParser): AsyncGenerator<(RawCsvRecord | CsvParseFailure)[]> {
  let chunk: Buffer | undefined = head;
  while (chunk !== undefined) {
    const out = parser.push(chunk);
    if (out.length > 0) yield out;
    if (parser.failed) return;
    const next = await rest.next();
    chunk = next.done ? undefined : typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
  }
  const out = parser.end();
  if (out.length > 0) yield out;
}

function readError(e: unknown, where: string): unknown {
  if (e instanceof NotTextError) return badInput(`${where} is not a CSV text file (it contains NUL bytes: binary data such as a spreadsheet or an archive)`);
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return badInput(`cannot read ${where}: it is a directory, not a CSV file`);
  if (code === 'EACCES' || code === 'EPERM') return badInput(`cannot read ${where}: permission denied`);
  return e;
}

/**
 * Opens a CSV file (a path or any Readable) and reads its header row. Its encoding (UTF-8 with or without a byte
 * order mark, UTF-16, Windows-1252 or Latin-1) and its delimiter (comma, semicolon, tab, pipe) are detected
 * from its first 64 KiB unless given.
 * The records are then streamed in constant memory: a file of any size can be imported. Line numbers are
 * physical lines, so a quoted field spanning three lines moves the next record three lines on; blank lines
 * are skipped but counted.
 *
 * Throws BAD_USER_INPUT when the file is missing, a directory, binary, empty or has a header cell without a
 * name before its last named one. Rows whose fields are all empty are skipped and counted (`emptyRows`). Later problems are per row: a row with the wrong
 * number of fields is yielded as a rejection, and an unclosed quote ends the file with a rejection that says so.
 */
export async function openCsvRecords(source: string | Readable, options: CsvRecordOptions = {}): Promise<CsvRecords> {
  const where = typeof source === 'string' ? source : 'the file';
  const input = await openSource(source);
  let head: Buffer;
  let rest: AsyncIterator<Buffer | string>;
  let encoding: TextEncoding;
  let delimiter: CsvDelimiter;
  let switchedTo: TextEncoding | undefined;
  try {
    ({ head, rest } = await readHead(input));
    const detected = options.encoding ?? detectEncoding(head).encoding;
    // NUL bytes are UTF-16's every other byte; in any other encoding they mean binary data.
    if (!detected.startsWith('utf-16') && head.subarray(0, 8192).includes(0)) throw new NotTextError();
    encoding = detected;
    delimiter = options.delimiter ?? detectDelimiter(head, encoding);
  } catch (e) {
    input.destroy();
    throw readError(e, where);
  }
  const decoder = createDecoder(encoding, (to) => (switchedTo = to));
  const raw = rawBatches(head, rest, new CsvParser({ maxRecordSize: options.maxRecordSize, delimiter, decoder }));

  let first: (RawCsvRecord | CsvParseFailure)[] = [];
  try {
    while (first.length === 0) {
      const next = await raw.next();
      if (next.done) throw badInput(`${where} is empty: a header row is required`);
      first = next.value;
    }
  } catch (e) {
    input.destroy();
    throw readError(e, where);
  }
  const header = first[0];
  if ('reason' in header) {
    input.destroy();
    throw badInput(`${where} has no readable header row: ${header.reason}`);
  }
  const headers = header.fields.map((h) => h.trim());
  while (headers.length > 1 && headers.at(-1) === '') headers.pop();
  try {
    checkHeader(headers, where);
  } catch (e) {
    input.destroy();
    throw e;
  }
  // Each name takes the first column that carries it; repeated names also get all their columns' values.
  const names = [...new Set(headers)];
  const firstColumns = names.map((name) => headers.indexOf(name));
  const repeatedNames = names.filter((name) => headers.indexOf(name) !== headers.lastIndexOf(name));

  let emptyRows = 0;
  function toRecords(batch: readonly (RawCsvRecord | CsvParseFailure)[]): (CsvRecord | CsvRejection)[] {
    const out: (CsvRecord | CsvRejection)[] = [];
    for (const item of batch) {
      if ('reason' in item) {
        out.push({ line: item.line, bytes: item.bytes, reason: item.reason });
        continue;
      }
      const { line, bytes } = item;
      let values = item.fields;
      // Empty rows: a blank line, or a spreadsheet's row of delimiters. Cheap to test: the first field decides
      // for nearly every row.
      if (values[0] === '' && values.every((v) => v.trim() === '')) {
        emptyRows++;
        continue;
      }
      // Values beyond the header's named columns may only be empty (the trailing delimiter of every line).
      if (values.length > headers.length && values.slice(headers.length).every((v) => v.trim() === '')) values = values.slice(0, headers.length);
      if (values.length !== headers.length) {
        out.push({ line, bytes, reason: `the row has ${values.length} fields, the header has ${headers.length}` });
        continue;
      }
      const record = new DataRow(line, bytes, values, names, firstColumns);
      if (repeatedNames.length > 0) {
        const repeated: Record<string, string[]> = Object.create(null);
        for (const name of repeatedNames) repeated[name] = values.filter((_, i) => headers[i] === name);
        record.repeated = repeated;
      }
      out.push(record);
    }
    return out;
  }

  async function* batches(): AsyncGenerator<(CsvRecord | CsvRejection)[]> {
    try {
      const rest = toRecords(first.slice(1));
      if (rest.length > 0) yield rest;
      for await (const batch of raw) {
        const records = toRecords(batch);
        if (records.length > 0) yield records;
      }
    } catch (e) {
      throw readError(e, where);
    } finally {
      input.destroy();
    }
  }

  const batchIterator = batches();
  async function* records(): AsyncGenerator<CsvRecord | CsvRejection> {
    for await (const batch of batchIterator) yield* batch;
  }
  let recordIterator: AsyncGenerator<CsvRecord | CsvRejection> | undefined;
  return {
    headers,
    get encoding() {
      return switchedTo ?? encoding;
    },
    delimiter,
    get emptyRows() {
      return emptyRows;
    },
    batches: batchIterator,
    close: () => {
      input.destroy();
    },
    [Symbol.asyncIterator]: () => (recordIterator ??= records()),
  };
}

/** The records of a CSV file without its header, for callers that know the columns already. */
export async function* readCsvRecords(source: string | Readable, options?: CsvRecordOptions): AsyncGenerator<CsvRecord | CsvRejection> {
  yield* await openCsvRecords(source, options);
}
