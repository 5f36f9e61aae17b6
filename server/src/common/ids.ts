import { badInput } from './domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Ids are opaque to clients; a malformed one is bad input, never a database error. */
export function assertId(value: string, field: string): string {
  if (!isUuid(value)) throw badInput(`${field} is not a valid id`, { field });
  return value.toLowerCase();
}
