import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRowRejection, Priority, TicketSource, type TicketRecord } from '@gatehouse/shared';
import { loadGenericMapping } from './parsing/generic-format.js';
import { openTicketFile } from './parsing/ticket-formats.js';
import { canonicalContentJson, contentHash } from './ticket-content-hash.js';

const DATA = path.resolve(import.meta.dirname, '../../../../../shared/data/itsm');

/** The hash as the first version of the import computed it; every stored content_hash was made this way. */
function referenceHash(r: TicketRecord): string {
  const { revision: _revision, ...content } = r;
  return createHash('sha256').update(JSON.stringify(content, Object.keys(content).sort())).digest('base64url');
}

async function records(file: string, format: 'servicenow' | 'generic'): Promise<TicketRecord[]> {
  const mapping = format === 'generic' ? await loadGenericMapping(path.resolve(import.meta.dirname, 'parsing/mappings/helpdesk-tickets-text.json')) : undefined;
  const out: TicketRecord[] = [];
  for await (const row of (await openTicketFile(file, { format, mapping })).rows) if (!isRowRejection(row.result)) out.push(row.result);
  return out;
}

const text = fc.option(fc.string({ unit: 'binary' }), { nil: undefined });
const date = fc.option(fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), { nil: undefined });
const record: fc.Arbitrary<TicketRecord> = fc.record(
  {
    source: fc.constantFrom(...Object.values(TicketSource)),
    externalId: fc.string({ minLength: 1 }),
    summary: fc.string({ unit: 'binary' }),
    description: text,
    category: text,
    subcategory: text,
    service: text,
    symptom: text,
    impact: text,
    urgency: text,
    priority: fc.constantFrom(...Object.values(Priority)),
    state: text,
    assignmentGroup: text,
    requestingUnit: text,
    problemRef: text,
    labels: fc.option(fc.array(fc.string({ unit: 'binary' })), { nil: undefined }),
    requestType: text,
    openedAt: date,
    respondedAt: date,
    resolvedAt: date,
    closedAt: date,
    updatedAt: date,
    madeSla: fc.option(fc.option(fc.boolean(), { nil: null }), { nil: undefined }),
    revision: fc.integer({ min: 0 }),
  },
  // Parsers leave unset fields out; GraphQL inputs carry them as undefined. Both must hash alike.
  { requiredKeys: ['source', 'externalId', 'summary', 'priority', 'revision'] },
);

describe('ticket content hash', () => {
  it('equals the hash of JSON with sorted keys for the real exports, so stored hashes stay valid', async () => {
    // Setup
    const all = [...(await records(path.join(DATA, 'servicenow-incident-event-log.csv'), 'servicenow')), ...(await records(path.join(DATA, 'helpdesk-tickets-text.csv'), 'generic'))];

    // Action / Assert
    expect(all.length).toBeGreaterThan(11_000);
    for (const r of all) expect(contentHash(r)).toBe(referenceHash(r));
  });

  it('equals the reference for any ticket, with fields missing, undefined, null, empty or in any script', () => {
    fc.assert(
      fc.property(record, fc.boolean(), (r, withUndefined) => {
        const input = withUndefined ? { ...r, state: undefined, labels: undefined } : r;
        expect(contentHash(input)).toBe(referenceHash(input));
      }),
      { numRuns: 500 },
    );
  });

  it('ignores the revision and sees every content field', () => {
    const base: TicketRecord = { source: TicketSource.CSV, externalId: 'A-1', summary: 'Printer jam', priority: Priority.LOW, revision: 1 };
    expect(contentHash({ ...base, revision: 2 })).toBe(contentHash(base));
    expect(contentHash({ ...base, labels: ['x'] })).not.toBe(contentHash(base));
    expect(canonicalContentJson({ ...base, madeSla: null })).toBe('{"externalId":"A-1","madeSla":null,"priority":"LOW","source":"CSV","summary":"Printer jam"}');
  });
});
