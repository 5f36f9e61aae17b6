import { describe, expect, it } from 'vitest';
import { CsvParser, UNCLOSED_QUOTE, type CsvParseFailure, type RawCsvRecord } from './csv-parser.js';

/** Feeds `text` in chunks of `size` bytes (cutting through multi-byte characters and CRLFs alike). */
function parse(text: string | Buffer, size = Infinity, maxRecordSize?: number): (RawCsvRecord | CsvParseFailure)[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const parser = new CsvParser({ maxRecordSize });
  const out: (RawCsvRecord | CsvParseFailure)[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(size, bytes.length)) out.push(...parser.push(bytes.subarray(i, i + size)));
  out.push(...parser.end());
  return out;
}

const TRICKY = '\uFEFFid,text,note\r\n1,"a, ""quoted""\r\nvalue",5" screen\r\n2,"x"y,€ and 😀\r\n\r\n3,,"ends"\r\n4,last,no break';

describe('CSV parser', () => {
  it('reads the same records whatever the chunks, even one byte at a time', () => {
    // Action
    const whole = parse(TRICKY);

    // Assert
    expect(whole.map((r) => ('fields' in r ? [r.line, r.fields] : r))).toEqual([
      [1, ['id', 'text', 'note']],
      [2, ['1', 'a, "quoted"\r\nvalue', '5" screen']],
      [4, ['2', '"x"y', '€ and 😀']],
      [5, ['']],
      [6, ['3', '', 'ends']],
      [7, ['4', 'last', 'no break']],
    ]);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(parse(TRICKY, size)).toEqual(whole);
  });

  it('counts progress in bytes of the file, multi-byte characters and byte order mark included', () => {
    // Setup
    const bytes = Buffer.from(TRICKY);

    // Action
    const records = parse(bytes, 3) as RawCsvRecord[];

    // Assert: each record ends after its line break, the last one at the end of the file.
    const ends = [...TRICKY.matchAll(/\r\n/g)].map((m) => Buffer.byteLength(TRICKY.slice(0, m.index + 2)));
    expect(records.map((r) => r.bytes)).toEqual([ends[0], ends[2], ends[3], ends[4], ends[5], bytes.length]);
  });

  it("settles the record separator by the file's first line break", () => {
    // An LF file keeps a stray CR as text, a CRLF file a lone LF.
    expect(parse('a,b\n1,x\ry\n').map((r) => ('fields' in r ? r.fields : r))).toEqual([['a', 'b'], ['1', 'x\ry']]);
    expect(parse('a,b\r\n1,x\ny\r\n').map((r) => ('fields' in r ? r.fields : r))).toEqual([['a', 'b'], ['1', 'x\ny']]);
    expect(parse('a,b\r1,2\r').map((r) => ('fields' in r ? [r.line, r.fields] : r))).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  it('stops at a quote that is never closed, with the line where its record starts', () => {
    // Action
    const out = parse('a,b\n1,2\n3,"open\n4,5\n', 4);

    // Assert
    expect(out).toEqual([
      { fields: ['a', 'b'], line: 1, bytes: 4 },
      { fields: ['1', '2'], line: 2, bytes: 8 },
      { line: 3, bytes: 8, reason: UNCLOSED_QUOTE },
    ]);
  });

  it('stops at a record longer than the limit instead of holding the rest of the file', () => {
    // Action
    const quoted = parse(`a,b\n1,"${'x'.repeat(100)}\n2,3\n`, 16, 50);
    const plain = parse(`a,b\n1,${'x'.repeat(100)}\n2,3\n`, 16, 50);

    // Assert
    expect(quoted.at(-1)).toEqual({ line: 2, bytes: 4, reason: UNCLOSED_QUOTE });
    expect(plain.at(-1)).toEqual({ line: 2, bytes: 4, reason: 'a row is longer than 50 characters; the rest of the file could not be read' });
  });
});
