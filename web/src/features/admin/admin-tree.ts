import type { AdminStructureQuery } from '../../graphql/generated';

export type AdminStructureData = AdminStructureQuery['adminStructure'];
export type AdminNodeKind = 'ORG_UNIT' | 'PROGRAM' | 'MEASURE_PACKAGE';

export interface AdminNode {
  kind: AdminNodeKind;
  id: string;
  name: string;
  /** Levels below the topmost node the admin administers. */
  depth: number;
}

/**
 * The admin's part of the structure as an indented list: units (sub-units first), then each unit's programs and
 * their packages. A node whose parent the admin does not administer starts a tree of its own.
 */
export function adminTree(s: AdminStructureData): AdminNode[] {
  const unitIds = new Set(s.orgUnits.map((u) => u.id));
  const programIds = new Set(s.programs.map((p) => p.id));
  const out: AdminNode[] = [];
  const pushPackages = (programId: string, depth: number) => {
    for (const k of s.measurePackages.filter((k) => k.programId === programId)) out.push({ kind: 'MEASURE_PACKAGE', id: k.id, name: k.name, depth });
  };
  const pushProgram = (p: AdminStructureData['programs'][number], depth: number) => {
    out.push({ kind: 'PROGRAM', id: p.id, name: p.name, depth });
    pushPackages(p.id, depth + 1);
  };
  const pushUnit = (u: AdminStructureData['orgUnits'][number], depth: number) => {
    out.push({ kind: 'ORG_UNIT', id: u.id, name: u.name, depth });
    for (const child of s.orgUnits.filter((c) => c.parentId === u.id)) pushUnit(child, depth + 1);
    for (const p of s.programs.filter((p) => p.orgUnitId === u.id)) pushProgram(p, depth + 1);
  };
  for (const u of s.orgUnits.filter((u) => !u.parentId || !unitIds.has(u.parentId))) pushUnit(u, 0);
  for (const p of s.programs.filter((p) => !unitIds.has(p.orgUnitId))) pushProgram(p, 0);
  for (const k of s.measurePackages.filter((k) => !programIds.has(k.programId))) out.push({ kind: 'MEASURE_PACKAGE', id: k.id, name: k.name, depth: 0 });
  return out;
}

/** The unit and every unit below it: where it cannot move (the server refuses these too). */
export function unitAndDescendants(s: AdminStructureData, unitId: string): Set<string> {
  const found = new Set([unitId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of s.orgUnits) {
      if (u.parentId && found.has(u.parentId) && !found.has(u.id)) {
        found.add(u.id);
        grew = true;
      }
    }
  }
  return found;
}

/** A unit's name with the names of the administered units above it: "IT Service › Service Desk". */
export function unitLabel(s: AdminStructureData, unitId: string): string {
  const names: string[] = [];
  let current = s.orgUnits.find((u) => u.id === unitId);
  const seen = new Set<string>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId ? s.orgUnits.find((u) => u.id === current!.parentId) : undefined;
  }
  return names.join(' › ');
}
