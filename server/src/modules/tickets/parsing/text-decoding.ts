import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * The encodings exports come in. Detection: a byte order mark settles it (UTF-8, UTF-16 LE/BE); otherwise
 * valid UTF-8 is UTF-8, and anything else is what chardet (a maintained port of Mozilla's detector) names
 * among the single-byte Western encodings, Windows-1252 by default: Excel's "CSV" on Windows writes it, and it
 * is a superset of Latin-1 for every printable character.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1' | 'iso-8859-15';

export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-15'];

export interface DetectedEncoding {
  encoding: TextEncoding;
  /** Bytes of the byte order mark at the start (skipped). */
  bom: number;
}

function isValidUtf8(bytes: Buffer): boolean {
  // A sample cut in the middle of a character is still UTF-8: drop up to 3 trailing bytes of a started one.
  let end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = bytes[end - i];
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) end -= i;
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** The encoding of a file from its first bytes (a few dozen KB are plenty). */
export function detectEncoding(head: Buffer): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // UTF-16 without a mark: every other byte of Latin text is NUL.
  const sample = head.subarray(0, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 === 0 ? evenNul++ : oddNul++);
  if (sample.length >= 4 && oddNul > sample.length / 4 && evenNul === 0) return { encoding: 'utf-16le', bom: 0 };
  if (sample.length >= 4 && evenNul > sample.length / 4 && oddNul === 0) return { encoding: 'utf-16be', bom: 0 };
  if (isValidUtf8(head)) return { encoding: 'utf-8', bom: 0 };
  const named = chardet.detect(head)?.toLowerCase();
  const encoding: TextEncoding = named === 'iso-8859-15' ? 'iso-8859-15' : 'windows-1252';
  return { encoding, bom: 0 };
}

/** A streaming decoder: bytes in, text out, characters split across chunks kept for the next chunk. */
export interface TextDecoderStream {
  readonly encoding: TextEncoding;
  write(bytes: Buffer): string;
  end(): string;
  /** Bytes that text[from, to) took in the file, for progress in bytes. */
  byteLength(text: string, from: number, to: number): number;
}

/** UTF-8 length of text[from, to), counting each replaced invalid byte as the 3 bytes of U+FFFD. */
export function utf8Length(text: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) n += c < 0x800 ? 1 : c >= 0xdc00 && c <= 0xdfff ? 0 : 2;
  }
  return n;
}

/**
 * The decoder for an encoding. UTF-8 has one twist that keeps detection cheap and memory constant: a file
 * whose first bytes are plain ASCII may still turn out to be Windows-1252 further down (an "é" on line 3,500).
 * As long as every byte so far was ASCII, both readings agree, so the decoder switches to Windows-1252 at the
 * first byte that is not UTF-8 and reports it through `onSwitch`.
 */
export function createDecoder(encoding: TextEncoding, onSwitch?: (to: TextEncoding) => void): TextDecoderStream {
  if (encoding !== 'utf-8') {
    const decoder = iconv.getDecoder(encoding);
    const width = encoding.startsWith('utf-16') ? 2 : 1;
    return {
      encoding,
      write: (bytes) => decoder.write(bytes),
      end: () => decoder.end() ?? '',
      byteLength: (_text, from, to) => (to - from) * width,
    };
  }
  let current: TextDecoderStream | undefined;
  let asciiSoFar = true;
  const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const strict = new TextDecoder('utf-8', { fatal: true });
  return {
    get encoding() {
      return current?.encoding ?? 'utf-8';
    },
    write(bytes) {
      if (current) return current.write(bytes);
      if (asciiSoFar) {
        let ascii = true;
        for (let i = 0; i < bytes.length; i++) {
          if (bytes[i] >= 0x80) {
            ascii = false;
            break;
          }
        }
        if (!ascii) {
          asciiSoFar = false;
          try {
            // Checked on this chunk alone: a character cut at its end is completed by the next one.
            strict.decode(bytes, { stream: true });
          } catch {
            current = createDecoder('windows-1252');
            onSwitch?.('windows-1252');
            return current.write(bytes);
          }
        }
      }
      return utf8.decode(bytes, { stream: true });
    },
    end() {
      return current ? current.end() : utf8.decode();
    },
    byteLength(text, from, to) {
      return current ? to - from : utf8Length(text, from, to);
    },
  };
}
