import {
  type Action,
  describeGrant,
  ErrorCode,
  explainAccess,
  GateDecision,
  mayAddEvidence,
  mayDecideGate,
  mayMoveBack,
  mayReopen,
  mayRequestGate,
  mayResume,
  maySignOff,
  mayValidatePotential,
  MeasureState,
  nextGate,
  Role,
  type Verdict,
} from '@gatehouse/shared';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { type Actor, type ActorGrant, authorize, canRead } from '../access/index.js';
import { Measure, measurePeople } from '../measures/index.js';
import { gateActor } from './gate-actor.js';
import { loadGateFacts } from './gate-facts.js';
import { viewerPermissions, type MeasurePermissions } from './viewer-permissions.js';

/** What the admin asks about: the things a person may or may not do with a measure. */
export enum PermissionAction {
  READ = 'READ',
  UPDATE = 'UPDATE',
  SET_VALUES = 'SET_VALUES',
  ADD_MILESTONE = 'ADD_MILESTONE',
  ADD_EVIDENCE = 'ADD_EVIDENCE',
  COMMENT = 'COMMENT',
  REQUEST_GATE = 'REQUEST_GATE',
  DECIDE_GATE = 'DECIDE_GATE',
  VALIDATE_POTENTIAL = 'VALIDATE_POTENTIAL',
  SIGN_OFF = 'SIGN_OFF',
  REOPEN = 'REOPEN',
  MOVE_BACK = 'MOVE_BACK',
  RESUME = 'RESUME',
  LINK_TICKET_GROUP = 'LINK_TICKET_GROUP',
}
registerEnumType(PermissionAction, { name: 'PermissionAction', description: 'Something a person may do with a measure (explainPermission).' });

@ObjectType({ description: 'One grant of the access policy for the action, and whether the person meets it.' })
export class PolicyGrantCheck {
  @Field(() => String, { description: 'The grant in words: "CONTROLLER, unless the measure’s owner".' })
  grant: string;

  @Field(() => Boolean)
  matched: boolean;

  @Field(() => String, { nullable: true, description: 'What the person lacks for this grant.' })
  missing: string | null;
}

@ObjectType({ description: 'Why a person may or may not do something with a measure, from the rules the server enforces.' })
export class PermissionExplanation {
  @Field(() => Boolean)
  allowed: boolean;

  @Field(() => String, { description: 'The access-policy action that decides who may.' })
  policyAction: string;

  @Field(() => [Role], { description: 'The roles the person holds on the measure’s scope or above.' })
  roles: Role[];

  @Field(() => [String], { description: 'How the person relates to the measure: owner, sponsor, actualEditor.' })
  relations: string[];

  @Field(() => [PolicyGrantCheck])
  grants: PolicyGrantCheck[];

  @Field(() => [String], { description: 'The answer in sentences, the deciding one last.' })
  reasons: string[];
}

/** The policy action and the measure rule behind each question; the verdict is the one `viewerCan` gives. */
const RULES: Record<PermissionAction, { policy: Action; field?: keyof MeasurePermissions }> = {
  READ: { policy: 'measure.read' },
  UPDATE: { policy: 'measure.update', field: 'update' },
  SET_VALUES: { policy: 'measure.setValues', field: 'setValues' },
  ADD_MILESTONE: { policy: 'milestone.add', field: 'addMilestone' },
  ADD_EVIDENCE: { policy: 'evidence.add', field: 'addEvidence' },
  COMMENT: { policy: 'comment.add', field: 'comment' },
  REQUEST_GATE: { policy: 'gate.request', field: 'requestGate' },
  DECIDE_GATE: { policy: 'gate.decide.toDoi2' },
  VALIDATE_POTENTIAL: { policy: 'potential.validate', field: 'validatePotential' },
  SIGN_OFF: { policy: 'closure.signOff', field: 'signOff' },
  REOPEN: { policy: 'closure.reopen', field: 'reopen' },
  MOVE_BACK: { policy: 'measure.moveBack', field: 'moveBack' },
  RESUME: { policy: 'measure.resume', field: 'resume' },
  LINK_TICKET_GROUP: { policy: 'ticketGroup.link', field: 'linkTicketGroup' },
};

const RELATION_WORDS: Record<string, string> = { owner: 'owns the measure', sponsor: 'sponsors the measure', actualEditor: 'entered or changed actual values of it' };

/**
 * "Why can't X do Y on measure M?", answered by the same functions that decide it: the access policy through
 * `explainAccess` (whose `allowed` is the policy check itself) and the measure's rules through `viewerPermissions`
 * and the shared gate rules, run for the person asked about instead of the caller. Nothing is decided here.
 */
export class PermissionExplainer {
  constructor(private readonly dataSource: DataSource) {}

  async explain(caller: Actor, userId: string, what: PermissionAction, measureId: string): Promise<PermissionExplanation> {
    const measure = await this.dataSource.getRepository(Measure).findOneBy({ id: assertId(measureId, 'measureId') });
    if (!measure || measure.organisationId !== caller.organisation.id) throw notFound('Measure');
    authorize(caller, 'permission.explain', { path: measure.path });
    const [person]: { id: string; name: string; email: string; active: boolean; grants: ActorGrant[] }[] = await this.dataSource.query(
      `SELECT u.id, u.name, u.email, u.active,
              coalesce((SELECT json_agg(json_build_object('role', g.role, 'scopeId', g.scope_id, 'scopePath', coalesce(ou.path, p.path, ARRAY[g.scope_id])))
                          FROM role_grant g LEFT JOIN org_unit ou ON ou.id = g.scope_id LEFT JOIN program p ON p.id = g.scope_id
                         WHERE g.user_id = u.id), '[]'::json) AS grants
         FROM app_user u WHERE u.id = $1 AND u.organisation_id = $2`,
      [assertId(userId, 'userId'), caller.organisation.id],
    );
    if (!person) throw notFound('User');
    const subject: Actor = { userId: person.id, email: person.email, name: person.name, organisation: caller.organisation, grants: person.grants, sessionTokenHash: '' };
    const facts = await loadGateFacts(this.dataSource.manager, measure.id);
    const rule = RULES[what];
    const toDoi = nextGate(measure.doi);
    const policyAction: Action = what === PermissionAction.DECIDE_GATE && toDoi ? `gate.decide.toDoi${toDoi}` : rule.policy;
    const access = explainAccess(policyAction, subject, {
      path: measure.path,
      measureOwnerId: measure.ownerId,
      measureSponsorId: measure.sponsorId,
      actualEditorIds: facts.actualEditorIds,
    });

    // The verdict: exactly what the person's own `viewerCan` (or the gate decision's rule) answers.
    const who = gateActor(subject, measure.path);
    let allowed: boolean;
    let verdict: Verdict | null = null;
    if (what === PermissionAction.READ) {
      allowed = canRead(subject, measure.path, measurePeople(measure));
    } else if (what === PermissionAction.DECIDE_GATE) {
      verdict = toDoi ? mayDecideGate(who, facts, toDoi, GateDecision.APPROVE) : { allowed: false, code: ErrorCode.CONFLICT, reason: 'The measure is at DoI 5: there is no further gate' };
      allowed = verdict.allowed;
    } else {
      allowed = viewerPermissions(subject, measure, facts)[rule.field!] as boolean;
      verdict = stateVerdict(what, who, facts, measure);
    }

    const reasons: string[] = [];
    if (!person.active) reasons.push(`${person.name}’s account is deactivated: they cannot sign in at all`);
    reasons.push(
      access.roles.length
        ? `${person.name} holds ${access.roles.join(', ')} on this measure’s scope or above`
        : `${person.name} holds no role on this measure’s scope or above`,
    );
    for (const r of access.relations) reasons.push(`${person.name} ${RELATION_WORDS[r] ?? r}`);
    if (what === PermissionAction.READ && !access.allowed && allowed) reasons.push(`${person.name} is one of the measure’s people (owner, sponsor or controller), who always read it`);
    reasons.push(
      access.allowed
        ? `The access policy (${policyAction}) lets ${person.name} do this: ${access.grants.filter((g) => g.matched).map((g) => describeGrant(g.grant)).join('; ')}`
        : `The access policy (${policyAction}) allows only: ${access.grants.map((g) => describeGrant(g.grant)).join('; ') || 'nobody'}`,
    );
    if (verdict && !verdict.allowed) reasons.push(verdict.reason);
    else if (!allowed && access.allowed && measure.state === MeasureState.CLOSED) reasons.push('The measure is closed: its values are locked until a controller reopens it');
    return {
      allowed: allowed && person.active,
      policyAction,
      roles: access.roles,
      relations: access.relations,
      grants: access.grants.map((g) => ({ grant: describeGrant(g.grant), matched: g.matched, missing: g.missing })),
      reasons,
    };
  }
}

/** The measure rule's own verdict (with its reason) where the shared gate rules give one. */
function stateVerdict(what: PermissionAction, who: ReturnType<typeof gateActor>, facts: Awaited<ReturnType<typeof loadGateFacts>>, m: Measure): Verdict | null {
  switch (what) {
    case PermissionAction.REQUEST_GATE:
      return mayRequestGate(who, facts);
    case PermissionAction.VALIDATE_POTENTIAL:
      return mayValidatePotential(who, facts);
    case PermissionAction.SIGN_OFF:
      return maySignOff(who, facts);
    case PermissionAction.REOPEN:
      return mayReopen(who, facts);
    case PermissionAction.MOVE_BACK:
      return m.doi > 1 ? mayMoveBack(who, facts, m.doi - 1) : { allowed: false, code: ErrorCode.CONFLICT, reason: 'The measure is at DoI 1: there is no level to move back to' };
    case PermissionAction.RESUME:
      return mayResume(who, facts);
    case PermissionAction.ADD_EVIDENCE:
      return mayAddEvidence(m.state);
    default:
      return null;
  }
}
