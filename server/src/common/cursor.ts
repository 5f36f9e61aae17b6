import { badInput } from './domain-error.js';

/**
 * Opaque keyset cursors: the sort key and id of the last row seen, base64url-encoded. Paging by key instead of
 * offset keeps pages stable while rows are added and stays fast deep into a list.
 */
export type CursorKey = (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === length && key.every((k) => k === null || ['string', 'number'].includes(typeof k))) {
      return key as CursorKey;
    }
  } catch {
    /* fall through */
  }
  throw badInput('after is not a cursor of this list', { field: 'after' });
}

export const MAX_PAGE_SIZE = 1000;

export function pageSize(first: number | null | undefined, fallback = 50): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return first;
}
