import { describe, expect, it } from 'vitest';
import { auditChangesText, auditDiff, displayValue, sortDiff } from './audit-diff';
import { auditActionLabel, auditFieldLabel } from './audit-labels';

describe('an audit entry’s before and after', () => {
  it('compares field by field: changed, added, removed and unchanged', () => {
    const rows = auditDiff({ status: 'PENDING', doi: 2, note: 'x', state: 'ACTIVE' }, { status: 'APPROVED', doi: 3, state: 'ACTIVE', override: false });
    expect(rows).toEqual([
      { key: 'status', before: 'PENDING', after: 'APPROVED', change: 'changed' },
      { key: 'doi', before: '2', after: '3', change: 'changed' },
      { key: 'note', before: 'x', after: null, change: 'removed' },
      { key: 'state', before: 'ACTIVE', after: 'ACTIVE', change: 'same' },
      { key: 'override', before: null, after: 'false', change: 'added' },
    ]);
  });

  it('flattens one level of nesting and shows deeper values as JSON', () => {
    const rows = auditDiff(null, { values: { '2026-01': '10.00' }, conditions: [{ text: 'Pilot' }] });
    expect(rows).toEqual([
      { key: 'values.2026-01', before: null, after: '10.00', change: 'added' },
      { key: 'conditions', before: null, after: '[{"text":"Pilot"}]', change: 'added' },
    ]);
  });

  it('puts changed fields first and reads actions as words', () => {
    const rows = sortDiff(auditDiff({ a: 1, b: 1 }, { a: 1, b: 2 }));
    expect(rows.map((r) => r.key)).toEqual(['b', 'a']);
    expect(displayValue(null)).toBe('—');
    expect(auditActionLabel('gate.decided')).toBe('Gate decided');
    expect(auditActionLabel('orgUnit.moved')).toBe('Org unit moved');
  });

  it('names fields as the forms do, including monthly values and nested keys', () => {
    expect(auditFieldLabel('sponsorId')).toBe('Sponsor');
    expect(auditFieldLabel('PLAN:2026-01')).toBe('Plan 2026-01');
    expect(auditFieldLabel('ONE_OFF_COST:2025-11')).toBe('One-off cost 2025-11');
    expect(auditFieldLabel('values.2026-01')).toBe('Values · 2026-01');
    expect(auditFieldLabel('somethingNew')).toBe('Something new');
  });

  it('writes the changes of an entry as one line, ids as names', () => {
    const text = auditChangesText({ sponsorId: 'u1', title: 'A' }, { sponsorId: 'u2', title: 'A', note: 'n' }, auditFieldLabel, (v) => ({ u1: 'Jonas', u2: 'Sam' })[v] ?? v);
    expect(text).toBe('Sponsor: Jonas → Sam; Note: — → n');
  });
});
