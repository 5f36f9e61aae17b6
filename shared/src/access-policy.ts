import { ALL_ROLES, Role } from './roles.js';

/**
 * Who may do what, declared once. Every service checks its action against this table (directly through
 * `authorize()`, or through the gate rules in `gates/gate-rules.ts`, which consult it for the "who" before they
 * check the measure's state), and the authorisation matrix test (`server/src/modules/access/authorization-matrix.test.ts`)
 * calls every operation as every role on the organisation, an org unit, a program, another unit and no role, and
 * compares the answers with tables written by hand from the product rules (never computed from this one).
 *
 * A grant is a role held on the target's scope or any scope above it, optionally together with a relation
 * between the actor and the measure (`relation`), and never when one of the `unless` relations holds. A grant
 * without a role is a relation alone (the sponsor decides the gate to DoI 2 whatever roles they hold).
 */
export type MeasureRelation =
  /** The actor owns the measure. */
  | 'owner'
  /** The actor is the measure's sponsor. */
  | 'sponsor'
  /** The actor entered or changed any actual value of the measure, ever (four-eyes on sign-off). */
  | 'actualEditor'
  /** The actor chairs the gate review the decision is taken in. */
  | 'reviewChair'
  /** The actor owns the gate condition being met. */
  | 'conditionOwner';

export interface PolicyGrant {
  role?: Role;
  relation?: MeasureRelation;
  unless?: readonly MeasureRelation[];
}

const anyRole: readonly PolicyGrant[] = ALL_ROLES.map((role) => ({ role }));
const admin: readonly PolicyGrant[] = [{ role: Role.ADMIN }];
const measureEditors: readonly PolicyGrant[] = [{ role: Role.ADMIN }, { role: Role.OWNER, relation: 'owner' }];
/** Nobody decides a gate of a measure they own. */
const steeringNotOwner: readonly PolicyGrant[] = [{ role: Role.STEERING_COMMITTEE, unless: ['owner'] }];
/** The sponsor decides only while they hold some role on the measure's scope (a revoked sponsor does not). */
const sponsorInScopeNotOwner: readonly PolicyGrant[] = ALL_ROLES.map((role) => ({ role, relation: 'sponsor', unless: ['owner'] }));

export const ACCESS_POLICY = {
  'hierarchy.read': anyRole,
  'orgUnit.create': admin,
  'program.create': admin,
  'measurePackage.create': admin,
  /** Rename or move (checked on the node and, for a move, on the new parent too); archive an empty org unit. */
  'orgUnit.update': admin,
  'orgUnit.archive': admin,
  'program.update': admin,
  'measurePackage.update': admin,
  /** The role grants on, above and below a scope, for the admin area. */
  'role.read': admin,
  /** "Why can't X do Y on measure M?": admins of the measure's scope. */
  'permission.explain': admin,
  /**
   * People pickers: a person is listed to a viewer when the two hold roles on overlapping scopes (one contains the
   * other; the one SQL statement of users.service.ts), by name; admins of the organisation list everyone, roles or not. Checked per person.
   */
  'user.read': anyRole,
  /** Other people's e-mail address and roles: admins only (and everyone reads their own). */
  'user.readContact': admin,
  'user.create': admin,
  'role.grant': admin,
  'role.revoke': admin,
  'user.deactivate': admin,
  'user.reactivate': admin,
  /**
   * People administration (identity/people-policy.ts): checked on every role scope of the person, so an admin of
   * a unit acts on the people of that unit only. An invitation is checked on the scope of the role it grants.
   */
  'user.invite': admin,
  'user.resetPassword': admin,
  /** Listing and ending another person's sessions. */
  'user.sessions': admin,
  'measure.read': anyRole,
  'measure.create': [{ role: Role.ADMIN }, { role: Role.STEERING_COMMITTEE }, { role: Role.OWNER }],
  /** Assigning someone else as owner on create needs more than the OWNER role. */
  'measure.assignOwner': [{ role: Role.ADMIN }, { role: Role.STEERING_COMMITTEE }],
  'measure.update': measureEditors,
  'measure.setValues': measureEditors,
  'milestone.add': measureEditors,
  'milestone.complete': measureEditors,
  'milestone.update': measureEditors,
  'milestone.delete': measureEditors,
  'evidence.add': [...measureEditors, { role: Role.CONTROLLER }],
  'comment.add': [{ role: Role.ADMIN }, { role: Role.STEERING_COMMITTEE }, { role: Role.CONTROLLER }, { role: Role.OWNER }],
  'organisation.update': admin,
  'gateTemplate.update': admin,
  'gateReview.read': anyRole,
  'gateReview.create': [{ role: Role.STEERING_COMMITTEE }],
  /**
   * An audit entry is readable by whoever may read the entity it is about: a measure's entries (and those of
   * everything on it) with measure.read or as one of its people, a review's with gateReview.read, a hierarchy
   * node's with hierarchy.read. Entries about anything else (users and roles, settings, templates, tickets) only
   * with audit.readAll.
   */
  'audit.read': anyRole,
  /** The whole trail, every entry whatever it is about: admins and controllers of the organisation. */
  'audit.readAll': [{ role: Role.ADMIN }, { role: Role.CONTROLLER }],
  /**
   * Tickets are read on the ticket's scope (tickets/ticket-scope.ts): its mapped org unit's path, or the
   * organisation when unmapped. A ticket group is readable when at least one of its tickets is, and shows only
   * the tickets its reader may read; `ticketGroupsChanged` is delivered by the same rule.
   */
  'tickets.read': anyRole,
  'tickets.import': admin,
  /** Settings, SLA policies and the ticket scope mapping are organisation-wide: an admin of the organisation. */
  'tickets.configure': admin,
  /** Checked on the measure's path; the linker must also read the group (one of its tickets), see tickets.read. */
  'ticketGroup.link': [{ role: Role.ADMIN }, { role: Role.STEERING_COMMITTEE }, { role: Role.OWNER, relation: 'owner' }],
  'audit.verify': [{ role: Role.ADMIN }, { role: Role.CONTROLLER }],
  // Gates (docs/domain-rules.md, "Degrees of Implementation and the default gates"); the state checks follow in gate-rules.ts.
  'gate.request': measureEditors,
  'gate.withdraw': measureEditors,
  /** Approve, reject or send back the step to DoI 2: the steering committee or the measure's sponsor. */
  'gate.decide.toDoi2': [...steeringNotOwner, ...sponsorInScopeNotOwner],
  'gate.decide.toDoi3': steeringNotOwner,
  'gate.decide.toDoi4': steeringNotOwner,
  /** Rejecting or reworking the step to DoI 5; approving it is signOffClosure. */
  'gate.decide.toDoi5': [{ role: Role.CONTROLLER, unless: ['owner'] }],
  /** Holding or stopping a measure is a portfolio decision, at any gate. */
  'gate.holdOrStop': steeringNotOwner,
  /** Only the chair of the gate review the decision is taken in (docs/domain-rules.md, segregation of duties). */
  'gate.override': [{ role: Role.STEERING_COMMITTEE, relation: 'reviewChair' }],
  'gate.meetCondition': [{ relation: 'conditionOwner' }, { role: Role.OWNER, relation: 'owner' }, { role: Role.STEERING_COMMITTEE }],
  'potential.validate': [{ role: Role.CONTROLLER, unless: ['owner'] }],
  /** Controller-backed closure: never by the owner, the sponsor or anyone who ever entered or changed an actual. */
  'closure.signOff': [{ role: Role.CONTROLLER, unless: ['owner', 'sponsor', 'actualEditor'] }],
  /** Nobody reopens or resumes their own measure. */
  'closure.reopen': [{ role: Role.CONTROLLER, unless: ['owner'] }],
  'measure.moveBack': [{ role: Role.STEERING_COMMITTEE }],
  'measure.resume': steeringNotOwner,
} as const satisfies Record<string, readonly PolicyGrant[]>;

export type Action = keyof typeof ACCESS_POLICY;

export interface RoleGrantFact {
  role: Role;
  scopeId: string;
}

export interface ActorFacts {
  userId: string;
  grants: readonly RoleGrantFact[];
}

export interface TargetFacts {
  /** Scope ids from the organisation down to the target's own scope. */
  path: readonly string[];
  /** Set when the target is a measure (or belongs to one). */
  measureOwnerId?: string | null;
  measureSponsorId?: string | null;
  /** Everyone who ever entered or changed an actual value of the measure. */
  actualEditorIds?: readonly string[];
  conditionOwnerId?: string | null;
  /** The chair of the gate review a decision is taken in. */
  reviewChairId?: string | null;
}

/** The roles an actor holds on a scope path, by inheritance from any scope on it. */
export function rolesOnPath(actor: ActorFacts, path: readonly string[]): Set<Role> {
  const onPath = new Set(path);
  return new Set(actor.grants.filter((g) => onPath.has(g.scopeId)).map((g) => g.role));
}

/** The relations between an actor and a target, from the target's facts. */
export function relationsOf(userId: string, target: Omit<TargetFacts, 'path'>): Set<MeasureRelation> {
  const relations = new Set<MeasureRelation>();
  if (target.measureOwnerId === userId) relations.add('owner');
  if (target.measureSponsorId === userId) relations.add('sponsor');
  if (target.actualEditorIds?.includes(userId)) relations.add('actualEditor');
  if (target.conditionOwnerId === userId) relations.add('conditionOwner');
  if (target.reviewChairId != null && target.reviewChairId === userId) relations.add('reviewChair');
  return relations;
}

/** Whether any grant of the action matches roles and relations already worked out. */
export function grantsAllow(action: Action, roles: ReadonlySet<Role>, relations: ReadonlySet<MeasureRelation>): boolean {
  return ACCESS_POLICY[action].some((grant: PolicyGrant) => {
    if (grant.role !== undefined && !roles.has(grant.role)) return false;
    if (grant.relation !== undefined && !relations.has(grant.relation)) return false;
    return !(grant.unless ?? []).some((r) => relations.has(r));
  });
}

/** One grant of an action, and whether it matched: what an explanation of a verdict lists. */
export interface GrantCheck {
  grant: PolicyGrant;
  matched: boolean;
  /** Why it did not match, when it did not. */
  missing: string | null;
}

export interface AccessExplanation {
  allowed: boolean;
  roles: Role[];
  relations: MeasureRelation[];
  grants: GrantCheck[];
}

const RELATION_TEXT: Record<MeasureRelation, string> = {
  owner: 'the measure’s owner',
  sponsor: 'the measure’s sponsor',
  actualEditor: 'someone who entered or changed an actual value',
  reviewChair: 'the chair of the gate review',
  conditionOwner: 'the owner of the condition',
};

/** How a grant reads: "CONTROLLER, unless the measure’s owner". */
export function describeGrant(grant: PolicyGrant): string {
  const parts = [grant.role ?? 'anyone', grant.relation ? `as ${RELATION_TEXT[grant.relation]}` : ''].filter(Boolean);
  const unless = (grant.unless ?? []).map((r) => RELATION_TEXT[r]);
  return `${parts.join(' ')}${unless.length ? `, unless ${unless.join(' or ')}` : ''}`;
}

/**
 * The access policy's verdict with its workings: the roles and relations found, and each grant of the action
 * with what it lacked. `allowed` is `grantsAllow` itself, so an explanation never disagrees with a check.
 */
export function explainAccess(action: Action, actor: ActorFacts, target: TargetFacts): AccessExplanation {
  const roles = rolesOnPath(actor, target.path);
  const relations = relationsOf(actor.userId, target);
  const grants = ACCESS_POLICY[action].map((grant: PolicyGrant): GrantCheck => {
    const missing: string[] = [];
    if (grant.role !== undefined && !roles.has(grant.role)) missing.push(`holds no ${grant.role} role on this scope or above`);
    if (grant.relation !== undefined && !relations.has(grant.relation)) missing.push(`is not ${RELATION_TEXT[grant.relation]}`);
    for (const r of grant.unless ?? []) if (relations.has(r)) missing.push(`is ${RELATION_TEXT[r]}`);
    return { grant, matched: missing.length === 0, missing: missing.length ? missing.join(' and ') : null };
  });
  return { allowed: grantsAllow(action, roles, relations), roles: [...roles], relations: [...relations], grants };
}

export function isAllowed(action: Action, actor: ActorFacts, target: TargetFacts): boolean {
  return grantsAllow(action, rolesOnPath(actor, target.path), relationsOf(actor.userId, target));
}

/**
 * Whether the action could be allowed to the actor on some target: one of its grants names a role the actor holds
 * on any scope. For offering an action whose target is chosen afterwards (a measure to link a ticket group to, a
 * package to create a measure in); relations such as `owner` are taken as met there, and the chosen target is
 * checked with `isAllowed` when the action is carried out.
 */
export function mayOnSomeScope(action: Action, actor: ActorFacts): boolean {
  const held = new Set(actor.grants.map((g) => g.role));
  return ACCESS_POLICY[action].some((grant: PolicyGrant) => grant.role !== undefined && held.has(grant.role));
}
