import { describe, expect, it } from 'vitest';
import { bridgeRangeProblem, bridgeVariables, defaultBridgeRange, doiQuery, overdueQuery, parseBridgeRange, statusQuery } from './portfolio-links';

describe('links from the portfolio to the measures behind a figure', () => {
  it('keeps the scope and sets exactly one filter, in the measures list’s URL words', () => {
    expect(doiQuery('unit-1', 3)).toEqual({ scope: 'unit-1', doi: '3' });
    expect(overdueQuery(null)).toEqual({ overdue: 'yes' });
    expect(statusQuery('p', 'implementation', 'RED')).toEqual({ scope: 'p', impl: 'red' });
    expect(statusQuery(null, 'potential', 'AMBER')).toEqual({ pot: 'amber' });
  });
});

describe('the bridge’s date range', () => {
  const today = new Date('2026-05-31T10:00:00Z');

  it('defaults to the last 90 days and reads a valid range from the URL', () => {
    expect(defaultBridgeRange(today)).toEqual({ from: '2026-03-02', to: '2026-05-31' });
    expect(parseBridgeRange({ from: '2026-01-01', to: '2026-02-01' }, today)).toEqual({ from: '2026-01-01', to: '2026-02-01' });
    expect(parseBridgeRange({ from: 'yesterday', to: ['2026-02-01'] }, today)).toEqual({ from: '2026-03-02', to: '2026-02-01' });
  });

  it('refuses an end before the start, and asks the API for whole UTC days', () => {
    expect(bridgeRangeProblem({ from: '2026-02-02', to: '2026-02-01' })).toMatch(/on or before/);
    expect(bridgeRangeProblem({ from: '2026-02-01', to: '2026-02-01' })).toBeNull();
    expect(bridgeVariables('s', { from: '2026-02-01', to: '2026-02-28' })).toEqual({
      scopeId: 's',
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-02-28T23:59:59.999Z',
    });
  });
});
