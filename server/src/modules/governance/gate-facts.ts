import { MeasureState, type MeasureGateFacts, type Role } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';

interface FactsRow {
  doi: number;
  state: MeasureState;
  owner_id: string;
  sponsor_id: string | null;
  controller_id: string | null;
  has_rough_potential: boolean;
  plan_months: number;
  business_case_length: number;
  milestones_total: number;
  milestones_open: number;
  potential_validated: boolean;
  implementation_evidence: number;
  actual_months: number;
  open_conditions: number;
  actual_editor_ids: string[];
  sponsor_roles: Role[];
  controller_roles: Role[];
}

/** Everything the gate rules need to know about a measure, in one statement. */
export async function loadGateFacts(manager: EntityManager, measureId: string): Promise<MeasureGateFacts> {
  const facts = (await loadGateFactsOf(manager, [measureId])).get(measureId);
  if (!facts) throw new Error(`no measure ${measureId}`);
  return facts;
}

/** The gate facts of many measures in one statement: what a page's `viewerCan` and `nextGate` read per request. */
export async function loadGateFactsOf(manager: EntityManager, measureIds: readonly string[]): Promise<Map<string, MeasureGateFacts>> {
  const rows: (FactsRow & { id: string })[] = await manager.query(
    `SELECT m.id, m.doi, m.state, m.owner_id, m.sponsor_id, m.controller_id,
            (m.rough_potential IS NOT NULL AND m.rough_potential > 0) OR m.lever = 'NON_FINANCIAL' AS has_rough_potential,
            (SELECT count(*) FROM measure_value v WHERE v.measure_id = m.id AND v.kind = 'PLAN') AS plan_months,
            length(m.business_case) AS business_case_length,
            (SELECT count(*) FROM milestone s WHERE s.measure_id = m.id) AS milestones_total,
            (SELECT count(*) FROM milestone s WHERE s.measure_id = m.id AND s.done_on IS NULL) AS milestones_open,
            m.potential_validated_at IS NOT NULL AS potential_validated,
            (SELECT count(*) FROM evidence e WHERE e.measure_id = m.id AND e.kind = 'IMPLEMENTATION') AS implementation_evidence,
            (SELECT count(*) FROM measure_value v WHERE v.measure_id = m.id AND v.kind = 'ACTUAL') AS actual_months,
            (SELECT count(*) FROM gate_condition c WHERE c.measure_id = m.id AND c.met_at IS NULL) AS open_conditions,
            ARRAY(SELECT e.user_id FROM measure_actual_editor e WHERE e.measure_id = m.id) AS actual_editor_ids,
            ARRAY(${rolesOnMeasure('m.sponsor_id')}) AS sponsor_roles,
            ARRAY(${rolesOnMeasure('m.controller_id')}) AS controller_roles
       FROM measure m WHERE m.id = ANY(CAST($1 AS uuid[]))`,
    [[...measureIds]],
  );
  return new Map(rows.map((r) => [r.id, toFacts(r)]));
}

/** The roles an active user holds on the measure's scope (granted there or above), for segregation of duties. */
const rolesOnMeasure = (userColumn: string) =>
  `SELECT DISTINCT g.role FROM role_grant g JOIN app_user u ON u.id = g.user_id AND u.active
    WHERE g.user_id = ${userColumn} AND g.scope_id = ANY(m.path)`;

function toFacts(r: FactsRow): MeasureGateFacts {
  return {
    doi: r.doi,
    state: r.state,
    ownerId: r.owner_id,
    sponsorId: r.sponsor_id,
    controllerId: r.controller_id,
    hasRoughPotential: r.has_rough_potential,
    planMonths: r.plan_months,
    businessCaseLength: r.business_case_length,
    milestonesTotal: r.milestones_total,
    milestonesOpen: r.milestones_open,
    potentialValidated: r.potential_validated,
    implementationEvidence: r.implementation_evidence,
    actualMonths: r.actual_months,
    openConditions: r.open_conditions,
    actualEditorIds: r.actual_editor_ids,
    sponsorRoles: new Set(r.sponsor_roles),
    controllerRoles: new Set(r.controller_roles),
  };
}
