import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, parseListState, toggleSort, toListQuery, toVariables, withChange } from './measure-list-state';

describe('the measures list state in the URL', () => {
  it('reads an empty query as the defaults and writes the defaults as an empty query', () => {
    expect(parseListState({})).toEqual(DEFAULT_STATE);
    expect(toListQuery(DEFAULT_STATE)).toEqual({});
  });

  it('round-trips every filter, the sort, the page size and the cursor', () => {
    const query = {
      scope: 'unit-1',
      q: 'vpn',
      doi: '3',
      state: 'on_hold',
      owner: 'user-1',
      impl: 'red',
      pot: 'amber',
      overdue: 'yes',
      sort: 'plan',
      dir: 'desc',
      size: '50',
      after: 'cursor-1',
      page: '2',
    };
    const state = parseListState(query);
    expect(state).toMatchObject({
      scope: 'unit-1',
      search: 'vpn',
      doi: 3,
      state: 'ON_HOLD',
      owner: 'user-1',
      implementationStatus: 'RED',
      potentialStatus: 'AMBER',
      overdue: true,
      sort: 'PLAN_TOTAL',
      direction: 'DESC',
      pageSize: 50,
      after: 'cursor-1',
      page: 2,
    });
    expect(toListQuery(state)).toEqual(query);
  });

  it('ignores malformed values instead of failing', () => {
    const state = parseListState({ doi: '9', state: 'gone', impl: 'blue', overdue: 'maybe', sort: 'drop table', size: '7', page: '3' });
    expect(state).toEqual(DEFAULT_STATE);
  });

  it('turns the state into the API variables, leaving out what is not filtered', () => {
    const state = parseListState({ q: '  quote  ', overdue: 'no', scope: 'p1' });
    expect(toVariables(state)).toEqual({
      filter: { scopeId: 'p1', search: 'quote', overdue: false },
      sort: { field: 'CODE', direction: 'ASC' },
      first: 25,
      after: null,
    });
  });

  it('starts again at the first page when a filter or the sort changes', () => {
    const onPage3 = parseListState({ after: 'c', page: '3' });
    expect(withChange(onPage3, { doi: 2 })).toMatchObject({ doi: 2, after: null, page: 1 });
    expect(toggleSort(onPage3, 'TITLE')).toMatchObject({ sort: 'TITLE', direction: 'ASC', after: null, page: 1 });
  });

  it('flips the direction when the sorted column is clicked again', () => {
    const byTitle = toggleSort(DEFAULT_STATE, 'TITLE');
    expect(toggleSort(byTitle, 'TITLE').direction).toBe('DESC');
    expect(toggleSort(toggleSort(byTitle, 'TITLE'), 'TITLE').direction).toBe('ASC');
  });
});
