import { badInput } from './domain-error.js';
import { isUuid } from './ids.js';
import { assertStorableText } from './validate.js';

/**
 * Opaque keyset cursors: the sort key and id of the last row seen, base64url-encoded. Paging by key instead of
 * offset keeps pages stable while rows are added and stays fast deep into a list.
 */
export type CursorKey = (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const notACursor = () => badInput('after is not a cursor of this list', { field: 'after' });

export function decodeCursor(cursor: string, length: number): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === length && key.every((k) => k === null || ['string', 'number'].includes(typeof k))) {
      return key as CursorKey;
    }
  } catch {
    /* fall through */
  }
  throw notACursor();
}

/** The SQL types a keyset sort key is cast back to, each with the text PostgreSQL gives for it. */
export type SortKeyType = 'integer' | 'smallint' | 'numeric' | 'text' | 'timestamptz';

const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2})(?::?(\d{2}))?$/;

/** Whether `value` is what PostgreSQL's text output of `type` looks like and casts back without an error. */
function isSortKeyOf(type: SortKeyType, value: string): boolean {
  switch (type) {
    case 'integer':
      return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2 ** 31 - 1;
    case 'smallint':
      return /^-?\d{1,5}$/.test(value) && Math.abs(Number(value)) <= 2 ** 15 - 1;
    case 'numeric':
      return /^-?\d{1,20}(\.\d{1,10})?$/.test(value);
    case 'text':
      return value.length <= 1000;
    case 'timestamptz': {
      if (value === 'infinity') return true;
      const m = PG_TIMESTAMP.exec(value);
      return m !== null && !Number.isNaN(Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`));
    }
  }
}

/**
 * A keyset cursor `[sort key, id]` of a list sorted by a `type` expression. A cursor that is not one of this list
 * (hand-made, of another sort, of another list) is BAD_USER_INPUT here, never a cast error in the database.
 */
export function decodeKeysetCursor(cursor: string, type: SortKeyType): [string | null, string] {
  const [key, id] = decodeCursor(cursor, 2);
  if (!isUuid(id)) throw notACursor();
  if (key !== null && (typeof key !== 'string' || !isSortKeyOf(type, key))) throw notACursor();
  if (typeof key === 'string') assertStorableText(key, 'after');
  return [key, id];
}

/** A cursor of a list keyed by one integer (the audit trail's sequence numbers). */
export function decodeSeqCursor(cursor: string): number {
  const [seq] = decodeCursor(cursor, 1);
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw notACursor();
  return seq;
}

export const MAX_PAGE_SIZE = 1000;

export function pageSize(first: number | null | undefined, fallback = 50): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return first;
}
