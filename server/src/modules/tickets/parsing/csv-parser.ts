import { createDecoder, type TextDecoderStream } from './text-decoding.js';

/** One physical record of a CSV file: its fields, where it starts and how far into the file it ends. */
export interface RawCsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** Bytes of the file consumed through the end of this record and its line break. */
  bytes: number;
}

/** The point where the parser lost track of where records start: nothing after it can be read. */
export interface CsvParseFailure {
  line: number;
  bytes: number;
  reason: string;
}

const NON_ASCII = /[^\x00-\x7f]/;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The reason of a record that would run to the end of the file: its quote is never closed. */
export const UNCLOSED_QUOTE = 'a quoted field is never closed; the rest of the file could not be read';

/** Line breaks (CRLF, CR or LF, each counted once) in text[from, to): a quoted field may span lines. */
function lineBreaksIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

type RecordEnd = '\n' | '\r\n' | '\r';

/**
 * A streaming RFC 4180 parser, fed chunks of a file (in any encoding its decoder reads; comma, semicolon, tab
 * or pipe between fields) and returning the records each chunk completes. It
 * keeps only the unfinished record between chunks, so memory stays constant whatever the file's size.
 *
 * It reads what the import's previous parser (csv-parse with relax_quotes and relax_column_count) read:
 * - the record separator is the first line break of the file (CRLF, LF or CR); other line break characters in
 *   an unquoted field are text;
 * - a quote opens a quoted field only as the field's first character; anywhere else it is text (5" screen), and
 *   a quoted field whose closing quote is followed by more text keeps its quotes and that text as its value;
 * - `""` inside a quoted field is one quote; a byte order mark at the start is dropped;
 * - a quote still open at the end of the file, or a record longer than `maxRecordSize` characters, fails: the
 *   parser can no longer tell where records start, so it stops there.
 * One difference: a CR just before the LF of an LF file is text on that line, where csv-parse's line count
 * took it for a line of its own.
 *
 * Scanning is done with indexOf and charCodeAt on a decoded string, and fields are substrings of it: that is
 * what makes it several times faster than a byte-at-a-time state machine.
 */
export interface CsvParserOptions {
  /** Largest record in characters (default 1 MiB). */
  maxRecordSize?: number;
  /** The field separator: a comma unless the file's dialect says otherwise (see csv-dialect.ts). */
  delimiter?: string;
  /** Turns the file's bytes into text; UTF-8 by default. */
  decoder?: TextDecoderStream;
}

export class CsvParser {
  private readonly decoder: TextDecoderStream;
  private readonly maxRecordSize: number;
  /** Char code of the field separator. */
  private readonly delimiter: number;
  /** Decoded text not yet consumed; it always starts at the beginning of a record. */
  private text = '';
  /** Physical line of text[0]. */
  private line = 1;
  private bytesConsumed = 0;
  private bytesRead = 0;
  private recordEnd: RecordEnd | undefined;
  /** Whether `text` is all ASCII, so that a character is a byte (nearly every export). */
  private ascii = true;
  /** Whether an unquoted field held a line break character that does not end records (a CR in an LF file). */
  private breakInField = false;
  private started = false;
  private failure: CsvParseFailure | undefined;

  constructor(options: CsvParserOptions = {}) {
    this.maxRecordSize = options.maxRecordSize ?? 1024 * 1024;
    this.delimiter = (options.delimiter ?? ',').charCodeAt(0);
    this.decoder = options.decoder ?? createDecoder('utf-8');
  }

  /** Whether the parser has stopped at a failure (which it has returned); it then ignores further input. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Adds a chunk of the file; returns the records it completes, and a failure last if it hit one. */
  push(chunk: Buffer): (RawCsvRecord | CsvParseFailure)[] {
    if (this.failure) return [];
    this.bytesRead += chunk.length;
    let decoded = this.decoder.write(chunk);
    if (!this.started && decoded.length > 0) {
      this.started = true;
      if (decoded.charCodeAt(0) === 0xfeff) {
        decoded = decoded.slice(1);
        this.bytesConsumed += this.decoder.encoding === 'utf-8' ? 3 : 2;
      }
    }
    this.ascii = (this.ascii || this.text.length === 0) && !NON_ASCII.test(decoded);
    this.text = this.text.length === 0 ? decoded : this.text + decoded;
    return this.parse(false);
  }

  /** Ends the file: returns its last record (one without a final line break), or the failure of an open quote. */
  end(): (RawCsvRecord | CsvParseFailure)[] {
    if (this.failure) return [];
    const rest = this.decoder.end();
    if (rest) {
      this.ascii = false;
      this.text += rest;
    }
    const out = this.parse(true);
    // Whatever a decoder replaced, the last record ends where the file does.
    const last = out.at(-1);
    if (last && !('reason' in last)) last.bytes = this.bytesRead;
    return out;
  }

  private parse(atEnd: boolean): (RawCsvRecord | CsvParseFailure)[] {
    const out: (RawCsvRecord | CsvParseFailure)[] = [];
    const text = this.text;
    // A CR at the end of a chunk may be the first half of a CRLF: it is read with the next chunk.
    const length = !atEnd && text.charCodeAt(text.length - 1) === CR ? text.length - 1 : text.length;
    let start = 0;
    while (start < length) {
      const fields: string[] = [];
      let pos = start;
      let end = -1;
      let quoted = false;
      for (;;) {
        if (text.charCodeAt(pos) === QUOTE) {
          quoted = true;
          // A quoted field: find its closing quote, joining the parts around each doubled quote.
          let value = '';
          let from = pos + 1;
          let close = -1;
          for (;;) {
            const q = text.indexOf('"', from);
            if (q < 0 || q >= length || (q + 1 === length && !atEnd)) break;
            if (text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(from, q + 1);
              from = q + 2;
              continue;
            }
            value += text.slice(from, q);
            close = q;
            break;
          }
          if (close < 0) {
            if (atEnd) return this.fail(out, UNCLOSED_QUOTE);
            break; // wait for more text
          }
          pos = close + 1;
          if (pos < length && text.charCodeAt(pos) !== this.delimiter && this.recordEndAt(text, pos) === 0) {
            // Text after the closing quote: the quotes were text after all (relaxed, as csv-parse reads it).
            const tail = this.unquotedEnd(text, pos, length);
            if (tail === length && !atEnd) break;
            value = `"${value}"${text.slice(pos, tail)}`;
            pos = tail;
          }
          fields.push(value);
        } else {
          const to = this.unquotedEnd(text, pos, length);
          if (to === length && !atEnd) break;
          fields.push(text.slice(pos, to));
          pos = to;
        }
        if (pos < length && text.charCodeAt(pos) === this.delimiter) {
          pos++;
          continue;
        }
        if (pos === length && !atEnd) break;
        end = pos;
        break;
      }
      if (end < 0 ? length - start > this.maxRecordSize : end - start > this.maxRecordSize) {
        // A stray quote makes a field run on over the following rows; that is by far the likeliest cause.
        return this.fail(out, quoted ? UNCLOSED_QUOTE : `a row is longer than ${this.maxRecordSize} characters; the rest of the file could not be read`);
      }
      if (end < 0) break; // the record goes on in the next chunk
      const next = end === length ? end : end + this.recordEndAt(text, end);
      this.bytesConsumed = Math.min(this.bytesRead, this.bytesConsumed + (this.ascii ? next - start : this.decoder.byteLength(text, start, next)));
      out.push({ fields, line: this.line, bytes: this.bytesConsumed });
      this.line += quoted || this.breakInField ? 1 + lineBreaksIn(text, start, end) : 1;
      this.breakInField = false;
      start = next;
    }
    this.text = start === 0 ? text : text.slice(start);
    return out;
  }

  /** Where an unquoted field starting at `from` ends: the next delimiter or record separator, or `length`. */
  private unquotedEnd(text: string, from: number, length: number): number {
    for (let i = from; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === this.delimiter) return i;
      if (c === LF || c === CR) {
        if (this.recordEndAt(text, i) > 0) return i;
        this.breakInField = true;
      }
    }
    return length;
  }

  /**
   * The length of the record separator at `i` (0 if there is none). The file's first line break settles which
   * one it uses, as csv-parse does: an LF file's stray CR stays text, and so does a CRLF file's lone LF.
   */
  private recordEndAt(text: string, i: number): number {
    const c = text.charCodeAt(i);
    if (c !== LF && c !== CR) return 0;
    if (this.recordEnd === undefined) this.recordEnd = c === LF ? '\n' : text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    switch (this.recordEnd) {
      case '\n':
        return c === LF ? 1 : 0;
      case '\r':
        return c === CR ? 1 : 0;
      case '\r\n':
        return c === CR && text.charCodeAt(i + 1) === LF ? 2 : 0;
    }
  }

  private fail(out: (RawCsvRecord | CsvParseFailure)[], reason: string): (RawCsvRecord | CsvParseFailure)[] {
    this.failure = { line: this.line, bytes: this.bytesConsumed, reason };
    this.text = '';
    out.push(this.failure);
    return out;
  }
}
