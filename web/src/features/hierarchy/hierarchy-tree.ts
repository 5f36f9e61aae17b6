/** The organisation's structure as the scope picker and the explorer show it: pure helpers over a node map. */
export type ScopeKindName = 'ORGANISATION' | 'ORG_UNIT' | 'PROGRAM' | 'MEASURE_PACKAGE';

export interface ScopeNode {
  id: string;
  name: string;
  kind: ScopeKindName;
  parentId: string | null;
}

/** Children of a node: ids once loaded, or the loading state. */
export type ChildrenState = { status: 'loading' } | { status: 'error' } | { status: 'loaded'; ids: string[] };

export interface TreeRow {
  node: ScopeNode;
  depth: number;
  /** Packages are leaves; anything else may have children until loaded empty. */
  expandable: boolean;
  expanded: boolean;
  children: ChildrenState | undefined;
}

/** From the root down to `id`, both included; empty when the chain is broken (an unknown id). */
export function pathTo(nodes: ReadonlyMap<string, ScopeNode>, id: string): ScopeNode[] {
  const path: ScopeNode[] = [];
  const seen = new Set<string>();
  for (let node = nodes.get(id); node; node = node.parentId ? nodes.get(node.parentId) : undefined) {
    if (seen.has(node.id)) return [];
    seen.add(node.id);
    path.unshift(node);
    if (!node.parentId) return path;
  }
  return [];
}

/** The rows a tree shows: depth-first from the root, descending only into expanded, loaded nodes. */
export function visibleRows(
  nodes: ReadonlyMap<string, ScopeNode>,
  children: ReadonlyMap<string, ChildrenState>,
  expanded: ReadonlySet<string>,
  rootId: string,
): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (id: string, depth: number) => {
    const node = nodes.get(id);
    if (!node) return;
    const state = children.get(id);
    const isExpanded = expanded.has(id);
    const expandable = node.kind !== 'MEASURE_PACKAGE' && !(state?.status === 'loaded' && state.ids.length === 0);
    rows.push({ node, depth, expandable, expanded: isExpanded && expandable, children: state });
    if (isExpanded && state?.status === 'loaded') for (const child of state.ids) visit(child, depth + 1);
  };
  visit(rootId, 0);
  return rows;
}

/** Org units first, then programs, each by name, as people expect to scan them. */
export function sortNodes(list: ScopeNode[]): ScopeNode[] {
  const rank: Record<ScopeKindName, number> = { ORGANISATION: 0, ORG_UNIT: 1, PROGRAM: 2, MEASURE_PACKAGE: 3 };
  return [...list].sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name));
}
