import { describe, expect, it } from 'vitest';
import { pathTo, sortNodes, visibleRows, type ChildrenState, type ScopeNode } from './hierarchy-tree';

const nodes = new Map<string, ScopeNode>(
  [
    { id: 'org', name: 'Northwind', kind: 'ORGANISATION', parentId: null },
    { id: 'it', name: 'IT Service', kind: 'ORG_UNIT', parentId: 'org' },
    { id: 'desk', name: 'Service Desk', kind: 'ORG_UNIT', parentId: 'it' },
    { id: 'prog', name: 'Service Excellence', kind: 'PROGRAM', parentId: 'it' },
    { id: 'pkg', name: 'Automation', kind: 'MEASURE_PACKAGE', parentId: 'prog' },
    { id: 'fin', name: 'Finance', kind: 'ORG_UNIT', parentId: 'org' },
  ].map((n) => [n.id, n as ScopeNode]),
);
const children = new Map<string, ChildrenState>([
  ['org', { status: 'loaded', ids: ['fin', 'it'] }],
  ['it', { status: 'loaded', ids: ['desk', 'prog'] }],
  ['prog', { status: 'loaded', ids: ['pkg'] }],
  ['fin', { status: 'loaded', ids: [] }],
]);

describe('the hierarchy tree', () => {
  it('finds the path from the organisation down to any node of any depth', () => {
    expect(pathTo(nodes, 'pkg').map((n) => n.id)).toEqual(['org', 'it', 'prog', 'pkg']);
    expect(pathTo(nodes, 'org').map((n) => n.id)).toEqual(['org']);
    expect(pathTo(nodes, 'unknown')).toEqual([]);
  });

  it('shows only expanded branches, depth first, with leaves and empty nodes not expandable', () => {
    const rows = visibleRows(nodes, children, new Set(['org', 'it']), 'org');
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.node.name}${r.expandable ? (r.expanded ? ' -' : ' +') : ''}`)).toEqual([
      'Northwind -',
      '  Finance',
      '  IT Service -',
      '    Service Desk +',
      '    Service Excellence +',
    ]);
  });

  it('orders org units before programs, each by name', () => {
    expect(sortNodes([nodes.get('prog')!, nodes.get('it')!, nodes.get('fin')!]).map((n) => n.id)).toEqual(['fin', 'it', 'prog']);
  });
});
