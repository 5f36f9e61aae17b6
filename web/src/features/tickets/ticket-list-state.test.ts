import { describe, expect, it } from 'vitest';
import {
  nextPaging,
  parseGroupListState,
  parseTab,
  parseTicketListState,
  previousPaging,
  toGroupVariables,
  toTicketsQuery,
  toTicketVariables,
  withChange,
} from './ticket-list-state';

describe('the tickets page’s state in the URL', () => {
  it('shows recurring groups, unfiltered, on a plain address', () => {
    expect(parseTab({})).toBe('groups');
    expect(parseGroupListState({})).toEqual({ recurringOnly: true, linked: null, category: '', search: '', after: null, page: 1 });
    expect(toGroupVariables(parseGroupListState({}))).toEqual({ filter: { recurringOnly: true }, first: 25, after: null });
    expect(toTicketsQuery('groups', parseGroupListState({}), null)).toEqual({});
  });

  it('reads and writes the group filters, keeping the scope', () => {
    const query = { all: '1', linked: 'no', category: 'Category 45', q: 'vpn', after: 'c2', page: '3', scope: 'unit-1' };
    const state = parseGroupListState(query);
    expect(state).toEqual({ recurringOnly: false, linked: false, category: 'Category 45', search: 'vpn', after: 'c2', page: 3 });
    expect(toGroupVariables(state)).toEqual({ filter: { linked: false, category: 'Category 45', search: 'vpn' }, first: 25, after: 'c2' });
    expect(toTicketsQuery('groups', state, 'unit-1')).toEqual(query);
  });

  it('reads and writes the ticket filters of the tickets tab', () => {
    const query = { tab: 'tickets', source: 'servicenow', open: 'yes', breached: 'no', q: 'INC00012' };
    const state = parseTicketListState(query);
    expect(state).toMatchObject({ source: 'SERVICENOW', open: true, breached: false, search: 'INC00012', category: '' });
    expect(toTicketVariables(state)).toEqual({ filter: { source: 'SERVICENOW', open: true, breached: false, search: 'INC00012' }, first: 25, after: null });
    expect(toTicketsQuery('tickets', state, null)).toEqual(query);
    expect(toTicketVariables(state, 'g1').filter?.groupId).toBe('g1');
  });

  it('falls back to defaults for anything unknown or malformed', () => {
    expect(parseTab({ tab: 'secret' })).toBe('groups');
    expect(parseTicketListState({ source: 'excel', open: 'maybe', page: '7' })).toMatchObject({ source: null, open: null, page: 1 });
    expect(parseGroupListState({ page: 'x', after: 'c' }).page).toBe(1);
    expect(parseGroupListState({ q: 'x'.repeat(500) }).search).toHaveLength(200);
  });

  it('starts again at the first page when a filter changes', () => {
    const state = parseGroupListState({ after: 'c2', page: '3' });
    expect(withChange(state, { linked: true })).toMatchObject({ linked: true, after: null, page: 1 });
  });

  it('pages forward and back through remembered cursors, and to the first page without them', () => {
    const first = { after: null, page: 1 };
    const a = nextPaging(first, { previous: [] }, 'c1');
    const b = nextPaging(a.paging, a.history, 'c2');
    expect(b).toEqual({ paging: { after: 'c2', page: 3 }, history: { previous: [null, 'c1'] } });
    const back = previousPaging(b.paging, b.history);
    expect(back).toEqual({ paging: { after: 'c1', page: 2 }, history: { previous: [null] } });
    expect(previousPaging(back.paging, back.history).paging).toEqual({ after: null, page: 1 });
    // After a reload deep in the list nothing is remembered: back to the start.
    expect(previousPaging({ after: 'c9', page: 9 }, { previous: [] }).paging).toEqual({ after: null, page: 1 });
  });
});
