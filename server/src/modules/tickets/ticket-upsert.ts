import type { TicketRecord, TicketSource } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import type { SlaOutcome } from './sla.js';
import { booleanArray, integerArray, textArray, timestampArray } from './sql-arrays.js';
import { finishedAtSql, openSql } from './ticket-sql.js';

/** A ticket of a batch, ready to store: its record, its group and its SLA outcome. */
export interface PreparedTicket {
  record: TicketRecord;
  groupId: string;
  sla: SlaOutcome;
  /** The org unit the ticket scope mapping gives it; null: the organisation (ticket-scope.ts). */
  orgUnitId: string | null;
}

/** A ticket the upsert inserted or replaced, with what its stored version contributed to its group. */
export interface ChangedTicket {
  external_id: string;
  inserted: boolean;
  /** The stored version's made_sla contradicts its SLA (the one it keeps, for an updated ticket). */
  sla_disagrees: boolean;
  /** The replaced version's group, day (YYYY-MM-DD) and openness; null when the ticket is new. */
  old_group_id: string | null;
  old_day: string | null;
  old_open: boolean | null;
  /** The day the ticket was first imported, which is its day while it has no opened_at; null when new. */
  first_seen_day: string | null;
}

/**
 * The columns a ticket's record alone decides, in the order of the statement's parameters. Their array
 * literals can be written before the batch's transaction starts (recordColumnArrays): the import builds
 * them for the next batch while the database writes the one before.
 */
const RECORD_COLUMNS: [name: string, type: string, value: (r: TicketRecord) => unknown][] = [
  ['external_id', 'text', (r) => r.externalId],
  ['summary', 'text', (r) => r.summary],
  ['description', 'text', (r) => r.description],
  ['category', 'text', (r) => r.category],
  ['subcategory', 'text', (r) => r.subcategory],
  ['service', 'text', (r) => r.service],
  ['symptom', 'text', (r) => r.symptom],
  ['impact', 'text', (r) => r.impact],
  ['urgency', 'text', (r) => r.urgency],
  ['priority', 'text', (r) => r.priority],
  ['source_priority', 'text', (r) => r.sourcePriority],
  ['state', 'text', (r) => r.state],
  ['state_category', 'text', (r) => r.stateCategory],
  ['assignment_group', 'text', (r) => r.assignmentGroup],
  ['requesting_unit', 'text', (r) => r.requestingUnit],
  ['problem_ref', 'text', (r) => r.problemRef],
  // Labels travel as one text each, joined by the unit separator, and are split again in SQL: a text[][]
  // would need every row to have the same number of labels.
  ['labels', 'text', (r) => (r.labels?.length ? r.labels.join('\u001f') : null)],
  ['request_type', 'text', (r) => r.requestType],
  ['opened_at', 'timestamptz', (r) => r.openedAt],
  ['responded_at', 'timestamptz', (r) => r.respondedAt],
  ['resolved_at', 'timestamptz', (r) => r.resolvedAt],
  ['closed_at', 'timestamptz', (r) => r.closedAt],
  ['source_updated_at', 'timestamptz', (r) => r.updatedAt],
  ['made_sla', 'boolean', (r) => r.madeSla],
  ['revision', 'bigint', (r) => Math.trunc(r.revision)],
];

/** The columns that need the database's answers (the group, the mapping, the SLA policies): written in the transaction. */
const BATCH_COLUMNS: [name: string, type: string, value: (t: PreparedTicket) => unknown][] = [
  ['group_id', 'uuid', (t) => t.groupId],
  ['org_unit_id', 'uuid', (t) => t.orgUnitId],
  ['response_due_at', 'timestamptz', (t) => t.sla.responseDueAt],
  ['resolution_due_at', 'timestamptz', (t) => t.sla.resolutionDueAt],
  ['sla_disagrees', 'boolean', (t) => t.sla.disagrees],
];

const COLUMNS: [name: string, type: string][] = [...RECORD_COLUMNS, ...BATCH_COLUMNS].map(([name, type]) => [name, type]);

/** The array literals of the record columns of these records, in order (upsertTickets' `recordArrays`). */
export function recordColumnArrays(records: readonly TicketRecord[]): string[] {
  return RECORD_COLUMNS.map(([, type, value]) => arrayParameter(type, records.map(value)));
}

/** The column's values as one array literal parameter. */
function arrayParameter(type: string, values: unknown[]): string {
  switch (type) {
    case 'timestamptz':
      return timestampArray(values as (Date | undefined)[]);
    case 'boolean':
      return booleanArray(values as (boolean | null | undefined)[]);
    case 'bigint':
      return integerArray(values as number[]);
    default:
      return textArray(values as (string | undefined)[]);
  }
}

/**
 * Inserts or replaces a batch's tickets (one per external id). A stored ticket is replaced only by a newer
 * revision, or by the same revision with other content; anything else leaves it as it is. Returns the tickets
 * it changed, each updated one with what its stored version contributed to its group, so the caller can move
 * the counts.
 *
 * Two statements rather than one INSERT ... ON CONFLICT DO UPDATE: that one cannot return the replaced
 * version, and reading it beforehand cost an index search per ticket even in a first import, where nothing is
 * stored. New tickets are inserted first (skipping every stored id); only the ids that were already there are
 * then sent again, to an UPDATE that reads their previous state in the same statement.
 */
export async function upsertTickets(
  manager: EntityManager,
  organisationId: string,
  source: TicketSource,
  now: Date,
  tickets: readonly PreparedTicket[],
  options: {
    /** recordColumnArrays of the tickets' records, in the same order, when the caller wrote them already. */
    recordArrays?: readonly string[];
    /** Called once the INSERT, the longest statement of a batch, is on its way to the database. */
    sent?: () => void;
  } = {},
): Promise<ChangedTicket[]> {
  const recordArrays = options.recordArrays ?? recordColumnArrays(tickets.map((t) => t.record));
  const inserting: Promise<{ external_id: string }[]> = manager.query(
    `INSERT INTO ticket (organisation_id, source, ${NAMES.join(', ')}, first_seen_at, imported_at)
     SELECT $1, $2, ${SELECTED.join(', ')}, $3, $3 FROM ${UNNEST}
     ON CONFLICT (organisation_id, source, external_id) DO NOTHING
     RETURNING external_id`,
    [organisationId, source, now, ...recordArrays, ...batchColumnArrays(tickets)],
  );
  options.sent?.();
  const inserted = await inserting;
  const byId = new Map(tickets.map((t) => [t.record.externalId, t]));
  const changed: ChangedTicket[] = inserted.map((r) => ({
    external_id: r.external_id,
    inserted: true,
    sla_disagrees: byId.get(r.external_id)!.sla.disagrees,
    old_group_id: null,
    old_day: null,
    old_open: null,
    first_seen_day: null,
  }));
  if (inserted.length === tickets.length) return changed;

  const insertedIds = new Set(inserted.map((r) => r.external_id));
  const stored = tickets.filter((t) => !insertedIds.has(t.record.externalId));
  // `before` is the same row as `t` read through its primary key: a table in FROM shows the row as it was
  // when the statement started, so RETURNING can give the replaced version's group, day and openness. (The
  // UPDATE is wrapped in a SELECT because TypeORM returns [rows, count] for an UPDATE.)
  const updated: ChangedTicket[] = await manager.query(
    `WITH updated AS (
     UPDATE ticket t
        SET ${NAMES.filter((name) => name !== 'external_id')
          .map((name, i) => `${name} = ${SLA_KEPT[name] ?? SELECTED[i + 1]}`)
          .join(', ')}, imported_at = $3
       FROM ${UNNEST}, ticket before
      WHERE t.organisation_id = $1 AND t.source = $2 AND t.external_id = x.external_id AND before.id = t.id
        AND (x.revision > t.revision OR (x.revision = t.revision AND (${CONTENT.map(selected).join(', ')}) IS DISTINCT FROM (${CONTENT.map((c) => `t.${c}`).join(', ')})))
      RETURNING t.external_id, false AS inserted, t.sla_disagrees, before.group_id AS old_group_id,
                to_char(coalesce(before.opened_at, before.first_seen_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS old_day,
                ${openSql('before')} AS old_open,
                to_char(before.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first_seen_day)
     SELECT * FROM updated`,
    [organisationId, source, now, ...recordColumnArrays(stored.map((t) => t.record)), ...batchColumnArrays(stored)],
  );
  return [...changed, ...updated];
}

const NAMES = COLUMNS.map(([name]) => name);
/**
 * The columns of a ticket's content: everything the export says of it except its id and revision. The same
 * revision with other content replaces the stored ticket; with the same content it is "unchanged". Compared
 * column by column in the UPDATE (labels split back into their array first), so nothing is hashed per row.
 */
const CONTENT = NAMES.filter((name) => !['external_id', 'revision', 'group_id', 'org_unit_id', 'response_due_at', 'resolution_due_at', 'sla_disagrees'].includes(name));
/**
 * A stored ticket keeps the SLA it was opened under, as ServiceNow keeps an attached SLA: a later policy change
 * does not move its due times when the desk sends a newer version (only reapplySlaPolicies does, sla-reapply.ts).
 * The current policy's times are taken only when the ticket had none, or the facts its SLA was chosen and
 * timed by changed: its priority, its category or its opened time. The made_sla contradiction is then judged
 * against the due time kept (the SQL form of slaOutcome's, sla.ts).
 */
const SLA_KEPT_WHEN = `(t.resolution_due_at IS NOT NULL AND x.priority = t.priority AND lower(x.category) IS NOT DISTINCT FROM lower(t.category) AND x.opened_at IS NOT DISTINCT FROM t.opened_at)`;
const SLA_KEPT: Record<string, string> = {
  response_due_at: `CASE WHEN ${SLA_KEPT_WHEN} THEN t.response_due_at ELSE x.response_due_at END`,
  resolution_due_at: `CASE WHEN ${SLA_KEPT_WHEN} THEN t.resolution_due_at ELSE x.resolution_due_at END`,
  sla_disagrees: `CASE WHEN ${SLA_KEPT_WHEN} THEN coalesce(x.made_sla = (${finishedAtSql('x')} > t.resolution_due_at), false) ELSE x.sla_disagrees END`,
};
/** A column as read from the unnested arrays; labels are split back into a text[]. */
const selected = (name: string) => (name === 'labels' ? 'CASE WHEN x.labels IS NULL THEN NULL ELSE string_to_array(x.labels, chr(31)) END' : `x.${name}`);
const SELECTED = NAMES.map(selected);
const UNNEST = `unnest(${COLUMNS.map(([, type], i) => `CAST($${i + 4} AS ${type}[])`).join(', ')}) AS x(${NAMES.join(', ')})`;

function batchColumnArrays(tickets: readonly PreparedTicket[]): string[] {
  return BATCH_COLUMNS.map(([, type, value]) => arrayParameter(type, tickets.map(value)));
}
