import type { TypePolicies } from '@apollo/client';

/**
 * How the cache identifies every object type of the schema. Apollo normalises an object by `__typename:id` unless
 * told otherwise, which is right only when the id names one object for good. Two kinds of type break that:
 *  - an `id` that is not unique: a gate criterion's id (`PLAN_VALUES`, `manual:scope-agreed`) repeats in every
 *    request for the same gate, so normalised by id every request would show the last one's checklist;
 *  - no `id` at all: a value, a count or a rollup only means something inside the object that holds it.
 * Every type is listed in exactly one of the tables below; `cache-policy.test.ts` checks this against
 * `server/schema.graphql`, so a new type fails the test until someone decides its identity.
 */

/** Types whose `id` is a database key (a uuid, or the audit chain's serial) naming one object for good. */
export const GLOBAL_ID_TYPES = [
  'ApiToken',
  'AuditEntry',
  'Evidence',
  'GateCondition',
  'GateRequest',
  'GateReview',
  'GateTemplate',
  'Measure',
  'MeasureComment',
  'MeasurePackage',
  'OrgUnit',
  'Organisation',
  'Program',
  'RoleGrant',
  // A scope's id is its org unit's, program's or package's id; as a ScopeRef it carries that node's name and path.
  'ScopeRef',
  'ServiceCategory',
  'SignOff',
  'SlaPolicy',
  'Ticket',
  'TicketGroup',
  'TicketScopeMapping',
  'User',
  'UserSession',
] as const;

/** Types identified by fields other than `id`: one object per value of these fields, wherever it is read. */
export const COMPOSITE_KEYS = {
  // One summary per scope: the live subscription's answer replaces the query's in place.
  PortfolioSummary: ['scopeId'],
  // One effect check per link: the same object whether read from the measure or from the group.
  TicketEffect: ['groupId', 'measureId'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Types kept inside the object that holds them (`keyFields: false`): they have no id, or an id that repeats
 * across their holders (marked). The field holding them is replaced whole on every read.
 */
export const EMBEDDED_TYPES = [
  'CreatedApiToken', // the token shown once, with its ApiToken
  'SlaReapplyResult',
  'AdminStructure',
  'EvidenceFile', // the file of its Evidence
  'GateTemplateChangeType',
  'OidcSignInOption',
  'PasswordResetLink', // shown once
  'PermissionExplanation',
  'PolicyGrantCheck',
  'ScopeGrant', // id repeats: a role grant's id, whose placement (here, inherited, below) depends on the scope asked about
  'SignInOptions',
  'UserInvite', // the link shown once, with its User
  'AuditCheckpoint',
  'AuditEntity',
  'AuditEntryConnection',
  'AuditEntryEdge',
  'AuditVerification',
  'AuthPayload',
  'AutomaticCriterionSetting',
  'BridgeLevel',
  'BridgeMovement',
  'CriterionCheck', // id repeats: the criterion's id in the gate template, the same in every request for the gate
  'DoiBridge',
  'DoiRollup',
  'GateCheck',
  'GateDefinitionType',
  'ImportRejection',
  'ImportResult',
  'ImportWarning',
  'ManualChecklistItemType', // id repeats: a checklist item's id within one gate of one template version
  'MeasureConnection',
  'MeasureEdge',
  'MeasureEvent',
  'MeasurePermissions',
  'MeasureValue',
  // Read only as part of its measure, and replaced with it: a stale answer for the measure must not undo a
  // milestone marked done since (see Measure's merge below).
  'Milestone',
  'MonthValue',
  'PageInfo',
  'StateCount',
  'StatusCount',
  'TicketConnection',
  'TicketEdge',
  'TicketGroupConnection',
  'TicketGroupEdge',
  'TicketGroupEvent',
  'TicketGroupPermissions',
  'TicketTrendPoint',
] as const;

/** Fields whose lists or objects are replaced whole by every read (no merging of old and new items). */
const REPLACED_FIELDS: TypePolicies = {
  Measure: {
    /**
     * Every change to a measure or its parts moves its version. An answer that left the server before the
     * latest change (a live refresh still under way while a mutation's own read came back) arrives with an
     * older version: it may add fields the cache lacks, but never undoes newer ones.
     */
    merge(existing, incoming, { readField, mergeObjects }) {
      const held = readField<number>('version', existing);
      const arriving = readField<number>('version', incoming);
      return typeof held === 'number' && typeof arriving === 'number' && arriving < held ? mergeObjects(incoming, existing) : mergeObjects(existing, incoming);
    },
    fields: {
      values: { merge: false },
      milestones: { merge: false },
      gateRequests: { merge: false },
      conditions: { merge: false },
      evidence: { merge: false },
      comments: { merge: false },
      viewerCan: { merge: true },
      nextGate: { merge: false },
      ticketGroups: { merge: false },
      ticketEffects: { merge: false },
    },
  },
  // A group's links, trend and effect checks are replaced whole by every read (the trend per `months`).
  TicketGroup: { fields: { measures: { merge: false }, trend: { merge: false }, effects: { merge: false } } },
  GateRequest: { fields: { criteria: { merge: false }, conditions: { merge: false } } },
  GateReview: { fields: { agenda: { merge: false }, decisions: { merge: false }, participants: { merge: false } } },
};

/** The type policies of the app's InMemoryCache. */
export function gatehouseTypePolicies(): TypePolicies {
  const policies: TypePolicies = { ...REPLACED_FIELDS };
  for (const type of EMBEDDED_TYPES) policies[type] = { ...policies[type], keyFields: false };
  for (const [type, fields] of Object.entries(COMPOSITE_KEYS)) policies[type] = { ...policies[type], keyFields: [...fields] };
  return policies;
}
