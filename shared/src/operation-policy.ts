import type { Action } from './access-policy.js';

/**
 * Every GraphQL operation with the access-policy action(s) that decide it and what it is checked against.
 * `public` needs no session; `signedIn` any session (it only touches the caller's own data). Reads filter: a list
 * leaves out what the caller may not read, a single object out of reach is FORBIDDEN. The authorisation matrix
 * test fails when an operation of the schema is missing here.
 */
export interface OperationRule {
  kind: 'query' | 'mutation' | 'subscription';
  access: 'public' | 'signedIn' | readonly Action[];
  /**
   * What the scope check runs on: the organisation, a hierarchy node, a measure (with its relations), a gate
   * condition, a review, each listed person's role scopes (`people`), the entity an audit entry is about
   * (`auditSubject`), a ticket's scope (`ticket`), or every role scope of the person acted on (`person`,
   * identity/people-policy.ts).
   */
  target?: 'organisation' | 'scope' | 'measure' | 'condition' | 'review' | 'people' | 'auditSubject' | 'ticket' | 'person';
}

const q = (access: OperationRule['access'], target?: OperationRule['target']): OperationRule => ({ kind: 'query', access, target });
const m = (access: OperationRule['access'], target?: OperationRule['target']): OperationRule => ({ kind: 'mutation', access, target });
const s = (access: OperationRule['access'], target?: OperationRule['target']): OperationRule => ({ kind: 'subscription', access, target });

export const OPERATION_POLICY: Record<string, OperationRule> = {
  // Queries
  me: q('signedIn'),
  /** How to sign in here (password, single sign-on): asked by the sign-in page before anyone is signed in. */
  signInOptions: q('public'),
  /** The caller's own API tokens. */
  myApiTokens: q('signedIn'),
  organisation: q('signedIn'),
  /** Lists the people on overlapping scopes (everyone for admins); e-mail and roles need user.readContact. */
  users: q(['user.read', 'user.readContact'], 'people'),
  assignablePeople: q(['user.read'], 'scope'),
  /** The People screen: the people the caller administers, with e-mail addresses and roles. */
  people: q(['user.invite'], 'person'),
  userSessions: q(['user.sessions'], 'person'),
  orgUnits: q(['hierarchy.read'], 'scope'),
  programs: q(['hierarchy.read'], 'scope'),
  measurePackages: q(['hierarchy.read'], 'scope'),
  scope: q(['hierarchy.read'], 'scope'),
  measures: q(['measure.read'], 'measure'),
  measure: q(['measure.read'], 'measure'),
  portfolioSummary: q(['measure.read'], 'scope'),
  doiBridge: q(['measure.read'], 'scope'),
  gateRequests: q(['measure.read'], 'measure'),
  gateReviews: q(['gateReview.read'], 'review'),
  gateReview: q(['gateReview.read'], 'review'),
  gateTemplate: q('signedIn'),
  gateTemplateVersions: q('signedIn'),
  /** The admin area's tree: the nodes the caller administers, empty for others. */
  adminStructure: q(['orgUnit.update'], 'scope'),
  scopeRoleGrants: q(['role.read'], 'scope'),
  explainPermission: q(['permission.explain'], 'measure'),
  signOffQueue: q(['closure.signOff'], 'measure'),
  /** Lists the entries about entities the caller may read; audit.readAll lists every entry. */
  auditTrail: q(['audit.read', 'audit.readAll'], 'auditSubject'),
  verifyAuditTrail: q(['audit.verify'], 'organisation'),
  // Checked on each ticket's scope (tickets/ticket-scope.ts); a group is read through its readable tickets.
  tickets: q(['tickets.read'], 'ticket'),
  ticketGroups: q(['tickets.read'], 'ticket'),
  ticketGroup: q(['tickets.read'], 'ticket'),
  ticketScopeMappings: q(['tickets.configure'], 'organisation'),
  serviceCategories: q(['tickets.read'], 'organisation'),
  slaPolicies: q(['tickets.read'], 'organisation'),
  // Mutations
  login: m('public'),
  logout: m('signedIn'),
  createApiToken: m('signedIn'),
  revokeApiToken: m('signedIn'),
  createUser: m(['user.create'], 'organisation'),
  deactivateUser: m(['user.deactivate'], 'person'),
  reactivateUser: m(['user.reactivate'], 'person'),
  /** Checked on the scope of the role the invitation grants (the organisation without one). */
  createUserInvite: m(['user.invite'], 'scope'),
  requestPasswordReset: m(['user.resetPassword'], 'person'),
  endUserSessions: m(['user.sessions'], 'person'),
  /** The caller's own password; the current one is asked for. */
  changePassword: m('signedIn'),
  /** The one-time link is the credential. */
  setPasswordWithToken: m('public'),
  grantRole: m(['role.grant'], 'scope'),
  revokeRole: m(['role.revoke'], 'scope'),
  updateOrganisationSettings: m(['organisation.update'], 'organisation'),
  updateGateTemplate: m(['gateTemplate.update'], 'organisation'),
  createOrgUnit: m(['orgUnit.create'], 'scope'),
  createProgram: m(['program.create'], 'scope'),
  createMeasurePackage: m(['measurePackage.create'], 'scope'),
  /** A move needs the action on the node and on its new parent. */
  updateOrgUnit: m(['orgUnit.update'], 'scope'),
  archiveOrgUnit: m(['orgUnit.archive'], 'scope'),
  updateProgram: m(['program.update'], 'scope'),
  updateMeasurePackage: m(['measurePackage.update'], 'scope'),
  /** Creating for someone else as owner needs measure.assignOwner too. */
  createMeasure: m(['measure.create'], 'scope'),
  updateMeasure: m(['measure.update'], 'measure'),
  setMeasureValues: m(['measure.setValues'], 'measure'),
  addMilestone: m(['milestone.add'], 'measure'),
  completeMilestone: m(['milestone.complete'], 'measure'),
  updateMilestone: m(['milestone.update'], 'measure'),
  deleteMilestone: m(['milestone.delete'], 'measure'),
  addEvidence: m(['evidence.add'], 'measure'),
  /** The same people as adding it; a closed measure's evidence is frozen. */
  removeEvidence: m(['evidence.add'], 'measure'),
  addComment: m(['comment.add'], 'measure'),
  requestGate: m(['gate.request'], 'measure'),
  withdrawGateRequest: m(['gate.withdraw'], 'measure'),
  /** The action follows the request's target DoI and the decision; failed criteria need gate.override. */
  decideGate: m(['gate.decide.toDoi2', 'gate.decide.toDoi3', 'gate.decide.toDoi4', 'gate.decide.toDoi5', 'gate.holdOrStop'], 'measure'),
  meetCondition: m(['gate.meetCondition'], 'condition'),
  validatePotential: m(['potential.validate'], 'measure'),
  signOffClosure: m(['closure.signOff'], 'measure'),
  reopenMeasure: m(['closure.reopen'], 'measure'),
  moveMeasureBack: m(['measure.moveBack'], 'measure'),
  resumeMeasure: m(['measure.resume'], 'measure'),
  createGateReview: m(['gateReview.create'], 'scope'),
  importTickets: m(['tickets.import'], 'organisation'),
  linkTicketGroup: m(['ticketGroup.link'], 'measure'),
  unlinkTicketGroup: m(['ticketGroup.link'], 'measure'),
  /** Creating the measure follows measure.create (and measure.assignOwner for someone else); it is then linked. */
  createMeasureFromTicketGroup: m(['measure.create'], 'scope'),
  saveServiceCategory: m(['tickets.configure'], 'organisation'),
  setSlaPolicy: m(['tickets.configure'], 'organisation'),
  reapplySlaPolicies: m(['tickets.configure'], 'organisation'),
  updateTicketSettings: m(['tickets.configure'], 'organisation'),
  saveTicketScopeMapping: m(['tickets.configure'], 'organisation'),
  deleteTicketScopeMapping: m(['tickets.configure'], 'organisation'),
  createAuditCheckpoint: m(['audit.verify'], 'organisation'),
  // Subscriptions: each event is re-checked against the subscriber's current roles (measure.read).
  measureChanged: s(['measure.read'], 'measure'),
  gateRequestChanged: s(['measure.read'], 'measure'),
  portfolioSummaryChanged: s(['measure.read'], 'scope'),
  ticketGroupsChanged: s(['tickets.read'], 'ticket'),
};
