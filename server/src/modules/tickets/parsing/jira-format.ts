import { Priority, shortSummary, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import type { CsvRow } from './csv-records.js';
import { deskRowParser, type DeskField } from './desk-columns.js';
import { dateValue, priorityValue, stateCategoryValue, textValue, withoutUndefined } from './field-values.js';
import type { ParseContext } from './import-warnings.js';

/** Every non-empty value of a column, whether Jira wrote it once or as several columns of the same name. */
function values(row: CsvRow, column: string | undefined): string[] {
  if (column === undefined) return [];
  const all = row.repeated?.[column] ?? (row.fields[column] === undefined ? [] : [row.fields[column]]);
  return all.map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * A row parser for a Jira export (Cloud, Server or Jira Service Management, in any of its UI languages).
 *
 * Jira has no category tree, so its closest fields stand in: the issue type is the category, the request type
 * the subcategory (and requestType), the components the affected service. A service request of one request
 * type thus groups on structure; a bug without components falls back to its summary text.
 *
 * Jira writes a multi-value field as several columns of the same name, one value each: all are read here.
 * Components are joined with ", " in sorted order, so that the same set gives the same service; labels never
 * contain spaces in Jira, so a single Labels column holding "vpn remote" is split as well. An empty priority is
 * Jira's default, Medium. Done-ness comes from the Status Category column when the export has it: a workflow's
 * own status names ("Completado", "Deployed") are then read right whatever they are.
 */
export function jiraRowParser(columns: Partial<Record<DeskField, string>>, headers: readonly string[], ctx: ParseContext): (row: CsvRow) => TicketRecord | RowRejection {
  return deskRowParser(columns, headers, 'the issue key is empty', (v, externalId, n, row) => {
    const requestType = textValue(v.requestType);
    const components = [...new Set(values(row, columns.service))].sort();
    const labels = [...new Set(values(row, columns.labels).flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== ''))];
    const updatedAt = dateValue(n.updatedAt, v.updatedAt, ctx.dates);
    const given = priorityValue(n.priority, v.priority, ctx);
    const state = textValue(v.state);

    return withoutUndefined<TicketRecord>({
      source: TicketSource.JIRA,
      externalId,
      summary: shortSummary(textValue(v.summary) ?? `Issue ${externalId}`),
      description: textValue(v.description),
      category: textValue(v.category),
      subcategory: requestType,
      service: components.length > 0 ? components.join(', ') : undefined,
      priority: given?.priority ?? Priority.MODERATE,
      sourcePriority: given?.sourcePriority,
      state,
      stateCategory: stateCategoryValue(n.state, state, ctx, textValue(v.stateCategory)),
      requestingUnit: values(row, columns.requestingUnit)[0],
      labels: labels.length > 0 ? labels : undefined,
      requestType,
      openedAt: dateValue(n.openedAt, v.openedAt, ctx.dates),
      resolvedAt: dateValue(n.resolvedAt, v.resolvedAt, ctx.dates),
      updatedAt,
      revision: updatedAt?.getTime() ?? 0,
    });
  });
}
