import { priorityFromImpactAndUrgency, shortSummary, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import type { CsvRow } from './csv-records.js';
import { booleanValue, countValue, dateValue, FieldError, priorityValue, rejectingFieldErrors, textValue, withoutUndefined } from './field-values.js';

/**
 * The incident table's field names as ServiceNow writes them into a CSV export. Both shapes are read: the plain
 * table export (one row per incident) and the audit log (one row per update, ordered by sys_mod_count or
 * sys_updated_at). Only `number` is required; every other column may be missing.
 */
export const SERVICENOW_COLUMNS = [
  'number',
  'short_description',
  'description',
  'category',
  'subcategory',
  'u_symptom',
  'cmdb_ci',
  'impact',
  'urgency',
  'priority',
  'assignment_group',
  'location',
  'opened_at',
  'sys_updated_at',
  'resolved_at',
  'closed_at',
  'made_sla',
  'problem_id',
  'incident_state',
  'state',
  'sys_mod_count',
] as const;

export function checkServiceNowColumns(headers: readonly string[]): void {
  if (!headers.includes('number')) {
    throw badInput(`a ServiceNow export needs the column "number"; this file has ${describeHeaders(headers)}`);
  }
}

export function describeHeaders(headers: readonly string[]): string {
  const shown = headers.slice(0, 8).map((h) => `"${h}"`).join(', ');
  return headers.length > 8 ? `${shown} and ${headers.length - 8} more` : shown;
}

/**
 * One ServiceNow row as a ticket. The desk's anonymised excerpts have no short_description, so the summary is
 * then composed from category, subcategory and symptom ("Category 55 / Subcategory 170 / Symptom 72"), and
 * failing those it is "Incident INC0000045". A missing priority is derived from impact and urgency with
 * ServiceNow's default lookup (instances customise it; the rows that carry a priority keep their own).
 * `location` is the caller's site and serves as the requesting unit.
 */
export function parseServiceNowRow(row: CsvRow): TicketRecord | RowRejection {
  return rejectingFieldErrors(row.line, () => {
    const f = row.fields;
    const externalId = textValue(f.number);
    if (externalId === undefined) throw new FieldError('number', 'the incident number is empty');

    const category = textValue(f.category);
    const subcategory = textValue(f.subcategory);
    const symptom = textValue(f.u_symptom);
    const impact = textValue(f.impact);
    const urgency = textValue(f.urgency);
    const composed = [category, subcategory, symptom].filter((v) => v !== undefined).join(' / ');
    const summary = textValue(f.short_description) ?? (composed || `Incident ${externalId}`);

    const priority = priorityValue('priority', f.priority) ?? priorityFromImpactAndUrgency(impact, urgency);
    if (priority === undefined) throw new FieldError('priority', 'no priority, and impact and urgency do not give one');

    const updatedAt = dateValue('sys_updated_at', f.sys_updated_at);
    const modCount = countValue('sys_mod_count', f.sys_mod_count);

    return withoutUndefined<TicketRecord>({
      source: TicketSource.SERVICENOW,
      externalId,
      summary: shortSummary(summary),
      description: textValue(f.description),
      category,
      subcategory,
      service: textValue(f.cmdb_ci),
      symptom,
      impact,
      urgency,
      priority,
      state: textValue(f.incident_state) ?? textValue(f.state),
      assignmentGroup: textValue(f.assignment_group),
      requestingUnit: textValue(f.location),
      problemRef: textValue(f.problem_id),
      openedAt: dateValue('opened_at', f.opened_at),
      resolvedAt: dateValue('resolved_at', f.resolved_at),
      closedAt: dateValue('closed_at', f.closed_at),
      updatedAt,
      madeSla: f.made_sla === undefined ? undefined : booleanValue('made_sla', f.made_sla),
      // The two orders never mix within a file: with the column, a row without a count is the oldest.
      revision: f.sys_mod_count !== undefined ? (modCount ?? 0) : (updatedAt?.getTime() ?? 0),
    });
  });
}
