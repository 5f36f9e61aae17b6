import { hash } from 'node:crypto';
import type { TicketRecord } from '@gatehouse/shared';
import { isoTimestamp } from './iso-timestamp.js';

/**
 * Every field of a ticket's content, sorted by name: all of TicketRecord except `revision`, which orders
 * versions and is compared on its own. Sorted because the stored hashes were made from JSON with sorted keys.
 */
const CONTENT_KEYS = (
  [
    'assignmentGroup',
    'category',
    'closedAt',
    'description',
    'externalId',
    'impact',
    'labels',
    'madeSla',
    'openedAt',
    'priority',
    'problemRef',
    'requestType',
    'requestingUnit',
    'resolvedAt',
    'respondedAt',
    'service',
    'source',
    'state',
    'subcategory',
    'summary',
    'symptom',
    'updatedAt',
    'urgency',
  ] as const satisfies readonly Exclude<keyof TicketRecord, 'revision'>[]
).toSorted();

// A field added to TicketRecord must be added above, or it would not count as content: this fails to compile then.
type Unlisted = Exclude<keyof TicketRecord, 'revision' | (typeof CONTENT_KEYS)[number]>;
const everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFieldListed;

/** JSON.stringify of a date (its toJSON), without the generic call: a row has up to five. */
function jsonDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'null' : `"${isoTimestamp(date)}"`;
}

/**
 * The JSON of a ticket's content with its keys sorted and undefined fields left out, exactly as
 * `JSON.stringify(content, Object.keys(content).sort())` writes it, without that call's slow generic path (a
 * replacer list makes V8 look up every key of every nested value).
 */
export function canonicalContentJson(record: TicketRecord): string {
  let json = '{';
  for (const key of CONTENT_KEYS) {
    const value = record[key];
    if (value === undefined) continue;
    json += `${json.length === 1 ? '' : ','}"${key}":${value instanceof Date ? jsonDate(value) : JSON.stringify(value)}`;
  }
  return `${json}}`;
}

/**
 * What identifies a ticket's content: a re-import with the same content is "unchanged", whatever its row order.
 * SHA-256 of the canonical JSON, base64url: the same value as the hashes already stored, so an upgrade does not
 * turn a re-import into updates.
 */
export function contentHash(record: TicketRecord): string {
  return hash('sha256', canonicalContentJson(record), 'base64url');
}
