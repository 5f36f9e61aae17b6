/**
 * Newline-delimited JSON read from a byte stream as it arrives. A network chunk may end anywhere: inside a
 * line, between the two halves of a CRLF, or in the middle of a multi-byte UTF-8 character. The decoder keeps
 * the partial character for the next chunk (`stream: true`) and the splitter keeps the partial line, so every
 * value comes out whole and exactly once, however the bytes were cut.
 */
export class NdjsonError extends Error {
  constructor(
    message: string,
    /** The offending line (shortened), for the log; never shown as is. */
    readonly line: string,
  ) {
    super(message);
    this.name = 'NdjsonError';
  }
}

export interface LineSplitter {
  /** Adds text; answers the lines it completed (without their line breaks). */
  push(text: string): string[];
  /** The end of the input: answers the last line when it had no line break. */
  end(): string[];
}

export function createLineSplitter(): LineSplitter {
  let rest = '';
  return {
    push(text) {
      rest += text;
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      return parts.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
    },
    end() {
      const last = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
      rest = '';
      return last === '' ? [] : [last];
    },
  };
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new NdjsonError('The server sent a line that is not JSON', line.slice(0, 200));
  }
}

/** Every JSON value of the stream, in order; blank lines are skipped. Throws NdjsonError on a line that is not JSON. */
export async function* readNdjson(stream: ReadableStream<Uint8Array>): AsyncGenerator<unknown, void, undefined> {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  const splitter = createLineSplitter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const lines = done ? [...splitter.push(decoder.decode()), ...splitter.end()] : splitter.push(decoder.decode(value, { stream: true }));
      for (const line of lines) if (line.trim() !== '') yield parseLine(line);
      if (done) return;
    }
  } finally {
    // A consumer that stops early (an error line, a cancel) lets the connection go.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
