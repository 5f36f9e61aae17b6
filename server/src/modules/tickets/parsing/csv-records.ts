import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { RowRejection } from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import { CsvParser, type CsvParseFailure, type RawCsvRecord } from './csv-parser.js';

/** One data row of a CSV file, keyed by header name. */
export interface CsvRow {
  /** 1-based physical line where the row starts; the header is line 1. */
  line: number;
  /** The first value of each column; values are as in the file (not trimmed). */
  fields: Readonly<Record<string, string>>;
  /** Every value, in column order, of each column the header names more than once (Jira's multi-value fields). */
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
  /**
   * Whether a header name may appear more than once. Jira writes one column per value of a multi-value field
   * (Component/s, Labels, Comment), so its parser allows any repetition; everywhere else a repeated name is an
   * error, because one of the values would be silently ignored.
   */
  repeatable?: (name: string, headers: readonly string[]) => boolean;
  /**
   * Largest record in characters. A stray quote makes the parser read the rest of the file as one field; the
   * bound keeps memory constant and turns that into a rejection. Default 1 MiB.
   */
  maxRecordSize?: number;
}

export interface CsvRecords extends AsyncIterable<CsvRecord | CsvRejection> {
  /** The header's column names, trimmed, in file order (repeated names appear repeatedly). */
  readonly headers: readonly string[];
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

function checkHeader(headers: readonly string[], options: CsvRecordOptions, where: string): void {
  const firstColumn = new Map<string, number>();
  headers.forEach((name, i) => {
    if (name === '') throw badInput(`${where}: column ${i + 1} of the header row has no name`);
    const first = firstColumn.get(name);
    if (first !== undefined && !(options.repeatable?.(name, headers) ?? false)) {
      throw badInput(`${where}: the header row names the column "${name}" twice (columns ${first + 1} and ${i + 1})`);
    }
    if (first === undefined) firstColumn.set(name, i);
  });
}


/** Raised when the input turns out not to be text, so that the caller can tell it from other read errors. */
class NotTextError extends Error {}

/** A NUL byte in the first 8 KiB means an image, an archive or UTF-16 text, none of which can be read as CSV. */
const SNIFFED_BYTES = 8192;

/** The parser's output for each chunk of the input, after refusing binary input before it reaches the parser. */
async function* rawBatches(input: Readable, parser: CsvParser): AsyncGenerator<(RawCsvRecord | CsvParseFailure)[]> {
  let sniffed = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (sniffed < SNIFFED_BYTES) {
      const head = bytes.subarray(0, SNIFFED_BYTES - sniffed);
      sniffed += head.length;
      if (head.includes(0)) throw new NotTextError();
    }
    const out = parser.push(bytes);
    if (out.length > 0) yield out;
    if (parser.failed) return;
  }
  const out = parser.end();
  if (out.length > 0) yield out;
}

function readError(e: unknown, where: string): unknown {
  if (e instanceof NotTextError) return badInput(`${where} is not a CSV text file (it contains NUL bytes: binary data or UTF-16 text)`);
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return badInput(`cannot read ${where}: it is a directory, not a CSV file`);
  if (code === 'EACCES' || code === 'EPERM') return badInput(`cannot read ${where}: permission denied`);
  return e;
}

/**
 * Opens a CSV file (a path or any Readable, UTF-8 with or without a byte order mark) and reads its header row.
 * The records are then streamed in constant memory: a file of any size can be imported. Line numbers are
 * physical lines, so a quoted field spanning three lines moves the next record three lines on; blank lines
 * are skipped but counted.
 *
 * Throws BAD_USER_INPUT when the file is missing, a directory, binary, empty or has a bad header row (an empty
 * or, unless `repeatable` allows it, a repeated column name). Later problems are per row: a row with the wrong
 * number of fields is yielded as a rejection, and an unclosed quote ends the file with a rejection that says so.
 */
export async function openCsvRecords(source: string | Readable, options: CsvRecordOptions = {}): Promise<CsvRecords> {
  const where = typeof source === 'string' ? source : 'the file';
  const input = await openSource(source);
  const raw = rawBatches(input, new CsvParser(options.maxRecordSize ?? 1024 * 1024));

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
  try {
    checkHeader(headers, options, where);
  } catch (e) {
    input.destroy();
    throw e;
  }
  // Each name takes the first column that carries it; repeated names also get all their columns' values.
  const names = [...new Set(headers)];
  const firstColumns = names.map((name) => headers.indexOf(name));
  const repeatedNames = names.filter((name) => headers.indexOf(name) !== headers.lastIndexOf(name));

  function toRecords(batch: readonly (RawCsvRecord | CsvParseFailure)[]): (CsvRecord | CsvRejection)[] {
    const out: (CsvRecord | CsvRejection)[] = [];
    for (const item of batch) {
      if ('reason' in item) {
        out.push({ line: item.line, bytes: item.bytes, reason: item.reason });
        continue;
      }
      const { fields: values, line, bytes } = item;
      if (values.length === 1 && values[0].trim() === '') continue;
      if (values.length !== headers.length) {
        out.push({ line, bytes, reason: `the row has ${values.length} fields, the header has ${headers.length}` });
        continue;
      }
      // No prototype, so that a column named __proto__ or constructor is a field like any other.
      const fields: Record<string, string> = Object.create(null);
      for (let i = 0; i < names.length; i++) fields[names[i]] = values[firstColumns[i]];
      const record: CsvRecord = { line, bytes, fields };
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
