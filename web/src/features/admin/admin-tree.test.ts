import { describe, expect, it } from 'vitest';
import { adminTree, unitAndDescendants, unitLabel, type AdminStructureData } from './admin-tree';

const s = {
  organisationAdmin: false,
  orgUnits: [
    { id: 'it', name: 'IT', parentId: 'org' },
    { id: 'desk', name: 'Desk', parentId: 'it' },
    { id: 'l2', name: 'Level 2', parentId: 'desk' },
  ],
  programs: [{ id: 'p1', name: 'Excellence', objective: null, orgUnitId: 'desk', owner: null }],
  measurePackages: [
    { id: 'k1', name: 'Quick wins', programId: 'p1', owner: null },
    { id: 'k9', name: 'Elsewhere', programId: 'p9', owner: null },
  ],
} as unknown as AdminStructureData;

describe('the admin tree', () => {
  it('indents sub-units, then programs and their packages; orphans start their own tree', () => {
    expect(adminTree(s).map((n) => `${'-'.repeat(n.depth)}${n.name}`)).toEqual(['IT', '-Desk', '--Level 2', '--Excellence', '---Quick wins', 'Elsewhere']);
  });
  it('knows where a unit cannot move: itself and every unit below it', () => {
    expect([...unitAndDescendants(s, 'desk')].sort()).toEqual(['desk', 'l2']);
    expect(unitLabel(s, 'l2')).toBe('IT › Desk › Level 2');
  });
});
