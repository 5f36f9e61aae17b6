import type { ApolloClient } from '@apollo/client';
import { inject, reactive, type InjectionKey } from 'vue';
import { MeasurePackagesDocument, OrgUnitsDocument, ProgramsDocument } from '../../graphql/generated';
import { pathTo, sortNodes, type ChildrenState, type ScopeNode } from './hierarchy-tree';

export interface HierarchyStore {
  nodes: Map<string, ScopeNode>;
  children: Map<string, ChildrenState>;
  /** The organisation is the root; the session knows it. */
  setRoot(organisation: { id: string; name: string }): void;
  loadChildren(id: string): Promise<void>;
  /** The breadcrumb to any scope id, loading what it needs; empty when the id is not a visible scope. */
  resolvePath(id: string): Promise<ScopeNode[]>;
  reset(): void;
}

export const HIERARCHY: InjectionKey<HierarchyStore> = Symbol('hierarchy');

export function useHierarchy(): HierarchyStore {
  const store = inject(HIERARCHY, null);
  if (!store) throw new Error('No hierarchy store provided');
  return store;
}

/**
 * Loads the tree lazily, one level per request: org units by parent, programs by org unit, packages by
 * program. The API has no "scope by id" query, so resolving a deep link (`?scope=<id>`) walks the tree: all
 * visible programs and packages come in one request each, org units level by level until the id is found.
 */
export function createHierarchyStore(client: ApolloClient): HierarchyStore {
  const nodes = reactive(new Map<string, ScopeNode>());
  const children = reactive(new Map<string, ChildrenState>());
  const inFlight = new Map<string, Promise<void>>();
  let rootId: string | null = null;

  const add = (list: ScopeNode[]) => {
    for (const n of list) nodes.set(n.id, n);
    return sortNodes(list).map((n) => n.id);
  };

  const fetchChildren = async (id: string): Promise<ScopeNode[]> => {
    const node = nodes.get(id);
    if (!node) return [];
    if (node.kind === 'ORGANISATION' || node.kind === 'ORG_UNIT') {
      const parentId = node.kind === 'ORGANISATION' ? null : id;
      const units = client.query({ query: OrgUnitsDocument, variables: { parentId } });
      const programs = parentId ? client.query({ query: ProgramsDocument, variables: { orgUnitId: parentId } }) : null;
      const [u, p] = await Promise.all([units, programs]);
      return [
        ...(u.data?.orgUnits ?? []).map((x) => ({ id: x.id, name: x.name, kind: 'ORG_UNIT' as const, parentId: x.parentId ?? id })),
        ...(p?.data?.programs ?? []).map((x) => ({ id: x.id, name: x.name, kind: 'PROGRAM' as const, parentId: x.orgUnitId })),
      ];
    }
    if (node.kind === 'PROGRAM') {
      const k = await client.query({ query: MeasurePackagesDocument, variables: { programId: id } });
      return (k.data?.measurePackages ?? []).map((x) => ({ id: x.id, name: x.name, kind: 'MEASURE_PACKAGE' as const, parentId: x.programId }));
    }
    return [];
  };

  const loadChildren = (id: string): Promise<void> => {
    const state = children.get(id);
    if (state?.status === 'loaded') return Promise.resolve();
    const running = inFlight.get(id);
    if (running) return running;
    children.set(id, { status: 'loading' });
    const job = fetchChildren(id)
      .then((list) => void children.set(id, { status: 'loaded', ids: add(list) }))
      .catch(() => void children.set(id, { status: 'error' }))
      .finally(() => inFlight.delete(id));
    inFlight.set(id, job);
    return job;
  };

  const findOrgUnit = async (unitId: string): Promise<boolean> => {
    if (!rootId) return false;
    const queue = [rootId];
    while (queue.length && !nodes.has(unitId)) {
      const level = queue.splice(0, queue.length);
      await Promise.all(level.map(loadChildren));
      for (const id of level) {
        const state = children.get(id);
        if (state?.status === 'loaded') queue.push(...state.ids.filter((c) => nodes.get(c)?.kind === 'ORG_UNIT'));
      }
    }
    return nodes.has(unitId);
  };

  const resolvePath = async (id: string): Promise<ScopeNode[]> => {
    if (!rootId) return [];
    if (!nodes.has(id)) {
      const [programs, packages] = await Promise.all([
        client.query({ query: ProgramsDocument, variables: {} }),
        client.query({ query: MeasurePackagesDocument, variables: {} }),
      ]).catch(() => [null, null] as const);
      const pkg = packages?.data?.measurePackages.find((k) => k.id === id);
      const programId = pkg ? pkg.programId : id;
      const program = programs?.data?.programs.find((p) => p.id === programId);
      if (pkg) nodes.set(pkg.id, { id: pkg.id, name: pkg.name, kind: 'MEASURE_PACKAGE', parentId: pkg.programId });
      if (program) {
        nodes.set(program.id, { id: program.id, name: program.name, kind: 'PROGRAM', parentId: program.orgUnitId });
        await findOrgUnit(program.orgUnitId);
      } else if (!pkg) {
        await findOrgUnit(id);
      }
    }
    return pathTo(nodes, id);
  };

  return {
    nodes,
    children,
    setRoot(organisation) {
      if (rootId === organisation.id) return;
      this.reset();
      rootId = organisation.id;
      nodes.set(organisation.id, { id: organisation.id, name: organisation.name, kind: 'ORGANISATION', parentId: null });
    },
    loadChildren,
    resolvePath,
    reset() {
      nodes.clear();
      children.clear();
      inFlight.clear();
      rootId = null;
    },
  };
}
