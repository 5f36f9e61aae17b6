import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineSplitter, NdjsonError, readNdjson } from './ndjson-reader';

/** A stream that hands out the bytes in the given pieces, one read each. */
function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]);
      else controller.close();
    },
  });
}

/** Cuts the bytes at the given offsets. */
function cut(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.filter((n) => n > 0 && n < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(from, p));
    from = p;
  }
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of readNdjson(stream)) out.push(v);
  return out;
}

const lines = [
  { type: 'progress', rows: 2000, bytes: 204_800, totalBytes: 2_004_534, percent: 10.2 },
  { type: 'progress', rows: 4000, bytes: 409_600, totalBytes: 2_004_534, percent: 20.4 },
  // Multi-byte characters: two-byte ü, three-byte €, four-byte emoji (a surrogate pair in JavaScript).
  { type: 'done', rows: 5998, inserted: 890, rejections: [{ line: 17, reason: 'Zürich: unknown priority “€ 🚀”' }] },
];
const encoded = new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

describe('the NDJSON reader', () => {
  it('reads every line whole when the stream is cut after every single byte', async () => {
    // Setup: one byte per chunk, so every multi-byte character and every line is split.
    const pieces = Array.from(encoded, (b) => Uint8Array.of(b));

    // Action
    const values = await readAll(streamOf(pieces));

    // Assert
    expect(values).toEqual(lines);
  });

  it('reads the same values however the bytes are cut (any chunking)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: encoded.length - 1 }), { maxLength: 40 }), async (at) => {
        expect(await readAll(streamOf(cut(encoded, at)))).toEqual(lines);
      }),
      { numRuns: 200 },
    );
  });

  it('cuts inside a four-byte character and between CR and LF', async () => {
    const text = '{"a":"🚀"}\r\n{"b":2}\r\n';
    const bytes = new TextEncoder().encode(text);
    const rocket = bytes.indexOf(0xf0);
    const cr = bytes.indexOf(0x0d);
    expect(await readAll(streamOf(cut(bytes, [rocket + 1, rocket + 3, cr + 1])))).toEqual([{ a: '🚀' }, { b: 2 }]);
  });

  it('keeps a last line that has no line break, and skips blank lines', async () => {
    const bytes = new TextEncoder().encode('\n{"a":1}\n\n   \n{"b":2}');
    expect(await readAll(streamOf(cut(bytes, [3, 9])))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('gives the lines before a line that is not JSON, then fails with NdjsonError', async () => {
    const bytes = new TextEncoder().encode('{"a":1}\n<html>413 Request Entity Too Large</html>\n');
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const v of readNdjson(streamOf([bytes]))) seen.push(v);
    }).rejects.toBeInstanceOf(NdjsonError);
    expect(seen).toEqual([{ a: 1 }]);
  });

  it('lets the stream go when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"a":1}\n{"b":2}\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const v of readNdjson(stream)) {
      expect(v).toEqual({ a: 1 });
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('the line splitter', () => {
  it('answers completed lines only, and the rest at the end', () => {
    const s = createLineSplitter();
    expect(s.push('ab')).toEqual([]);
    expect(s.push('c\nde\r')).toEqual(['abc']);
    expect(s.push('\nf')).toEqual(['de']);
    expect(s.end()).toEqual(['f']);
    expect(s.end()).toEqual([]);
  });
});
