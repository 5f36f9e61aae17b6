import { Priority, shortSummary, TicketSource, type RowRejection, type TicketRecord } from '@gatehouse/shared';
import { badInput } from '../../../common/domain-error.js';
import type { CsvRow } from './csv-records.js';
import { dateValue, FieldError, priorityValue, rejectingFieldErrors, textValue, withoutUndefined } from './field-values.js';
import { describeHeaders } from './servicenow-format.js';

/** The names Jira Service Management gives its request type column, depending on version and export. */
const REQUEST_TYPE_COLUMNS = [
  'Customer Request Type',
  'Request Type',
  'Custom field (Customer Request Type)',
  'Custom field (Request Type)',
];

export function checkJiraColumns(headers: readonly string[]): void {
  const missing = ['Issue key', 'Summary'].filter((c) => !headers.includes(c));
  if (missing.length > 0) {
    throw badInput(`a Jira export needs the columns ${missing.map((c) => `"${c}"`).join(' and ')}; this file has ${describeHeaders(headers)}`);
  }
}

/** Every non-empty value of a column, whether Jira wrote it once or as several columns of the same name. */
function values(row: CsvRow, column: string): string[] {
  const all = row.repeated?.[column] ?? (row.fields[column] === undefined ? [] : [row.fields[column]]);
  return all.map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * One row of a Jira Service Management CSV export as a ticket.
 *
 * Jira has no category tree, so its closest fields stand in: the issue type is the category, the request type
 * the subcategory (and requestType), the components the affected service. A service request of one request
 * type thus groups on structure; a bug without components falls back to its summary text.
 *
 * Jira writes a multi-value field as several columns of the same name, one value each, so the reader is opened
 * with repeated names allowed (see csvOptionsFor) and all values are read here. Components are joined with ", "
 * in sorted order, so that the same set gives the same service; labels never contain spaces in Jira, so a single
 * Labels column holding "vpn remote" is split as well. An empty priority is Jira's default, Medium.
 */
export function parseJiraRow(row: CsvRow): TicketRecord | RowRejection {
  return rejectingFieldErrors(row.line, () => {
    const f = row.fields;
    const externalId = textValue(f['Issue key']);
    if (externalId === undefined) throw new FieldError('Issue key', 'the issue key is empty');

    const requestType = REQUEST_TYPE_COLUMNS.map((c) => textValue(f[c])).find((v) => v !== undefined);
    const components = [...new Set(values(row, 'Component/s'))].sort();
    const labels = [...new Set(values(row, 'Labels').flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== ''))];
    const updatedAt = dateValue('Updated', f.Updated);

    return withoutUndefined<TicketRecord>({
      source: TicketSource.JIRA,
      externalId,
      summary: shortSummary(textValue(f.Summary) ?? `Issue ${externalId}`),
      description: textValue(f.Description),
      category: textValue(f['Issue Type']),
      subcategory: requestType,
      service: components.length > 0 ? components.join(', ') : undefined,
      priority: priorityValue('Priority', f.Priority) ?? Priority.MODERATE,
      state: textValue(f.Status),
      requestingUnit: values(row, 'Organizations')[0],
      labels: labels.length > 0 ? labels : undefined,
      requestType,
      openedAt: dateValue('Created', f.Created),
      resolvedAt: dateValue('Resolved', f.Resolved),
      updatedAt,
      revision: updatedAt?.getTime() ?? 0,
    });
  });
}
