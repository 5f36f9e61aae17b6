import { describe, expect, it } from 'vitest';
import { auditCsvHref, auditFilterProblem, auditVariables, EMPTY_AUDIT_FILTER, parseAuditFilter, toAuditQuery } from './audit-filter-state';

describe('the audit log’s filters in the URL', () => {
  it('round-trips through the query and drops malformed dates', () => {
    const state = parseAuditFilter({ entity: 'm1', action: 'gate.decided', actor: 'u1', from: '2026-01-01', to: 'soon' });
    expect(state).toEqual({ entity: 'm1', action: 'gate.decided', actor: 'u1', from: '2026-01-01', to: '' });
    expect(toAuditQuery(state)).toEqual({ entity: 'm1', action: 'gate.decided', actor: 'u1', from: '2026-01-01' });
  });

  it('asks for whole UTC days and one page after a cursor', () => {
    expect(auditVariables({ entity: '', action: '', actor: '', from: '2026-01-01', to: '2026-01-31' }, 25, 'c1')).toEqual({
      entityId: null,
      action: null,
      actorId: null,
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-31T23:59:59.999Z',
      first: 25,
      after: 'c1',
    });
    expect(auditFilterProblem({ entity: '', action: '', actor: '', from: '2026-02-01', to: '2026-01-01' })).toMatch(/on or before/);
  });

  it('exports the same filters as CSV', () => {
    expect(auditCsvHref(EMPTY_AUDIT_FILTER)).toBe('/audit.csv');
    expect(auditCsvHref({ ...EMPTY_AUDIT_FILTER, entity: 'M-0015', from: '2026-01-01' })).toBe('/audit.csv?entity=M-0015&from=2026-01-01');
  });
});
