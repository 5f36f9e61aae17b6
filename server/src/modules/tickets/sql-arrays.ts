import { isoTimestamp } from './iso-timestamp.js';

/**
 * PostgreSQL array literals for bulk statements (`unnest(CAST($1 AS text[]), ...)`), written directly. node-pg
 * serialises an array parameter element by element through its generic value preparation, and formats dates in
 * the local zone by hand; for an import batch of 5,000 rows x 30 columns that cost more than the statement.
 * Each function takes the column's values in row order; null and undefined become NULL.
 */

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** Elements of text, uuid or any type read from text; each is quoted, so empty text and "NULL" stay text. */
export function textArray(values: readonly (string | null | undefined)[]): string {
  return literal(values, (v) => (NEEDS_ESCAPE.test(v) ? `"${v.replace(ESCAPED, '\\$&')}"` : `"${v}"`));
}

/** Elements of timestamptz, as ISO 8601 in UTC. */
export function timestampArray(values: readonly (Date | null | undefined)[]): string {
  return literal(values, (v) => isoTimestamp(v));
}

export function booleanArray(values: readonly (boolean | null | undefined)[]): string {
  return literal(values, (v) => (v ? 't' : 'f'));
}

/** Elements of integer or bigint; values must be whole numbers (of at most 15 digits for exactness). */
export function integerArray(values: readonly (number | null | undefined)[]): string {
  return literal(values, String);
}

/**
 * Joins the elements once: concatenating 5,000 pieces one by one would build a rope of as many string
 * objects, which outlives the query's round trip and so costs the garbage collector an old-space sweep.
 */
function literal<T>(values: readonly (T | null | undefined)[], element: (value: T) => string): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] = v === null || v === undefined ? 'NULL' : element(v);
  }
  return `{${parts.join(',')}}`;
}
