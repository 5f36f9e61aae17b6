import type { GateTemplateInput, GateTemplateVersionsQuery } from '../../graphql/generated';

type Version = GateTemplateVersionsQuery['gateTemplateVersions'][number];

export interface GateDraft {
  toDoi: number;
  automatic: { criterion: Version['gates'][number]['automatic'][number]['criterion']; label: string; threshold: number | null }[];
  manual: { id: string; text: string }[];
}

/** An editable copy of a version's gates. */
export function templateDraft(version: Version): GateDraft[] {
  return version.gates.map((g) => ({
    toDoi: g.toDoi,
    automatic: g.automatic.map((a) => ({ criterion: a.criterion, label: a.label, threshold: a.threshold ?? null })),
    manual: g.manual.map((m) => ({ id: m.id, text: m.text })),
  }));
}

/** The input updateGateTemplate takes; empty checklist texts are left out. */
export function templateInput(draft: GateDraft[]): GateTemplateInput {
  return {
    gates: draft.map((g) => ({
      toDoi: g.toDoi,
      automatic: g.automatic.map((a) => ({ criterion: a.criterion, threshold: a.threshold })),
      manual: g.manual.filter((m) => m.text.trim()).map((m) => ({ id: m.id, text: m.text.trim() })),
    })),
  };
}

/** A new checklist item's id from its text: lower-case letters, digits and dashes, unique within the gate. */
export function checklistId(text: string, taken: readonly string[]): string {
  const base = (text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'item').slice(0, 50).replace(/-+$/, '');
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}
