import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.js';
import { MeasureState } from '../measure-enums.js';
import { ALL_ROLES, Role } from '../roles.js';
import {
  decisionOutcome,
  evaluateGate,
  GateDecision,
  GateRequestStatus,
  mayDecideGate,
  mayMoveBack,
  mayOverride,
  mayReopen,
  mayRequestGate,
  mayResume,
  mayAddEvidence,
  checkMeasurePeople,
  mayChairReview,
  maySignOff,
  mayValidatePotential,
  nextGate,
  type GateActor,
  type MeasureGateFacts,
} from './gate-rules.js';
import { AutomaticCriterion, DEFAULT_GATE_TEMPLATE, validateGateTemplate, type GateTarget } from './gate-template.js';

const OWNER = 'owner-user';
const SPONSOR = 'sponsor-user';
const facts = (over: Partial<MeasureGateFacts> = {}): MeasureGateFacts => ({
  doi: 1,
  state: MeasureState.ACTIVE,
  ownerId: OWNER,
  sponsorId: SPONSOR,
  controllerId: 'controller-user',
  hasRoughPotential: true,
  planMonths: 12,
  businessCaseLength: 200,
  milestonesTotal: 3,
  milestonesOpen: 0,
  potentialValidated: true,
  implementationEvidence: 1,
  actualMonths: 6,
  openConditions: 0,
  actualEditorIds: [OWNER],
  sponsorRoles: new Set([Role.STEERING_COMMITTEE]),
  controllerRoles: new Set([Role.CONTROLLER]),
  ...over,
});
const actor = (roles: Role[], userId = 'someone'): GateActor => ({ userId, roles: new Set(roles) });

/** The specification of who decides, straight from the table in docs/domain-rules.md, written independently of the code. */
function expectedDecider(toDoi: GateTarget, decision: GateDecision, who: { role: Role | null; sponsor: boolean }): 'allow' | ErrorCode {
  if (decision === GateDecision.HOLD || decision === GateDecision.STOP) {
    return who.role === Role.STEERING_COMMITTEE ? 'allow' : ErrorCode.FORBIDDEN;
  }
  const allowedRole = toDoi === 5 ? Role.CONTROLLER : Role.STEERING_COMMITTEE;
  // The sponsor decides the step to DoI 2 only while holding some role on the measure's scope.
  const permitted = who.role === allowedRole || (toDoi === 2 && who.sponsor && who.role !== null);
  if (!permitted) return ErrorCode.FORBIDDEN;
  if (toDoi === 5 && (decision === GateDecision.APPROVE || decision === GateDecision.APPROVE_WITH_CONDITIONS)) return ErrorCode.BAD_USER_INPUT;
  return 'allow';
}

describe('gate rules', () => {
  it('moves one level at a time and has no gate beyond DoI 5', () => {
    expect([1, 2, 3, 4, 5].map(nextGate)).toEqual([2, 3, 4, 5, null]);
  });

  describe('who may decide: every DoI x decision x role', () => {
    const deciders: { name: string; role: Role | null; sponsor: boolean }[] = [
      ...ALL_ROLES.map((role) => ({ name: role, role, sponsor: false })),
      { name: 'the sponsor without a role', role: null, sponsor: true },
      { name: 'the sponsor holding only VIEWER', role: Role.VIEWER, sponsor: true },
    ];
    for (const doi of [1, 2, 3, 4]) {
      const toDoi = (doi + 1) as GateTarget;
      for (const decision of Object.values(GateDecision)) {
        for (const d of deciders) {
          it(`DoI ${doi}->${toDoi} ${decision} by ${d.name}`, () => {
            const verdict = mayDecideGate(actor(d.role ? [d.role] : [], d.sponsor ? SPONSOR : 'someone'), facts({ doi }), toDoi, decision);
            const expected = expectedDecider(toDoi, decision, d);
            expect(verdict.allowed ? 'allow' : verdict.code).toBe(expected);
          });
        }
      }
    }
  });

  it('never lets the owner decide a gate of their own measure, whatever their roles', () => {
    for (const decision of Object.values(GateDecision)) {
      const v = mayDecideGate(actor([...ALL_ROLES], OWNER), facts({ doi: 2 }), 3, decision);
      expect(v).toMatchObject({ allowed: false, code: ErrorCode.FORBIDDEN });
    }
  });

  it('refuses a decision on a request that no longer matches the measure’s DoI or state', () => {
    const sc = actor([Role.STEERING_COMMITTEE]);
    expect(mayDecideGate(sc, facts({ doi: 3 }), 3, GateDecision.APPROVE)).toMatchObject({ code: ErrorCode.CONFLICT });
    expect(mayDecideGate(sc, facts({ doi: 2, state: MeasureState.ON_HOLD }), 3, GateDecision.APPROVE)).toMatchObject({ code: ErrorCode.CONFLICT });
  });

  it.each([
    [GateDecision.APPROVE, 3, MeasureState.ACTIVE, GateRequestStatus.APPROVED],
    [GateDecision.APPROVE_WITH_CONDITIONS, 3, MeasureState.ACTIVE, GateRequestStatus.APPROVED_WITH_CONDITIONS],
    [GateDecision.REJECT, 2, MeasureState.ACTIVE, GateRequestStatus.REJECTED],
    [GateDecision.REWORK, 2, MeasureState.ACTIVE, GateRequestStatus.REWORK],
    [GateDecision.HOLD, 2, MeasureState.ON_HOLD, GateRequestStatus.ON_HOLD],
    [GateDecision.STOP, 2, MeasureState.CANCELLED, GateRequestStatus.STOPPED],
  ])('%s on a DoI-2 measure leaves it at DoI %i, %s', (decision, doi, state, status) => {
    expect(decisionOutcome(decision, 2)).toEqual({ doi, state, status });
  });

  it('raises DoI by exactly one for every approving decision at every level', () => {
    for (const doi of [1, 2, 3, 4]) {
      for (const decision of Object.values(GateDecision)) {
        const out = decisionOutcome(decision, doi);
        expect(out.doi - doi).toBeGreaterThanOrEqual(0);
        expect(out.doi - doi).toBeLessThanOrEqual(1);
      }
    }
  });

  it('lets only the owner or an admin request a gate, on an active measure below DoI 5', () => {
    expect(mayRequestGate(actor([Role.OWNER], OWNER), facts()).allowed).toBe(true);
    expect(mayRequestGate(actor([Role.ADMIN]), facts()).allowed).toBe(true);
    expect(mayRequestGate(actor([Role.OWNER]), facts())).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayRequestGate(actor([Role.STEERING_COMMITTEE]), facts())).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayRequestGate(actor([Role.OWNER], OWNER), facts({ doi: 5, state: MeasureState.ACTIVE }))).toMatchObject({ code: ErrorCode.CONFLICT });
    expect(mayRequestGate(actor([Role.OWNER], OWNER), facts({ state: MeasureState.CANCELLED }))).toMatchObject({ code: ErrorCode.CONFLICT });
  });

  it('lets only the chair of the gate review, a steering committee member, override failed criteria', () => {
    const chair = 'chair-user';
    expect(mayOverride(actor([Role.STEERING_COMMITTEE], chair), facts(), { chairId: chair }).allowed).toBe(true);
    // Every role and role set short of steering committee fails, even for the chair.
    for (const role of ALL_ROLES.filter((r) => r !== Role.STEERING_COMMITTEE)) {
      expect(mayOverride(actor([role], chair), facts(), { chairId: chair })).toMatchObject({ code: ErrorCode.FORBIDDEN });
    }
    // A steering committee member who is not the chair, or any decision outside a review, has no override.
    expect(mayOverride(actor([...ALL_ROLES], 'member'), facts(), { chairId: chair })).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayOverride(actor([...ALL_ROLES], chair), facts(), null)).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayOverride(actor([Role.STEERING_COMMITTEE], chair), facts(), { chairId: null })).toMatchObject({ code: ErrorCode.FORBIDDEN });
  });
});

describe('gate criteria', () => {
  it('passes the default DoI 1->2 gate with plan, controller, sponsor, business case and the checklist', () => {
    const e = evaluateGate(facts(), DEFAULT_GATE_TEMPLATE, 2, { inGateReview: false, checkedItems: ['scope-agreed'] });
    expect(e.unmet).toEqual([]);
  });

  it('lists each failed criterion with its reason', () => {
    const e = evaluateGate(facts({ planMonths: 0, sponsorId: null, businessCaseLength: 5 }), DEFAULT_GATE_TEMPLATE, 2);
    expect(e.unmet.map((c) => c.id)).toEqual([
      AutomaticCriterion.PLAN_VALUES,
      AutomaticCriterion.SPONSOR_ASSIGNED,
      AutomaticCriterion.BUSINESS_CASE,
      'manual:scope-agreed',
    ]);
    expect(e.unmet[0].detail).toBe('0 months with plan values (needs 1)');
  });

  it('needs a gate review, validated potential and met conditions for DoI 3', () => {
    const e = evaluateGate(facts({ doi: 2, potentialValidated: false, openConditions: 2 }), DEFAULT_GATE_TEMPLATE, 3);
    expect(e.unmet.map((c) => c.id)).toEqual([
      AutomaticCriterion.CONDITIONS_MET,
      AutomaticCriterion.POTENTIAL_VALIDATED,
      AutomaticCriterion.DECIDED_IN_GATE_REVIEW,
      'manual:resources-committed',
    ]);
  });

  it('needs every milestone done and implementation evidence for DoI 4, and actuals for DoI 5', () => {
    expect(evaluateGate(facts({ milestonesOpen: 1, implementationEvidence: 0 }), DEFAULT_GATE_TEMPLATE, 4).unmet.map((c) => c.id)).toEqual([
      AutomaticCriterion.MILESTONES_DONE,
      AutomaticCriterion.IMPLEMENTATION_EVIDENCE,
      'manual:handover-done',
    ]);
    expect(evaluateGate(facts({ actualMonths: 0 }), DEFAULT_GATE_TEMPLATE, 5).unmet.map((c) => c.id)).toEqual([AutomaticCriterion.ACTUALS_RECORDED]);
  });

  it('accepts the default template and names what is wrong in an edited one', () => {
    expect(validateGateTemplate(DEFAULT_GATE_TEMPLATE)).toEqual([]);
    const broken = { gates: DEFAULT_GATE_TEMPLATE.gates.slice(1).map((g) => ({ ...g, manual: [{ id: 'Bad Id', text: '' }] })) };
    const problems = validateGateTemplate(broken);
    expect(problems).toContain('the gate to DoI 2 is missing');
    expect(problems.some((p) => p.includes('"Bad Id"'))).toBe(true);
  });
});

describe('potential validation, sign-off, reopening and moving back', () => {
  const controller = (id = 'controller-user') => actor([Role.CONTROLLER], id);

  it('lets a controller who is not the owner validate potential at DoI 2', () => {
    expect(mayValidatePotential(controller(), facts({ doi: 2 })).allowed).toBe(true);
    expect(mayValidatePotential(actor([Role.CONTROLLER], OWNER), facts({ doi: 2 }))).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayValidatePotential(actor([Role.STEERING_COMMITTEE]), facts({ doi: 2 }))).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayValidatePotential(controller(), facts({ doi: 1 }))).toMatchObject({ code: ErrorCode.CONFLICT });
  });

  it('lets a controller sign off a DoI-4 measure they neither own, sponsor nor entered actuals of', () => {
    expect(maySignOff(controller(), facts({ doi: 4 })).allowed).toBe(true);
  });

  it.each([
    ['the owner', actor([Role.CONTROLLER], OWNER), facts({ doi: 4, actualEditorIds: ['x'] }), ErrorCode.FORBIDDEN],
    ['the sponsor', actor([Role.CONTROLLER], SPONSOR), facts({ doi: 4 }), ErrorCode.FORBIDDEN],
    ['the last editor of the actuals', controller('editor'), facts({ doi: 4, actualEditorIds: ['editor'] }), ErrorCode.FORBIDDEN],
    ['an earlier editor of the actuals', controller('editor'), facts({ doi: 4, actualEditorIds: ['editor', OWNER] }), ErrorCode.FORBIDDEN],
    ['a steering committee member', actor([Role.STEERING_COMMITTEE, Role.ADMIN]), facts({ doi: 4 }), ErrorCode.FORBIDDEN],
    ['anyone before DoI 4', controller(), facts({ doi: 3 }), ErrorCode.CONFLICT],
    ['anyone on a closed measure', controller(), facts({ doi: 5, state: MeasureState.CLOSED }), ErrorCode.CONFLICT],
  ])('refuses sign-off by %s', (_who, a, f, code) => {
    expect(maySignOff(a, f)).toMatchObject({ allowed: false, code });
  });

  it('lets only a controller reopen, and only a closed measure', () => {
    expect(mayReopen(controller(), facts({ doi: 5, state: MeasureState.CLOSED })).allowed).toBe(true);
    expect(mayReopen(actor([...ALL_ROLES], OWNER), facts({ doi: 5, state: MeasureState.CLOSED }))).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayReopen(actor([Role.STEERING_COMMITTEE]), facts({ doi: 5, state: MeasureState.CLOSED }))).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayReopen(controller(), facts({ doi: 4 }))).toMatchObject({ code: ErrorCode.CONFLICT });
  });

  it('lets the steering committee move a measure back to any lower level', () => {
    const sc = actor([Role.STEERING_COMMITTEE]);
    expect(mayMoveBack(sc, facts({ doi: 4 }), 2).allowed).toBe(true);
    expect(mayMoveBack(sc, facts({ doi: 4 }), 4)).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    expect(mayMoveBack(sc, facts({ doi: 4 }), 0)).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    expect(mayMoveBack(actor([Role.CONTROLLER]), facts({ doi: 4 }), 2)).toMatchObject({ code: ErrorCode.FORBIDDEN });
  });
});

describe('segregation of duties', () => {
  it('lets a steering committee member resume a measure on hold, never their own', () => {
    const onHold = facts({ doi: 2, state: MeasureState.ON_HOLD });
    expect(mayResume(actor([Role.STEERING_COMMITTEE]), onHold).allowed).toBe(true);
    expect(mayResume(actor([...ALL_ROLES], OWNER), onHold)).toMatchObject({ code: ErrorCode.FORBIDDEN });
    expect(mayResume(actor([Role.CONTROLLER, Role.ADMIN]), onHold)).toMatchObject({ code: ErrorCode.FORBIDDEN });
  });

  it('lets exactly the holders of the steering committee role chair a gate review, for every role set', () => {
    for (let mask = 0; mask < 1 << ALL_ROLES.length; mask++) {
      const roles = new Set(ALL_ROLES.filter((_, i) => mask & (1 << i)));
      const v = mayChairReview(roles);
      expect(v.allowed ? 'ok' : v.code).toBe(roles.has(Role.STEERING_COMMITTEE) ? 'ok' : ErrorCode.BAD_USER_INPUT);
    }
  });

  it('accepts evidence on every state but closed', () => {
    expect(Object.values(MeasureState).map((s) => [s, mayAddEvidence(s).allowed])).toEqual(
      Object.values(MeasureState).map((s) => [s, s !== MeasureState.CLOSED]),
    );
    expect(mayAddEvidence(MeasureState.CLOSED)).toMatchObject({ code: ErrorCode.CONFLICT });
  });

  describe('owner, sponsor and controller: every pattern of people x every role set', () => {
    // Role sets: every subset of the five roles.
    const roleSets = Array.from({ length: 1 << ALL_ROLES.length }, (_, mask) => new Set(ALL_ROLES.filter((_, i) => mask & (1 << i))));
    const people = [null, 'a', 'b', 'c'];
    /** The rule in words (PRODUCT.md): three different people, controller holds CONTROLLER, sponsor holds a role. */
    const expected = (o: string, s: string | null, c: string | null, sRoles: Set<Role>, cRoles: Set<Role>): 'ok' | 'sponsorId' | 'controllerId' => {
      if (c !== null && (c === o || c === s || !cRoles.has(Role.CONTROLLER))) return 'controllerId';
      if (s !== null && (s === o || sRoles.size === 0)) return 'sponsorId';
      return 'ok';
    };
    it('refuses exactly the assignments that break the rule, naming the field', () => {
      let cases = 0;
      for (const s of people) {
        for (const c of people) {
          for (const sRoles of roleSets) {
            for (const cRoles of roleSets) {
              const v = checkMeasurePeople({ ownerId: 'a', sponsorId: s, controllerId: c, sponsorRoles: sRoles, controllerRoles: cRoles });
              const want = expected('a', s, c, sRoles, cRoles);
              const got = v.allowed ? 'ok' : (expect(v.code).toBe(ErrorCode.BAD_USER_INPUT), v.field);
              if (got !== want) expect({ s, c, sRoles: [...sRoles], cRoles: [...cRoles], got }).toEqual({ s, c, sRoles: [...sRoles], cRoles: [...cRoles], got: want });
              cases++;
            }
          }
        }
      }
      expect(cases).toBe(4 * 4 * 32 * 32);
    });
  });

  it('fails the sponsor and controller criteria when the assignment breaks segregation of duties', () => {
    const gate = (over: Partial<MeasureGateFacts>) =>
      evaluateGate(facts(over), DEFAULT_GATE_TEMPLATE, 2, { inGateReview: false, checkedItems: ['scope-agreed'] }).unmet.map((c) => c.id).sort();
    expect(gate({ sponsorId: OWNER })).toEqual([AutomaticCriterion.SPONSOR_ASSIGNED]);
    expect(gate({ controllerId: OWNER })).toEqual([AutomaticCriterion.CONTROLLER_ASSIGNED]);
    expect(gate({ sponsorId: OWNER, controllerId: OWNER })).toEqual([AutomaticCriterion.CONTROLLER_ASSIGNED, AutomaticCriterion.SPONSOR_ASSIGNED].sort());
    expect(gate({ sponsorRoles: new Set() })).toEqual([AutomaticCriterion.SPONSOR_ASSIGNED]);
    expect(gate({ controllerRoles: new Set([Role.VIEWER]) })).toEqual([AutomaticCriterion.CONTROLLER_ASSIGNED]);
    expect(gate({ sponsorId: 'controller-user' })).toEqual([AutomaticCriterion.CONTROLLER_ASSIGNED, AutomaticCriterion.SPONSOR_ASSIGNED].sort());
  });
});
