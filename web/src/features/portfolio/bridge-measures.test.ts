import { describe, expect, it } from 'vitest';
import { loadMeasuresByIds } from './bridge-measures';

const node = (id: string) => ({ id, code: id.toUpperCase(), title: `Measure ${id}`, doi: 2, state: 'ACTIVE', annualPotential: '1.00' });

describe('the measures behind a bridge movement', () => {
  it('pages through the scope until every id is found, in the order asked, and names the missing', async () => {
    // Setup: two pages of a scope's measures.
    const pages: Record<string, { ids: string[]; next: string | null }> = { start: { ids: ['a', 'b'], next: 'c1' }, c1: { ids: ['c', 'd'], next: null } };
    const calls: unknown[] = [];
    const client = {
      query: async ({ variables }: { variables: { scopeId: string; after: string | null } }) => {
        calls.push(variables);
        const page = pages[variables.after ?? 'start'];
        return { data: { measures: { edges: page.ids.map((id) => ({ node: node(id) })), pageInfo: { hasNextPage: page.next !== null, endCursor: page.next } } } };
      },
    };

    // Action
    const result = await loadMeasuresByIds(client as never, 'scope-1', ['d', 'a', 'gone']);

    // Assert
    expect(result.found.map((m) => m.id)).toEqual(['d', 'a']);
    expect(result.missing).toEqual(['gone']);
    expect(calls).toEqual([
      { scopeId: 'scope-1', first: 200, after: null },
      { scopeId: 'scope-1', first: 200, after: 'c1' },
    ]);
  });

  it('stops reading as soon as every id is found', async () => {
    let calls = 0;
    const client = {
      query: async () => {
        calls++;
        return { data: { measures: { edges: [{ node: node('a') }], pageInfo: { hasNextPage: true, endCursor: 'x' } } } };
      },
    };
    await loadMeasuresByIds(client as never, null, ['a']);
    expect(calls).toBe(1);
  });
});
