/**
 * The fields of a generic CSV mapping (see the server's generic-format.ts): which ticket fields a column may
 * fill and which a mapping may give a default for. Shared so the dashboard's mapping editor checks the same
 * names the server accepts.
 */
export const MAPPING_TEXT_FIELDS = [
  'externalId',
  'summary',
  'description',
  'category',
  'subcategory',
  'service',
  'symptom',
  'impact',
  'urgency',
  'state',
  'stateCategory',
  'assignmentGroup',
  'requestingUnit',
  'problemRef',
  'requestType',
] as const;
export const MAPPING_DATE_FIELDS = ['openedAt', 'respondedAt', 'resolvedAt', 'closedAt', 'updatedAt'] as const;

/** Every TicketRecord field a column can fill; source is the mapping's, revision a whole number. */
export const MAPPABLE_FIELDS = [...MAPPING_TEXT_FIELDS, ...MAPPING_DATE_FIELDS, 'priority', 'labels', 'madeSla', 'revision'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** Fields a mapping may give a value for when the file has none. */
export const DEFAULTABLE_FIELDS = [...MAPPING_TEXT_FIELDS.filter((f) => f !== 'externalId' && f !== 'summary' && f !== 'stateCategory'), 'priority'] as const;
export type DefaultableField = (typeof DEFAULTABLE_FIELDS)[number];

/** The keys a mapping file may have at its top level. */
export const MAPPING_KEYS = ['$comment', 'source', 'columns', 'defaults', 'dateFormat', 'idFromLine'] as const;

const has = (list: readonly string[]) => (name: string) => list.includes(name);
export const isMappableField: (name: string) => name is MappableField = has(MAPPABLE_FIELDS) as (name: string) => name is MappableField;
export const isDefaultableField: (name: string) => name is DefaultableField = has(DEFAULTABLE_FIELDS) as (name: string) => name is DefaultableField;
export const isMappingKey: (name: string) => boolean = has(MAPPING_KEYS);
