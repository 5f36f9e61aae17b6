import {
  parseTicketDate,
  Priority,
  readPriority,
  stateCategoryOf,
  TicketStateCategory,
  type RowRejection,
  type TicketDateFormat,
  type TicketDateReader,
} from '@gatehouse/shared';
import type { ParseContext } from './import-warnings.js';

/**
 * A value that cannot be read. Format parsers throw it from deep inside a row and turn it into that row's
 * rejection in one place; its message names the column and the value.
 */
export class FieldError extends Error {
  constructor(column: string, problem: string) {
    super(`${column}: ${problem}`);
    this.name = 'FieldError';
  }
}

/** Trimmed text, or undefined for a missing column, empty text and ServiceNow's "?". */
export function textValue(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' || v === '?' ? undefined : v;
}

/** A date in a named format (a generic mapping's dateFormat), or read by the file's date reader. */
export function dateValue(column: string, value: string | undefined, how?: TicketDateFormat | TicketDateReader): Date | undefined {
  try {
    return typeof how === 'object' ? how.read(value) : parseTicketDate(value, how);
  } catch (e) {
    if (e instanceof RangeError) throw new FieldError(column, e.message);
    throw e;
  }
}

/**
 * A priority as the desk wrote it: its level and the text itself. A value nobody knows becomes UNKNOWN with
 * a warning, never a rejection. Empty gives undefined (the caller's default applies).
 */
export function priorityValue(
  column: string,
  value: string | undefined,
  ctx: Pick<ParseContext, 'warnings'>,
  ownWords?: ReadonlyMap<string, Priority>,
): { priority: Priority; sourcePriority: string } | undefined {
  const text = textValue(value);
  if (text === undefined) return undefined;
  const own = ownWords?.get(text.toLowerCase());
  if (own !== undefined) return { priority: own, sourcePriority: text };
  const read = readPriority(text);
  if (read === undefined) return undefined;
  if (!read.known) ctx.warnings.add('UNKNOWN_PRIORITY', column, text);
  return { priority: read.priority, sourcePriority: text };
}

/** The category of a state (from the desk's status category when it has one); an unknown name warns. */
export function stateCategoryValue(column: string, state: string | undefined, ctx: Pick<ParseContext, 'warnings'>, statusCategory?: string): TicketStateCategory {
  const category = stateCategoryOf(state, statusCategory);
  if (category === TicketStateCategory.UNKNOWN) ctx.warnings.add('UNKNOWN_STATE', column, state!.trim());
  return category;
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** true / false for the usual spellings, null for no value. */
export function booleanValue(column: string, value: string | undefined): boolean | null {
  const v = textValue(value)?.toLowerCase();
  if (v === undefined) return null;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new FieldError(column, `"${value?.trim()}" is neither true nor false`);
}

/** A whole number of at least 0, such as ServiceNow's sys_mod_count. */
export function countValue(column: string, value: string | undefined): number | undefined {
  const v = textValue(value);
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new FieldError(column, `"${v}" is not a whole number`);
  return Number(v);
}

/** Runs a row parser and turns a FieldError into the row's rejection; any other error is a bug and escapes. */
export function rejectingFieldErrors<T>(line: number, parse: () => T): T | RowRejection {
  try {
    return parse();
  } catch (e) {
    if (e instanceof FieldError) return { line, reason: e.message };
    throw e;
  }
}

/**
 * A copy without undefined properties, so that records compare and serialise cleanly. Copied rather than
 * deleted in place: `delete` turns an object into a slow dictionary, and every later read of every record (hash,
 * signature, SLA, database columns) would pay for it.
 */
export function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}
