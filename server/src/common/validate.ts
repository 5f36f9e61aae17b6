import { isMoney, isMonth, normaliseMoney, type Money } from '@gatehouse/shared';
import { badInput } from './domain-error.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text PostgreSQL can store as it was sent: no NUL character (PostgreSQL refuses it in text, which would surface
 * as a database error) and no lone UTF-16 surrogate (it would be stored silently as U+FFFD, not what was sent).
 * Checked for every argument of every field by `rejectUnstorableText`, and again by the text helpers below.
 */
export function assertStorableText(value: string, field: string): string {
  if (value.includes('\u0000')) throw badInput(`${field} must not contain NUL characters`, { field });
  if (LONE_SURROGATE.test(value)) throw badInput(`${field} must not contain unpaired surrogate characters`, { field });
  return value;
}

/** Walks a resolver's arguments (inputs, lists) and refuses any string assertStorableText refuses. */
export function assertStorableArgs(value: unknown, field: string, depth = 0): void {
  if (typeof value === 'string') {
    assertStorableText(value, field);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertStorableArgs(v, `${field}[${i}]`, depth + 1));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date) && depth < 20) {
    for (const [k, v] of Object.entries(value)) assertStorableArgs(v, field ? `${field}.${k}` : k, depth + 1);
  }
}

/** Trims and bounds a required text field. */
export function requiredText(value: string, field: string, max: number): string {
  const v = assertStorableText(value, field).trim();
  if (v.length === 0) throw badInput(`${field} must not be empty`, { field });
  if (v.length > max) throw badInput(`${field} must be at most ${max} characters`, { field });
  return v;
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = assertStorableText(value, field).trim();
  if (v.length > max) throw badInput(`${field} must be at most ${max} characters`, { field });
  return v;
}

export function money(value: string, field: string): Money {
  if (!isMoney(value)) {
    throw badInput(`${field} must be a decimal amount with at most 13 integer and 2 fraction digits, like "12500.00"`, {
      field,
    });
  }
  return normaliseMoney(value);
}

export function month(value: string, field: string): string {
  if (!isMonth(value)) throw badInput(`${field} must be a month as YYYY-MM`, { field });
  return value;
}

export function validDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field} is not a valid date`, { field });
  const year = value.getUTCFullYear();
  if (year < 1900 || year > 2200) throw badInput(`${field} must be between the years 1900 and 2200`, { field });
  return value;
}
