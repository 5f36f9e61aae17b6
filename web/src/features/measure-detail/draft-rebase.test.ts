import { describe, expect, it } from 'vitest';
import { dirtyKeys, rebaseDraft } from './draft-rebase';
import { sameAmount } from './values-grid';

describe('rebasing a draft onto newer server state', () => {
  const base = { title: 'Old title', description: 'Old text', lever: 'COST_REDUCTION' };

  it('keeps every typed field and takes the newer value for the rest', () => {
    // Setup: the person changed the title; someone else changed the description.
    const mine = { ...base, title: 'My title' };
    const latest = { ...base, description: 'Their text' };
    // Action
    const result = rebaseDraft(base, mine, latest);
    // Assert
    expect(result.values).toEqual({ title: 'My title', description: 'Their text', lever: 'COST_REDUCTION' });
    expect(result.base).toEqual(latest);
    expect(result.collisions).toEqual({});
    expect(result.updated).toEqual(['description']);
  });

  it('reports a collision where both changed the same field, keeping the typed value', () => {
    const result = rebaseDraft(base, { ...base, title: 'My title' }, { ...base, title: 'Their title' });
    expect(result.values.title).toBe('My title');
    expect(result.collisions).toEqual({ title: 'Their title' });
    expect(dirtyKeys(result.base, result.values)).toEqual(['title']);
  });

  it('sees no collision where both made the same change', () => {
    const result = rebaseDraft(base, { ...base, title: 'Same' }, { ...base, title: 'Same' });
    expect(result.collisions).toEqual({});
    expect(dirtyKeys(result.base, result.values)).toEqual([]);
  });

  it('handles cells that exist on one side only, comparing amounts', () => {
    const cellsBase = { 'PLAN:2026-01': '100.00' };
    const mine = { 'PLAN:2026-01': '100', 'PLAN:2026-02': '50' };
    const latest = { 'PLAN:2026-01': '120.00', 'ACTUAL:2026-01': '90.00' };
    const result = rebaseDraft(cellsBase, mine, latest, sameAmount);
    expect(result.values).toEqual({ 'ACTUAL:2026-01': '90.00', 'PLAN:2026-01': '120.00', 'PLAN:2026-02': '50' });
    expect(result.collisions).toEqual({});
    expect(result.updated).toEqual(['ACTUAL:2026-01', 'PLAN:2026-01']);
  });
});
