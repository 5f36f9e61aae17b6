/**
 * How the audit trail reads for people: every action the server records and every field its before and after
 * name, in words. The web app's audit log and the server's CSV export both read it from here, so the screen and
 * the file say the same. `audit-actions.test.ts` (server) checks that every action the server writes has a label.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'organisation.created': 'Organisation created',
  'organisation.settingsUpdated': 'Settings updated',
  'organisation.ticketSettingsUpdated': 'Ticket settings updated',
  'orgUnit.created': 'Org unit created',
  'orgUnit.renamed': 'Org unit renamed',
  'orgUnit.moved': 'Org unit moved',
  'orgUnit.archived': 'Org unit archived',
  'program.created': 'Program created',
  'program.updated': 'Program changed',
  'program.moved': 'Program moved',
  'measurePackage.created': 'Package created',
  'measurePackage.updated': 'Package changed',
  'measurePackage.moved': 'Package moved',
  'user.created': 'User created',
  'user.deactivated': 'User deactivated',
  'user.singleSignOnLinked': 'Single sign-on linked',
  'user.reactivated': 'User reactivated',
  'role.granted': 'Role granted',
  'role.revoked': 'Role revoked',
  'session.started': 'Signed in',
  'session.ended': 'Signed out',
  'apiToken.created': 'API token created',
  'apiToken.revoked': 'API token revoked',
  'user.invited': 'User invited',
  'user.passwordResetIssued': 'Password reset link issued',
  'user.passwordSet': 'Password set by one-time link',
  'user.passwordChanged': 'Password changed',
  'user.sessionsEnded': 'Sessions ended by an admin',
  'measure.created': 'Measure created',
  'measure.updated': 'Measure updated',
  'measure.values.set': 'Monthly values set',
  'milestone.added': 'Milestone added',
  'milestone.updated': 'Milestone changed',
  'milestone.completed': 'Milestone done',
  'milestone.reopened': 'Milestone reopened',
  'milestone.deleted': 'Milestone deleted',
  'evidence.added': 'Evidence added',
  'evidence.removed': 'Evidence removed',
  'comment.added': 'Comment added',
  'gate.requested': 'Gate requested',
  'gate.decided': 'Gate decided',
  'gate.withdrawn': 'Gate request withdrawn',
  'condition.met': 'Condition met',
  'gateReview.created': 'Gate review created',
  'gateTemplate.updated': 'Gate template updated',
  'measure.potentialValidated': 'Potential validated',
  'measure.signedOff': 'Signed off',
  'measure.reopened': 'Reopened',
  'measure.movedBack': 'Moved back',
  'measure.resumed': 'Resumed',
  'tickets.imported': 'Tickets imported',
  'ticketGroup.linked': 'Ticket group linked',
  'ticketGroup.unlinked': 'Ticket group unlinked',
  'serviceCategory.saved': 'Service category saved',
  'slaPolicy.saved': 'SLA policy saved',
  'slaPolicy.reapplied': 'SLA policies re-applied to open tickets',
  'ticketScopeMapping.saved': 'Ticket scope mapping saved',
  'ticketScopeMapping.deleted': 'Ticket scope mapping removed',
};

/** "orgUnit.moved" reads "Org unit moved" until it has a label of its own. */
function humanise(identifier: string): string {
  const words = identifier
    .replace(/[._:-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? humanise(action);
}

/** The fields of the entries' before and after, as the forms that change them call them. */
export const AUDIT_FIELD_LABELS: Record<string, string> = {
  code: 'Code',
  title: 'Title',
  name: 'Name',
  description: 'Description',
  businessCase: 'Business case',
  lever: 'Lever',
  ownerId: 'Owner',
  sponsorId: 'Sponsor',
  controllerId: 'Controller',
  packageId: 'Package',
  programId: 'Program',
  orgUnitId: 'Org unit',
  ticketsMoved: 'Tickets moved',
  linkExpiresAt: 'Link valid until',
  otherSessionsEnded: 'Other sessions ended',
  sessionId: 'Session',
  by: 'Set through',
  parentId: 'Parent unit',
  objective: 'Objective',
  doi: 'DoI',
  fromDoi: 'From DoI',
  toDoi: 'To DoI',
  state: 'State',
  status: 'Request status',
  decision: 'Decision',
  override: 'Criteria overridden',
  unmetCriteria: 'Unmet criteria',
  conditions: 'Conditions',
  reviewId: 'Gate review',
  note: 'Note',
  roughPotential: 'Rough potential',
  annualPotential: 'Annual potential',
  planTotal: 'Plan total',
  actualTotal: 'Actual total',
  confirmedValue: 'Confirmed value',
  evidence: 'Evidence',
  potentialValidation: 'Potential validation',
  nextGateDueOn: 'Next gate due',
  implementationStatusOverride: 'Implementation status (set by hand)',
  implementationStatusOverrideReason: 'Why the implementation status was set',
  potentialStatusOverride: 'Potential status (set by hand)',
  potentialStatusOverrideReason: 'Why the potential status was set',
  dueOn: 'Due',
  doneOn: 'Done',
  kind: 'Kind',
  url: 'Link',
  file: 'File',
  size: 'Size in bytes',
  sha256: 'SHA-256',
  body: 'Comment',
  met: 'Met',
  metAt: 'Met on',
  groupId: 'Ticket group',
  measureId: 'Measure',
  created: 'Measure created from the group',
  email: 'E-mail',
  role: 'Role',
  scopeId: 'Scope',
  scopeKind: 'Scope level',
  active: 'Active',
  sessionsEnded: 'Sessions ended',
  version: 'Version',
  definition: 'Gates',
  heldOn: 'Held on',
  participantIds: 'Participants',
  requestIds: 'Agenda',
  currency: 'Currency',
  adminEmail: 'First admin',
  demo: 'Demo data',
  measures: 'Measures',
  source: 'Source',
  origin: 'File or client',
  inserted: 'Tickets added',
  updated: 'Tickets updated',
  unchanged: 'Tickets unchanged',
  rejected: 'Rows rejected',
  recurringThreshold: 'Recurring at (tickets)',
  recurringWindowDays: 'Within (days)',
  costPerTicket: 'Cost per ticket',
  categoryId: 'Category',
  priority: 'Priority',
  response: 'Response target',
  resolution: 'Resolution target',
  potentialGreenPercent: 'Potential green from (%)',
  potentialAmberPercent: 'Potential amber from (%)',
  doiWeights: 'DoI probabilities (%)',
  archived: 'Archived',
};

const VALUE_KIND_LABELS: Record<string, string> = { PLAN: 'Plan', FORECAST: 'Forecast', ACTUAL: 'Actual', ONE_OFF_COST: 'One-off cost' };

/** A field of an entry's before/after in words: "sponsorId" reads "Sponsor", "PLAN:2026-01" reads "Plan 2026-01". */
export function auditFieldLabel(key: string): string {
  if (AUDIT_FIELD_LABELS[key]) return AUDIT_FIELD_LABELS[key];
  const value = /^([A-Z_]+):(\d{4}-\d{2})$/.exec(key);
  if (value && VALUE_KIND_LABELS[value[1]]) return `${VALUE_KIND_LABELS[value[1]]} ${value[2]}`;
  const dot = key.indexOf('.');
  if (dot > 0) return `${auditFieldLabel(key.slice(0, dot))} · ${AUDIT_FIELD_LABELS[key.slice(dot + 1)] ?? key.slice(dot + 1)}`;
  return humanise(key);
}
