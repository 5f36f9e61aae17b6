/**
 * Gate templates: per organisation, the criteria of each gate (the step into a DoI level). Automatic criteria
 * are checked by the system against the measure's facts; manual checklist items are confirmed by whoever decides.
 * Templates are versioned: editing one creates a new version, and every decision keeps the version it used.
 */
export type GateTarget = 2 | 3 | 4 | 5;

export const GATE_TARGETS: readonly GateTarget[] = [2, 3, 4, 5];

export enum AutomaticCriterion {
  /** DoI 1 itself: an idea with a title, owner and rough potential. */
  ROUGH_POTENTIAL = 'ROUGH_POTENTIAL',
  PLAN_VALUES = 'PLAN_VALUES',
  SPONSOR_ASSIGNED = 'SPONSOR_ASSIGNED',
  CONTROLLER_ASSIGNED = 'CONTROLLER_ASSIGNED',
  BUSINESS_CASE = 'BUSINESS_CASE',
  MILESTONES_PLANNED = 'MILESTONES_PLANNED',
  POTENTIAL_VALIDATED = 'POTENTIAL_VALIDATED',
  DECIDED_IN_GATE_REVIEW = 'DECIDED_IN_GATE_REVIEW',
  MILESTONES_DONE = 'MILESTONES_DONE',
  IMPLEMENTATION_EVIDENCE = 'IMPLEMENTATION_EVIDENCE',
  ACTUALS_RECORDED = 'ACTUALS_RECORDED',
  /** Conditions attached when the previous gate was approved with conditions must all be met. */
  CONDITIONS_MET = 'CONDITIONS_MET',
}

export interface AutomaticCriterionConfig {
  criterion: AutomaticCriterion;
  /** For counting criteria: at least this many (plan months, milestones, actual months, evidence items). */
  threshold?: number;
}

export interface ManualChecklistItem {
  id: string;
  text: string;
}

export interface GateDefinition {
  toDoi: GateTarget;
  automatic: AutomaticCriterionConfig[];
  manual: ManualChecklistItem[];
}

export interface GateTemplateDefinition {
  gates: GateDefinition[];
}

export const CRITERION_LABELS: Record<AutomaticCriterion, string> = {
  ROUGH_POTENTIAL: 'Rough potential estimated',
  PLAN_VALUES: 'Plan values entered',
  SPONSOR_ASSIGNED: 'Sponsor assigned',
  CONTROLLER_ASSIGNED: 'Controller assigned',
  BUSINESS_CASE: 'Business case written',
  MILESTONES_PLANNED: 'Milestones planned',
  POTENTIAL_VALIDATED: 'Potential validated by the controller',
  DECIDED_IN_GATE_REVIEW: 'Decided in a gate review',
  MILESTONES_DONE: 'Every milestone done',
  IMPLEMENTATION_EVIDENCE: 'Implementation evidence attached',
  ACTUALS_RECORDED: 'Actuals recorded for the realisation period',
  CONDITIONS_MET: 'Conditions of the previous gate met',
};

/** The table in docs/domain-rules.md as the default template of a new organisation. */
export const DEFAULT_GATE_TEMPLATE: GateTemplateDefinition = {
  gates: [
    {
      toDoi: 2,
      automatic: [
        { criterion: AutomaticCriterion.ROUGH_POTENTIAL },
        { criterion: AutomaticCriterion.PLAN_VALUES, threshold: 1 },
        { criterion: AutomaticCriterion.CONTROLLER_ASSIGNED },
        { criterion: AutomaticCriterion.SPONSOR_ASSIGNED },
        { criterion: AutomaticCriterion.BUSINESS_CASE, threshold: 20 },
      ],
      manual: [{ id: 'scope-agreed', text: 'Scope and affected services agreed with the service owners' }],
    },
    {
      toDoi: 3,
      automatic: [
        { criterion: AutomaticCriterion.CONDITIONS_MET },
        { criterion: AutomaticCriterion.MILESTONES_PLANNED, threshold: 1 },
        { criterion: AutomaticCriterion.POTENTIAL_VALIDATED },
        { criterion: AutomaticCriterion.DECIDED_IN_GATE_REVIEW },
      ],
      manual: [{ id: 'resources-committed', text: 'Budget and people for implementation committed' }],
    },
    {
      toDoi: 4,
      automatic: [
        { criterion: AutomaticCriterion.CONDITIONS_MET },
        { criterion: AutomaticCriterion.MILESTONES_DONE },
        { criterion: AutomaticCriterion.IMPLEMENTATION_EVIDENCE, threshold: 1 },
      ],
      manual: [{ id: 'handover-done', text: 'Operations has taken over the new way of working' }],
    },
    {
      toDoi: 5,
      automatic: [
        { criterion: AutomaticCriterion.CONDITIONS_MET },
        { criterion: AutomaticCriterion.ACTUALS_RECORDED, threshold: 1 },
      ],
      manual: [],
    },
  ],
};

export function gateDefinition(template: GateTemplateDefinition, toDoi: number): GateDefinition | undefined {
  return template.gates.find((g) => g.toDoi === toDoi);
}

/**
 * Checks an edited template: every gate present once, known criteria, sane thresholds, manual items with unique
 * ids and text. Returns the problems, empty when valid.
 */
export function validateGateTemplate(template: GateTemplateDefinition): string[] {
  const problems: string[] = [];
  const targets = template.gates.map((g) => g.toDoi);
  for (const t of GATE_TARGETS) if (!targets.includes(t)) problems.push(`the gate to DoI ${t} is missing`);
  if (new Set(targets).size !== targets.length) problems.push('a gate appears twice');
  for (const gate of template.gates) {
    if (!GATE_TARGETS.includes(gate.toDoi)) problems.push(`there is no gate to DoI ${gate.toDoi}`);
    const seen = new Set<string>();
    for (const a of gate.automatic) {
      if (!Object.values(AutomaticCriterion).includes(a.criterion)) problems.push(`unknown criterion ${a.criterion}`);
      if (seen.has(a.criterion)) problems.push(`gate to DoI ${gate.toDoi} lists ${a.criterion} twice`);
      seen.add(a.criterion);
      if (a.threshold !== undefined && (!Number.isInteger(a.threshold) || a.threshold < 0 || a.threshold > 10_000)) {
        problems.push(`gate to DoI ${gate.toDoi}: threshold of ${a.criterion} must be a whole number from 0 to 10000`);
      }
    }
    const ids = new Set<string>();
    for (const m of gate.manual) {
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(m.id)) problems.push(`checklist item id "${m.id}" must be lower-case letters, digits and dashes`);
      if (ids.has(m.id)) problems.push(`checklist item id "${m.id}" appears twice`);
      ids.add(m.id);
      if (!m.text.trim() || m.text.length > 500) problems.push(`checklist item "${m.id}" needs a text of at most 500 characters`);
    }
    if (gate.manual.length > 30) problems.push(`gate to DoI ${gate.toDoi} has more than 30 checklist items`);
  }
  return problems;
}

/** One difference between two template versions, for the admin's version history. */
export interface GateTemplateChange {
  toDoi: number;
  kind: 'CRITERION_ADDED' | 'CRITERION_REMOVED' | 'THRESHOLD_CHANGED' | 'ITEM_ADDED' | 'ITEM_REMOVED' | 'ITEM_CHANGED';
  /** What changed, in words: "Plan values entered: at least 1 → at least 3". */
  text: string;
}

/** What changed from one template version to the next, gate by gate, in gate order. */
export function diffGateTemplates(before: GateTemplateDefinition, after: GateTemplateDefinition): GateTemplateChange[] {
  const changes: GateTemplateChange[] = [];
  const threshold = (t: number | undefined) => (t === undefined ? 'no threshold' : `at least ${t}`);
  for (const toDoi of GATE_TARGETS) {
    const a = gateDefinition(before, toDoi) ?? { toDoi, automatic: [], manual: [] };
    const b = gateDefinition(after, toDoi) ?? { toDoi, automatic: [], manual: [] };
    for (const old of a.automatic) {
      const now = b.automatic.find((x) => x.criterion === old.criterion);
      const label = CRITERION_LABELS[old.criterion] ?? old.criterion;
      if (!now) changes.push({ toDoi, kind: 'CRITERION_REMOVED', text: `${label}: removed` });
      else if (now.threshold !== old.threshold) changes.push({ toDoi, kind: 'THRESHOLD_CHANGED', text: `${label}: ${threshold(old.threshold)} → ${threshold(now.threshold)}` });
    }
    for (const now of b.automatic) {
      if (!a.automatic.some((x) => x.criterion === now.criterion)) {
        changes.push({ toDoi, kind: 'CRITERION_ADDED', text: `${CRITERION_LABELS[now.criterion] ?? now.criterion}: added${now.threshold === undefined ? '' : ` (${threshold(now.threshold)})`}` });
      }
    }
    for (const old of a.manual) {
      const now = b.manual.find((x) => x.id === old.id);
      if (!now) changes.push({ toDoi, kind: 'ITEM_REMOVED', text: `Checklist item “${old.text}”: removed` });
      else if (now.text !== old.text) changes.push({ toDoi, kind: 'ITEM_CHANGED', text: `Checklist item “${old.text}” → “${now.text}”` });
    }
    for (const now of b.manual) {
      if (!a.manual.some((x) => x.id === now.id)) changes.push({ toDoi, kind: 'ITEM_ADDED', text: `Checklist item “${now.text}”: added` });
    }
  }
  return changes;
}
