import { describe, expect, it } from 'vitest';
import { Priority, TicketSource, type TicketRecord } from '@gatehouse/shared';
import { collapseRevisions } from './collapse-revisions.js';

const ticket = (externalId: string, revision: number, state: string, updatedAt?: string): TicketRecord => ({
  source: TicketSource.SERVICENOW,
  externalId,
  summary: 'Printer jams',
  priority: Priority.MODERATE,
  state,
  revision,
  ...(updatedAt ? { updatedAt: new Date(updatedAt) } : {}),
});

describe('collapsing revisions', () => {
  it('keeps the highest revision per ticket, in order of first appearance', () => {
    // Action
    const out = collapseRevisions([ticket('A', 0, 'New'), ticket('B', 1, 'Active'), ticket('A', 2, 'Resolved'), ticket('A', 1, 'Active')]);

    // Assert
    expect(out.map((t) => [t.externalId, t.state])).toEqual([
      ['A', 'Resolved'],
      ['B', 'Active'],
    ]);
  });

  it('breaks a tie of revisions by the later update, whatever the row order', () => {
    // Setup
    const active = ticket('A', 7, 'Active', '2016-02-29T09:27:00Z');
    const closed = ticket('A', 7, 'Closed', '2016-03-05T17:00:00Z');

    // Action / Assert
    expect(collapseRevisions([active, closed])[0].state).toBe('Closed');
    expect(collapseRevisions([closed, active])[0].state).toBe('Closed');
  });

  it('gives a full tie to the later row', () => {
    expect(collapseRevisions([ticket('A', 3, 'first'), ticket('A', 3, 'second')])[0].state).toBe('second');
  });

  it('keeps the same external id of different sources apart', () => {
    // Setup
    const jira = { ...ticket('X-1', 0, 'Open'), source: TicketSource.JIRA };

    // Action / Assert
    expect(collapseRevisions([ticket('X-1', 5, 'Closed'), jira])).toHaveLength(2);
  });
});
