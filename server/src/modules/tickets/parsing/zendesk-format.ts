import { Priority, shortSummary, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import type { CsvRow } from './csv-records.js';
import { deskRowParser, type DeskField } from './desk-columns.js';
import { dateValue, priorityValue, stateCategoryValue, textValue, withoutUndefined } from './field-values.js';
import type { ParseContext } from './import-warnings.js';

/**
 * A row parser for a Zendesk ticket export (a view's CSV, or the API's fields written out): statuses new,
 * open, pending, hold, solved, closed; priorities urgent, high, normal, low (an empty one is Zendesk's normal).
 */
export function zendeskRowParser(columns: Partial<Record<DeskField, string>>, headers: readonly string[], ctx: ParseContext): (row: CsvRow) => TicketRecord | RowRejection {
  return deskRowParser(columns, headers, 'the ticket id is empty', (v, externalId, n) => {
    const updatedAt = dateValue(n.updatedAt, v.updatedAt, ctx.dates);
    const given = priorityValue(n.priority, v.priority, ctx);
    const state = textValue(v.state);
    const tags = textValue(v.labels)?.split(/\s+/).filter((t) => t !== '');
    return withoutUndefined<TicketRecord>({
      source: TicketSource.ZENDESK,
      externalId,
      summary: shortSummary(textValue(v.summary) ?? `Ticket ${externalId}`),
      description: textValue(v.description),
      category: textValue(v.category),
      priority: given?.priority ?? Priority.MODERATE,
      sourcePriority: given?.sourcePriority,
      state,
      stateCategory: stateCategoryValue(n.state, state, ctx),
      assignmentGroup: textValue(v.assignmentGroup),
      requestingUnit: textValue(v.requestingUnit),
      labels: tags && tags.length > 0 ? tags : undefined,
      openedAt: dateValue(n.openedAt, v.openedAt, ctx.dates),
      resolvedAt: dateValue(n.resolvedAt, v.resolvedAt, ctx.dates),
      updatedAt,
      revision: updatedAt?.getTime() ?? 0,
    });
  });
}
