import { describe, expect, it } from 'vitest';
import { actionLabel, auditDiff, displayValue, sortDiff } from './audit-diff';

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
    expect(actionLabel('gate.decided')).toBe('Gate decided');
    expect(actionLabel('something.new')).toBe('something.new');
  });
});
