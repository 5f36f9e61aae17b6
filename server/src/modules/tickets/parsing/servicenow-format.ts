import { Priority, priorityFromImpactAndUrgency, shortSummary, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import type { CsvRow } from './csv-records.js';
import { deskRowParser, type DeskField } from './desk-columns.js';
import { booleanValue, countValue, dateValue, priorityValue, stateCategoryValue, textValue, withoutUndefined } from './field-values.js';
import type { ParseContext } from './import-warnings.js';

/** The incident table's state codes, as a table or REST export without display values writes them. */
const STATE_CODES: Readonly<Record<string, string>> = { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' };

/**
 * A row parser for a ServiceNow export: the list export (column labels or field names, the latter from
 * `?CSV` or a table export), and the audit log with one row per update (ordered by sys_mod_count, else by the
 * update time, sys_updated_on). Only the number is required.
 *
 * The desk's anonymised excerpts have no short_description, so the summary is then composed from category,
 * subcategory and symptom ("Category 55 / Subcategory 170 / Symptom 72"), and failing those it is "Incident
 * INC0000045". A missing priority is derived from impact and urgency with ServiceNow's default lookup
 * (instances customise it; the rows that carry a priority keep their own); without any of the three it is
 * UNKNOWN, with a warning. `location` is the caller's site and
 * serves as the requesting unit.
 */
export function serviceNowRowParser(columns: Partial<Record<DeskField, string>>, headers: readonly string[], ctx: ParseContext): (row: CsvRow) => TicketRecord | RowRejection {
  const hasModCount = columns.revision !== undefined;
  return deskRowParser(columns, headers, 'the incident number is empty', (v, externalId, n) => {
    const category = textValue(v.category);
    const subcategory = textValue(v.subcategory);
    const symptom = textValue(v.symptom);
    const impact = textValue(v.impact);
    const urgency = textValue(v.urgency);
    const composed = [category, subcategory, symptom].filter((v) => v !== undefined).join(' / ');
    const summary = textValue(v.summary) ?? (composed || `Incident ${externalId}`);

    const given = priorityValue(n.priority, v.priority, ctx);
    let priority = given?.priority ?? priorityFromImpactAndUrgency(impact, urgency);
    if (priority === undefined) {
      // Kept, like an unknown value: many list exports leave the priority column out.
      ctx.warnings.add('UNKNOWN_PRIORITY', n.priority, '');
      priority = Priority.UNKNOWN;
    }

    const rawState = textValue(v.state);
    const state = rawState === undefined ? undefined : (STATE_CODES[rawState] ?? rawState);
    const updatedAt = dateValue(n.updatedAt, v.updatedAt, ctx.dates);
    const modCount = countValue(n.revision, v.revision);

    return withoutUndefined<TicketRecord>({
      source: TicketSource.SERVICENOW,
      externalId,
      summary: shortSummary(summary),
      description: textValue(v.description),
      category,
      subcategory,
      service: textValue(v.service),
      symptom,
      impact,
      urgency,
      priority,
      sourcePriority: given?.sourcePriority,
      state,
      stateCategory: stateCategoryValue(n.state, state, ctx),
      assignmentGroup: textValue(v.assignmentGroup),
      requestingUnit: textValue(v.requestingUnit),
      problemRef: textValue(v.problemRef),
      openedAt: dateValue(n.openedAt, v.openedAt, ctx.dates),
      resolvedAt: dateValue(n.resolvedAt, v.resolvedAt, ctx.dates),
      closedAt: dateValue(n.closedAt, v.closedAt, ctx.dates),
      updatedAt,
      madeSla: columns.madeSla === undefined ? undefined : booleanValue(n.madeSla, v.madeSla),
      // The two orders never mix within a file: with the column, a row without a count is the oldest.
      revision: hasModCount ? (modCount ?? 0) : (updatedAt?.getTime() ?? 0),
    });
  });
}
