import { describe, expect, it } from 'vitest';
import { FINGERPRINT_WORDS, SIGNATURE_MAX_LENGTH, fingerprintWords, textFingerprint, ticketSignature } from './ticket-signature.js';

describe('text fingerprint', () => {
  it('drops ids, e-mail addresses, urls, digits, punctuation and stop words', () => {
    expect(
      fingerprintWords(
        'RE: Password reset for john.doe@example.com (INC0012345, PO-4711) see https://desk.example.com/t/17 #3fa85f64 by 12.03.2024!',
      ),
    ).toEqual(['password', 'reset', 'see']);
    expect(fingerprintWords('VPN 550e8400-e29b-41d4-a716-446655440000 drops, deadbeef42 every 5 min')).toEqual(['vpn', 'drops', 'every', 'min']);
  });

  it('keeps words of any script and their order', () => {
    expect(fingerprintWords('Drucker im 3. Stock druckt nicht – Ärger')).toEqual(['drucker', 'im', 'stock', 'druckt', 'nicht', 'ärger']);
  });

  it(`keeps the first ${FINGERPRINT_WORDS} words, so that a template's varying tail folds into one group`, () => {
    const a = textFingerprint('New purchase PO-4711 for laptop, monitor and docking station (Jane)');
    const b = textFingerprint('NEW PURCHASE PO-4712: laptop + monitor, docking station for Bob');
    expect(a.split(' ')).toHaveLength(FINGERPRINT_WORDS);
    expect(a).toBe(b);
  });

  it('lets greetings and mail prefixes not split a request', () => {
    expect(textFingerprint('Fwd: Hi team, please reset password')).toBe(textFingerprint('reset password'));
  });
});

describe('ticket signature', () => {
  it('uses the structured fields when a category and one more are filled', () => {
    // Action
    const s = ticketSignature({ summary: 'whatever', category: 'Category 53', subcategory: ' Subcategory  271 ', symptom: 'Symptom 470' });

    // Assert
    expect(s).toEqual({
      signature: 's:category 53 / subcategory 271 / - / symptom 470',
      title: 'Category 53 / Subcategory 271 / Symptom 470',
      basis: 'STRUCTURED',
    });
  });

  it('keeps a service apart from a symptom of the same name', () => {
    const asService = ticketSignature({ summary: '', category: 'Network', service: 'VPN' });
    const asSymptom = ticketSignature({ summary: '', category: 'Network', symptom: 'VPN' });
    expect(asService.signature).toBe('s:network / - / vpn / -');
    expect(asService.signature).not.toBe(asSymptom.signature);
  });

  it('groups regardless of letter case and spacing', () => {
    const a = ticketSignature({ summary: '', category: 'Hardware / Printers', subcategory: 'Toner' });
    const b = ticketSignature({ summary: '', category: 'hardware/printers', subcategory: 'TONER ' });
    expect(a.signature).toBe(b.signature);
  });

  it('falls back to the summary text when only a category, or nothing, is filled', () => {
    // Action
    const s = ticketSignature({ summary: 'Password reset for jane@example.com', category: 'Access' });

    // Assert
    expect(s).toEqual({ signature: 't:password reset', title: 'Password reset', basis: 'TEXT' });
    expect(ticketSignature({ summary: '? ', category: '?', subcategory: '?' }).basis).toBe('TEXT');
  });

  it('reads the description when the summary has no words, and names the empty group', () => {
    expect(ticketSignature({ summary: 're', description: 'please reset my password' }).signature).toBe('t:reset password');
    expect(ticketSignature({ summary: 'INC0012345' })).toEqual({ signature: 't:', title: 'No usable summary', basis: 'TEXT' });
  });

  it('is deterministic and bounded, and keeps long keys apart', () => {
    // Setup
    const long = 'Configuration item '.repeat(30);
    const a = { summary: '', category: long + 'A', subcategory: long + '😀 one' };
    const b = { summary: '', category: long + 'A', subcategory: long + '😀 two' };

    // Action
    const sa = ticketSignature(a);
    const sb = ticketSignature(b);

    // Assert
    expect(ticketSignature(a)).toEqual(sa);
    expect(Array.from(sa.signature).length).toBeLessThanOrEqual(SIGNATURE_MAX_LENGTH);
    expect(sa.signature).not.toBe(sb.signature);
    expect(sa.signature).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/);
    expect(sa.title.length).toBeLessThanOrEqual(120);
  });
});
