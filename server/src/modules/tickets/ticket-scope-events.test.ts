import { Role } from '@gatehouse/shared';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../events/event-bus.js';
import { MAX_EVENT_BYTES } from '../../events/remote-event-bus.js';
import type { Actor } from '../access/index.js';
import { boundedTicketEvent, mayReceiveTicketEvent, visibleCounts } from './ticket-scope.js';

const ORG = '00000000-0000-4000-8000-000000000001';
const IT = '00000000-0000-4000-8000-000000000002';
const DESK = '00000000-0000-4000-8000-000000000003'; // below IT
const FIN = '00000000-0000-4000-8000-000000000004';

const actor = (grants: { role: Role; scopePath: string[] }[]): Actor =>
  ({ userId: 'u', organisation: { id: ORG }, grants: grants.map((g) => ({ role: g.role, scopeId: g.scopePath.at(-1)!, scopePath: g.scopePath })) }) as unknown as Actor;

// An import of 2 tickets of the IT desk (below IT) and 1 unmapped ticket.
const event: EventOf<'ticketGroupsChanged'> = {
  topic: 'ticketGroupsChanged',
  organisationId: ORG,
  groupIds: ['g1'],
  inserted: 3,
  updated: 0,
  scopeIds: [ORG, IT, DESK],
  counts: [
    { path: [ORG, IT, DESK], inserted: 2, updated: 0 },
    { path: [ORG], inserted: 1, updated: 0 },
  ],
  at: '2026-12-07T00:00:00.000Z',
};

describe('ticketGroupsChanged per subscriber', () => {
  it('reaches a role on a ticket scope or above it, and nobody else', () => {
    expect(mayReceiveTicketEvent(actor([{ role: Role.VIEWER, scopePath: [ORG, IT] }]), event)).toBe(true);
    expect(mayReceiveTicketEvent(actor([{ role: Role.VIEWER, scopePath: [ORG] }]), event)).toBe(true);
    expect(mayReceiveTicketEvent(actor([{ role: Role.VIEWER, scopePath: [ORG, FIN] }]), event)).toBe(false);
    expect(mayReceiveTicketEvent(actor([]), event)).toBe(false);
  });

  it('tells each subscriber the counts of their own scopes only', () => {
    expect(visibleCounts(actor([{ role: Role.VIEWER, scopePath: [ORG, IT] }]), event)).toEqual({ inserted: 2, updated: 0 });
    expect(visibleCounts(actor([{ role: Role.ADMIN, scopePath: [ORG] }]), event)).toEqual({ inserted: 3, updated: 0 });
  });

  it('keeps an event within a NOTIFY payload by dropping group ids, then the counts, never the scopes', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const units = Array.from({ length: 120 }, (_, i) => `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const big = { ...event, groupIds: ids, scopeIds: [ORG, ...units], counts: units.map((u) => ({ path: [ORG, u], inserted: 1, updated: 0 })) };
    const bounded = boundedTicketEvent(big);
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThan(MAX_EVENT_BYTES - 100);
    expect(bounded.scopeIds).toEqual(big.scopeIds);
    expect(bounded.counts).toBeUndefined();
    // Without counts a scoped subscriber hears of it with 0, not with others' counts.
    expect(visibleCounts(actor([{ role: Role.VIEWER, scopePath: [ORG, units[0]] }]), bounded)).toEqual({ inserted: 0, updated: 0 });
    expect(boundedTicketEvent(event)).toBe(event);
  });
});
