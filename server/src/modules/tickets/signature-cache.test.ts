import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ticketSignature } from '@gatehouse/shared';
import { SignatureCache } from './signature-cache.js';

const field = fc.option(fc.constantFrom('', ' ', '?', 'Network', 'network ', 'VPN', 'Symptom 7', 'a:b', '1:', 'Drucker / Ärger'), { nil: undefined });
const ticket = fc.record({
  summary: fc.constantFrom('Password reset', 'please reset password', 'RE: INC0012345', 'VPN drops every 5 min', ''),
  description: field,
  category: field,
  subcategory: field,
  service: field,
  symptom: field,
});

describe('signature cache', () => {
  it('gives what ticketSignature gives, for any order of tickets and however small it is', () => {
    fc.assert(
      fc.property(fc.array(ticket, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (tickets, limit) => {
        const cache = new SignatureCache(limit);
        for (const t of tickets) expect(cache.of(t)).toEqual(ticketSignature(t));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a field boundary where values could run together', () => {
    const cache = new SignatureCache();
    const a = cache.of({ summary: 'x', category: 'ab', subcategory: 'c' });
    const b = cache.of({ summary: 'x', category: 'a', subcategory: 'bc' });
    expect(a.signature).not.toBe(b.signature);
  });
});
