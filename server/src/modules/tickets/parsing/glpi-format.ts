import { Priority, shortSummary, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import type { CsvRow } from './csv-records.js';
import { deskRowParser, type DeskField } from './desk-columns.js';
import { dateValue, priorityValue, stateCategoryValue, textValue, withoutUndefined } from './field-values.js';
import type { ParseContext } from './import-warnings.js';

/** GLPI's sixth and top priority, above Very high; elsewhere "major" is Jira's second level. */
const GLPI_PRIORITIES: ReadonlyMap<string, Priority> = new Map([
  ['major', Priority.CRITICAL],
  ['majeure', Priority.CRITICAL],
  ['maior', Priority.CRITICAL],
]);

/** GLPI writes ids with a thousands separator in some languages ("2 553"): the id is the number. */
const SPACED_NUMBER = /^\d{1,3}(?:[\s\u00a0\u202f]\d{3})+$/;

/** Several technicians or groups are joined by <br> in GLPI's export. */
const firstOfList = (value: string | undefined) => value?.split(/<br\s*\/?>/i)[0]?.trim() || undefined;

/**
 * A row parser for a GLPI ticket search export (English, French, Portuguese; GLPI writes it with semicolons,
 * a byte order mark and every field quoted). The status names decide done-ness ("Solucionado", "Fechado",
 * "Solved", "Closed", "Résolu", "Clos"); the last update orders several exports of the same tickets.
 */
export function glpiRowParser(columns: Partial<Record<DeskField, string>>, headers: readonly string[], ctx: ParseContext): (row: CsvRow) => TicketRecord | RowRejection {
  return deskRowParser(columns, headers, 'the ticket id is empty', (v, id, n) => {
    const externalId = SPACED_NUMBER.test(id) ? id.replace(/[\s\u00a0\u202f]/g, '') : id;
    const updatedAt = dateValue(n.updatedAt, v.updatedAt, ctx.dates);
    const given = priorityValue(n.priority, v.priority, ctx, GLPI_PRIORITIES);
    const state = textValue(v.state);
    return withoutUndefined<TicketRecord>({
      source: TicketSource.GLPI,
      externalId,
      summary: shortSummary(textValue(v.summary) ?? `Ticket ${externalId}`),
      description: textValue(v.description),
      category: textValue(v.category),
      impact: textValue(v.impact),
      urgency: textValue(v.urgency),
      priority: given?.priority ?? Priority.MODERATE,
      sourcePriority: given?.sourcePriority,
      state,
      stateCategory: stateCategoryValue(n.state, state, ctx),
      assignmentGroup: firstOfList(textValue(v.assignmentGroup)),
      requestingUnit: firstOfList(textValue(v.requestingUnit)),
      openedAt: dateValue(n.openedAt, v.openedAt, ctx.dates),
      resolvedAt: dateValue(n.resolvedAt, v.resolvedAt, ctx.dates),
      closedAt: dateValue(n.closedAt, v.closedAt, ctx.dates),
      updatedAt,
      revision: updatedAt?.getTime() ?? 0,
    });
  });
}
