import { grantsAllow, relationsOf, type Action, type MeasureRelation } from '../access-policy.js';
import { ErrorCode } from '../errors.js';
import { MeasureState } from '../measure-enums.js';
import { Role } from '../roles.js';
import {
  AutomaticCriterion,
  CRITERION_LABELS,
  gateDefinition,
  type GateTarget,
  type GateTemplateDefinition,
} from './gate-template.js';

/**
 * The rules of Degree of Implementation: which gate comes next, which criteria pass, who may decide, what each
 * decision does, and who may validate potential, sign off, reopen or move a measure back. Pure functions over
 * facts, so the server enforces them and the web app shows the same checks.
 */
export enum GateDecision {
  APPROVE = 'APPROVE',
  APPROVE_WITH_CONDITIONS = 'APPROVE_WITH_CONDITIONS',
  REJECT = 'REJECT',
  REWORK = 'REWORK',
  HOLD = 'HOLD',
  STOP = 'STOP',
}

export enum GateRequestStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  APPROVED_WITH_CONDITIONS = 'APPROVED_WITH_CONDITIONS',
  REJECTED = 'REJECTED',
  REWORK = 'REWORK',
  ON_HOLD = 'ON_HOLD',
  STOPPED = 'STOPPED',
  /** The owner withdrew it, or the measure moved (back, closed, reopened) before a decision. */
  WITHDRAWN = 'WITHDRAWN',
}

/** What the rules need to know about a measure, gathered by the server in one place. */
export interface MeasureGateFacts {
  doi: number;
  state: MeasureState;
  ownerId: string;
  sponsorId: string | null;
  controllerId: string | null;
  hasRoughPotential: boolean;
  planMonths: number;
  businessCaseLength: number;
  milestonesTotal: number;
  milestonesOpen: number;
  potentialValidated: boolean;
  implementationEvidence: number;
  actualMonths: number;
  openConditions: number;
  /** Everyone who ever entered or changed an actual value: none of them may also confirm it. */
  actualEditorIds: readonly string[];
  /** The roles the sponsor and the controller hold on the measure's scope now (empty when unassigned). */
  sponsorRoles: ReadonlySet<Role>;
  controllerRoles: ReadonlySet<Role>;
}

/** The acting user as the rules see them: their id and the roles they hold on the measure's scope. */
export interface GateActor {
  userId: string;
  roles: ReadonlySet<Role>;
}

export interface GateContext {
  /** True when the decision is being taken inside a gate review. */
  inGateReview: boolean;
  /** Manual checklist items the decider confirmed. */
  checkedItems?: readonly string[];
}

export interface CriterionResult {
  id: string;
  kind: 'AUTOMATIC' | 'MANUAL';
  label: string;
  passed: boolean;
  detail: string;
}

export interface GateEvaluation {
  toDoi: GateTarget;
  criteria: CriterionResult[];
  /** Automatic and manual criteria that failed. */
  unmet: CriterionResult[];
}

export type Verdict = { allowed: true } | { allowed: false; code: ErrorCode; reason: string };

const allow: Verdict = { allowed: true };
const deny = (code: ErrorCode, reason: string): Verdict => ({ allowed: false, code, reason });

/** The gate a measure climbs next, or null at DoI 5. DoI never skips a level. */
export function nextGate(doi: number): GateTarget | null {
  return doi >= 1 && doi <= 4 ? ((doi + 1) as GateTarget) : null;
}

function automaticResult(criterion: AutomaticCriterion, threshold: number | undefined, f: MeasureGateFacts, ctx: GateContext): CriterionResult {
  const at = (n: number, min: number, what: string) => ({ passed: n >= min, detail: `${n} ${what} (needs ${min})` });
  const is = (ok: boolean, yes: string, no: string) => ({ passed: ok, detail: ok ? yes : no });
  const min = threshold ?? 1;
  const r = (() => {
    switch (criterion) {
      case AutomaticCriterion.ROUGH_POTENTIAL:
        return is(f.hasRoughPotential, 'Rough potential entered', 'No rough potential yet');
      case AutomaticCriterion.PLAN_VALUES:
        return at(f.planMonths, min, 'months with plan values');
      case AutomaticCriterion.SPONSOR_ASSIGNED: {
        // Assigned is not enough: the assignment must still keep the duties apart (roles change after it).
        const problem = f.sponsorId === null ? 'No sponsor assigned' : sponsorProblem(peopleOf(f));
        return is(problem === null, 'Sponsor assigned', problem ?? '');
      }
      case AutomaticCriterion.CONTROLLER_ASSIGNED: {
        const problem = f.controllerId === null ? 'No controller assigned' : controllerProblem(peopleOf(f));
        return is(problem === null, 'Controller assigned', problem ?? '');
      }
      case AutomaticCriterion.BUSINESS_CASE:
        return at(f.businessCaseLength, min, 'characters of business case');
      case AutomaticCriterion.MILESTONES_PLANNED:
        return at(f.milestonesTotal, min, 'milestones planned');
      case AutomaticCriterion.POTENTIAL_VALIDATED:
        return is(f.potentialValidated, 'Potential validated by a controller', 'Potential not validated by a controller');
      case AutomaticCriterion.DECIDED_IN_GATE_REVIEW:
        return is(ctx.inGateReview, 'Decided in a gate review', 'Must be decided in a gate review');
      case AutomaticCriterion.MILESTONES_DONE:
        return is(
          f.milestonesTotal > 0 && f.milestonesOpen === 0,
          'Every milestone done',
          f.milestonesTotal === 0 ? 'No milestones' : `${f.milestonesOpen} of ${f.milestonesTotal} milestones open`,
        );
      case AutomaticCriterion.IMPLEMENTATION_EVIDENCE:
        return at(f.implementationEvidence, min, 'implementation evidence items');
      case AutomaticCriterion.ACTUALS_RECORDED:
        return at(f.actualMonths, min, 'months with actual values');
      case AutomaticCriterion.CONDITIONS_MET:
        return is(f.openConditions === 0, 'No open conditions', `${f.openConditions} conditions of the previous gate still open`);
    }
  })();
  return { id: criterion, kind: 'AUTOMATIC', label: CRITERION_LABELS[criterion], ...r };
}

/** Checks a gate's criteria against the measure as it is now. */
export function evaluateGate(
  facts: MeasureGateFacts,
  template: GateTemplateDefinition,
  toDoi: GateTarget,
  ctx: GateContext = { inGateReview: false },
): GateEvaluation {
  const gate = gateDefinition(template, toDoi);
  const checked = new Set(ctx.checkedItems ?? []);
  const criteria: CriterionResult[] = [
    ...(gate?.automatic ?? []).map((a) => automaticResult(a.criterion, a.threshold, facts, ctx)),
    ...(gate?.manual ?? []).map((m) => ({
      id: `manual:${m.id}`,
      kind: 'MANUAL' as const,
      label: m.text,
      passed: checked.has(m.id),
      detail: checked.has(m.id) ? 'Confirmed by the decider' : 'To be confirmed by the decider',
    })),
  ];
  return { toDoi, criteria, unmet: criteria.filter((c) => !c.passed) };
}

/** Who decides the step into each level (docs/domain-rules.md): approve, reject, rework, hold and stop alike. */
export function deciders(toDoi: GateTarget): { roles: Role[]; sponsor: boolean } {
  if (toDoi === 2) return { roles: [Role.STEERING_COMMITTEE], sponsor: true };
  if (toDoi === 5) return { roles: [Role.CONTROLLER], sponsor: false };
  return { roles: [Role.STEERING_COMMITTEE], sponsor: false };
}

const DECISIONS_THAT_RAISE = new Set([GateDecision.APPROVE, GateDecision.APPROVE_WITH_CONDITIONS]);

/** How the actor relates to the measure (owner, sponsor, editor of actuals), for the access policy. */
export function measureRelations(actor: GateActor, f: MeasureGateFacts, conditionOwnerId?: string | null, reviewChairId?: string | null): Set<MeasureRelation> {
  return relationsOf(actor.userId, { measureOwnerId: f.ownerId, measureSponsorId: f.sponsorId, actualEditorIds: f.actualEditorIds, conditionOwnerId, reviewChairId });
}

/** The access policy's answer for a gate action: who may, before the measure's state is looked at. */
export function policyAllows(action: Action, actor: GateActor, f: MeasureGateFacts, conditionOwnerId?: string | null): boolean {
  return grantsAllow(action, actor.roles, measureRelations(actor, f, conditionOwnerId));
}

/** The policy action that decides a gate: hold and stop are the steering committee's at any gate. */
export function decideAction(toDoi: GateTarget, decision: GateDecision): Action {
  if (decision === GateDecision.HOLD || decision === GateDecision.STOP) return 'gate.holdOrStop';
  return `gate.decide.toDoi${toDoi}`;
}

export function mayRequestGate(actor: GateActor, f: MeasureGateFacts): Verdict {
  if (!policyAllows('gate.request', actor, f)) return deny(ErrorCode.FORBIDDEN, 'Only the measure’s owner (or an admin) asks for a gate');
  if (f.state !== MeasureState.ACTIVE) return deny(ErrorCode.CONFLICT, `The measure is ${f.state.toLowerCase().replace('_', ' ')}`);
  if (nextGate(f.doi) === null) return deny(ErrorCode.CONFLICT, 'The measure is at DoI 5: there is no further gate');
  return allow;
}

export function mayDecideGate(actor: GateActor, f: MeasureGateFacts, toDoi: GateTarget, decision: GateDecision): Verdict {
  if (actor.userId === f.ownerId) return deny(ErrorCode.FORBIDDEN, 'Nobody decides a gate of a measure they own');
  const who = deciders(toDoi);
  // Holding or stopping a measure is a portfolio decision: always the steering committee's.
  const roles = decision === GateDecision.HOLD || decision === GateDecision.STOP ? [Role.STEERING_COMMITTEE] : who.roles;
  if (!policyAllows(decideAction(toDoi, decision), actor, f)) {
    const names = roles.map((r) => r.toLowerCase().replace('_', ' ')).join(' or ');
    return deny(ErrorCode.FORBIDDEN, `The gate to DoI ${toDoi} is decided by a ${names}${who.sponsor ? ' or the sponsor' : ''} in scope`);
  }
  if (toDoi === 5 && DECISIONS_THAT_RAISE.has(decision)) {
    return deny(ErrorCode.BAD_USER_INPUT, 'Closure is approved by a controller’s sign-off (signOffClosure), which confirms the realised value');
  }
  if (f.state !== MeasureState.ACTIVE) return deny(ErrorCode.CONFLICT, `The measure is ${f.state.toLowerCase().replace('_', ' ')}`);
  if (f.doi + 1 !== toDoi) return deny(ErrorCode.CONFLICT, `The measure is at DoI ${f.doi}; this request was for DoI ${toDoi}`);
  return allow;
}

/**
 * Only the chair of a gate review, holding the steering committee role, approves over failed criteria, and only
 * inside that review (`review` is the review the decision is taken in, null outside one).
 */
export function mayOverride(actor: GateActor, f: MeasureGateFacts, review: { chairId: string | null } | null): Verdict {
  if (review === null) return deny(ErrorCode.FORBIDDEN, 'Failed criteria are overridden only inside a gate review, by its chair');
  return grantsAllow('gate.override', actor.roles, measureRelations(actor, f, null, review.chairId))
    ? allow
    : deny(ErrorCode.FORBIDDEN, 'Only the chair of the gate review may override failed gate criteria');
}

export interface DecisionOutcome {
  doi: number;
  state: MeasureState;
  status: GateRequestStatus;
}

/** What a decision does to the measure and the request. */
export function decisionOutcome(decision: GateDecision, doi: number): DecisionOutcome {
  switch (decision) {
    case GateDecision.APPROVE:
      return { doi: doi + 1, state: MeasureState.ACTIVE, status: GateRequestStatus.APPROVED };
    case GateDecision.APPROVE_WITH_CONDITIONS:
      return { doi: doi + 1, state: MeasureState.ACTIVE, status: GateRequestStatus.APPROVED_WITH_CONDITIONS };
    case GateDecision.REJECT:
      return { doi, state: MeasureState.ACTIVE, status: GateRequestStatus.REJECTED };
    case GateDecision.REWORK:
      return { doi, state: MeasureState.ACTIVE, status: GateRequestStatus.REWORK };
    case GateDecision.HOLD:
      return { doi, state: MeasureState.ON_HOLD, status: GateRequestStatus.ON_HOLD };
    case GateDecision.STOP:
      return { doi, state: MeasureState.CANCELLED, status: GateRequestStatus.STOPPED };
  }
}

/** Validating potential is the controller's DoI 2->3 criterion; the owner may not validate their own. */
export function mayValidatePotential(actor: GateActor, f: MeasureGateFacts): Verdict {
  if (!policyAllows('potential.validate', actor, f)) {
    if (!actor.roles.has(Role.CONTROLLER)) return deny(ErrorCode.FORBIDDEN, 'Only a controller in scope validates potential');
    return deny(ErrorCode.FORBIDDEN, 'A controller may not validate the potential of a measure they own');
  }
  if (f.state !== MeasureState.ACTIVE) return deny(ErrorCode.CONFLICT, `The measure is ${f.state.toLowerCase().replace('_', ' ')}`);
  if (f.doi < 2 || f.doi > 4) return deny(ErrorCode.CONFLICT, `Potential is validated at DoI 2 to 4; the measure is at DoI ${f.doi}`);
  if (f.planMonths === 0) return deny(ErrorCode.GATE_CRITERIA_UNMET, 'There are no plan values to validate');
  return allow;
}

/**
 * Controller-backed closure: a controller in scope who is neither the owner, nor the sponsor, nor anyone who
 * ever entered or changed an actual value, on an active DoI-4 measure. Criteria of the gate to DoI 5 are checked separately.
 */
export function maySignOff(actor: GateActor, f: MeasureGateFacts): Verdict {
  if (!policyAllows('closure.signOff', actor, f)) {
    if (!actor.roles.has(Role.CONTROLLER)) return deny(ErrorCode.FORBIDDEN, 'Only a controller in scope signs off closure');
    if (actor.userId === f.ownerId) return deny(ErrorCode.FORBIDDEN, 'A controller may never sign off a measure they own');
    if (actor.userId === f.sponsorId) return deny(ErrorCode.FORBIDDEN, 'A controller may not sign off a measure they sponsor');
    return deny(ErrorCode.FORBIDDEN, 'You entered or changed actual values of this measure: another controller must confirm them');
  }
  if (f.state === MeasureState.CLOSED) return deny(ErrorCode.CONFLICT, 'The measure is closed already');
  if (f.state !== MeasureState.ACTIVE) return deny(ErrorCode.CONFLICT, `The measure is ${f.state.toLowerCase().replace('_', ' ')}`);
  if (f.doi !== 4) return deny(ErrorCode.CONFLICT, `Sign-off closes measures at DoI 4; this one is at DoI ${f.doi}`);
  return allow;
}

export function mayReopen(actor: GateActor, f: MeasureGateFacts): Verdict {
  if (actor.userId === f.ownerId) return deny(ErrorCode.FORBIDDEN, 'Nobody reopens a measure they own');
  if (!policyAllows('closure.reopen', actor, f)) return deny(ErrorCode.FORBIDDEN, 'Only a controller in scope reopens a closed measure');
  if (f.state !== MeasureState.CLOSED) return deny(ErrorCode.CONFLICT, 'Only closed measures can be reopened');
  return allow;
}

export function mayMoveBack(actor: GateActor, f: MeasureGateFacts, toDoi: number): Verdict {
  if (!policyAllows('measure.moveBack', actor, f)) return deny(ErrorCode.FORBIDDEN, 'Only the steering committee moves a measure back');
  if (!Number.isInteger(toDoi) || toDoi < 1 || toDoi >= f.doi) {
    return deny(ErrorCode.BAD_USER_INPUT, `toDoi must be a lower level than the current DoI ${f.doi}`);
  }
  if (f.state === MeasureState.CLOSED) return deny(ErrorCode.CONFLICT, 'A closed measure is reopened by a controller first');
  if (f.state === MeasureState.CANCELLED) return deny(ErrorCode.CONFLICT, 'The measure is cancelled');
  return allow;
}

/** Resuming a measure put on hold at a gate is, like holding it, the steering committee's call. */
export function mayResume(actor: GateActor, f: MeasureGateFacts): Verdict {
  if (actor.userId === f.ownerId) return deny(ErrorCode.FORBIDDEN, 'Nobody resumes a measure they own');
  if (!policyAllows('measure.resume', actor, f)) return deny(ErrorCode.FORBIDDEN, 'Only the steering committee resumes a measure on hold');
  if (f.state !== MeasureState.ON_HOLD) return deny(ErrorCode.CONFLICT, 'Only a measure on hold can be resumed');
  return allow;
}

/** Closed measures accept no new evidence: the sign-off confirmed the value on what was there. */
export function mayAddEvidence(state: MeasureState): Verdict {
  return state === MeasureState.CLOSED
    ? deny(ErrorCode.CONFLICT, 'The measure is closed: it accepts no new evidence until a controller reopens it')
    : allow;
}

/** Nor does a closed measure lose any: its evidence is frozen until a controller reopens it. */
export function mayRemoveEvidence(state: MeasureState): Verdict {
  return state === MeasureState.CLOSED
    ? deny(ErrorCode.CONFLICT, 'The measure is closed: its evidence is frozen until a controller reopens it')
    : allow;
}

/**
 * The people of a measure and the roles the sponsor and controller hold on its scope: what segregation of duties
 * needs to judge an assignment.
 */
export interface MeasurePeople {
  ownerId: string;
  sponsorId: string | null;
  controllerId: string | null;
  sponsorRoles: ReadonlySet<Role>;
  controllerRoles: ReadonlySet<Role>;
}

/** The duties segregation of duties assigns to people, each needing one of some roles on the scope. */
export enum PersonDuty {
  SPONSOR = 'SPONSOR',
  CONTROLLER = 'CONTROLLER',
  REVIEW_CHAIR = 'REVIEW_CHAIR',
}

/** The roles that qualify someone for a duty: the sponsor any role on the measure's scope. */
export const DUTY_ROLES: Readonly<Record<PersonDuty, readonly Role[]>> = {
  [PersonDuty.SPONSOR]: Object.values(Role),
  [PersonDuty.CONTROLLER]: [Role.CONTROLLER],
  [PersonDuty.REVIEW_CHAIR]: [Role.STEERING_COMMITTEE],
};

/** Whether roles held on the scope qualify someone for the duty. */
export function holdsDuty(duty: PersonDuty, roles: ReadonlySet<Role>): boolean {
  return DUTY_ROLES[duty].some((r) => roles.has(r));
}

function peopleOf(f: MeasureGateFacts): MeasurePeople {
  return { ownerId: f.ownerId, sponsorId: f.sponsorId, controllerId: f.controllerId, sponsorRoles: f.sponsorRoles, controllerRoles: f.controllerRoles };
}

/** Why the sponsor may not be the sponsor, or null when they may (or none is assigned). */
export function sponsorProblem(p: MeasurePeople): string | null {
  if (p.sponsorId === null) return null;
  if (p.sponsorId === p.ownerId) return 'The owner cannot also be the sponsor';
  if (p.sponsorId === p.controllerId) return 'The controller cannot also be the sponsor';
  if (!holdsDuty(PersonDuty.SPONSOR, p.sponsorRoles)) return 'The sponsor holds no role on the measure’s scope';
  return null;
}

/** Why the controller may not be the controller, or null when they may (or none is assigned). */
export function controllerProblem(p: MeasurePeople): string | null {
  if (p.controllerId === null) return null;
  if (p.controllerId === p.ownerId) return 'The owner cannot also be the controller';
  if (p.controllerId === p.sponsorId) return 'The sponsor cannot also be the controller';
  if (!holdsDuty(PersonDuty.CONTROLLER, p.controllerRoles)) return 'The controller does not hold the controller role on the measure’s scope';
  return null;
}

/**
 * Segregation of duties on a measure's people: owner, sponsor and controller are three different people, the
 * controller holds CONTROLLER on the measure's scope and the sponsor some role on it. Unassigned is allowed
 * (the gate to DoI 2 asks for both). The verdict names the field at fault.
 */
export function checkMeasurePeople(p: MeasurePeople): Verdict & { field?: 'sponsorId' | 'controllerId' } {
  const controller = controllerProblem(p);
  if (controller !== null) return { ...deny(ErrorCode.BAD_USER_INPUT, controller), field: 'controllerId' };
  const sponsor = sponsorProblem(p);
  if (sponsor !== null) return { ...deny(ErrorCode.BAD_USER_INPUT, sponsor), field: 'sponsorId' };
  return allow;
}

/** A gate review's chair holds the steering committee role on the review's scope (roles: theirs there). */
export function mayChairReview(chairRoles: ReadonlySet<Role>): Verdict {
  return holdsDuty(PersonDuty.REVIEW_CHAIR, chairRoles)
    ? allow
    : deny(ErrorCode.BAD_USER_INPUT, 'The chair of a gate review holds the steering committee role in its scope');
}
