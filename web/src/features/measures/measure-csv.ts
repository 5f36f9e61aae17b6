import type { ApolloClient } from '@apollo/client';
import { csvField } from '@gatehouse/shared';
import { MeasureListDocument, type MeasureFilter, type MeasureListQuery, type MeasureRowFieldsFragment, type MeasureSort } from '../../graphql/generated';

/** Largest page the API serves; the export pages through the whole filtered list with it. */
export const EXPORT_PAGE_SIZE = 200;

/** One CSV field, formula-like text defused: the rule the server's review pack follows too (shared/src/csv.ts). */
export { csvField };

export function csvLine(fields: string[]): string {
  return fields.join(',');
}

export const CSV_COLUMNS = [
  'Code',
  'Title',
  'Program',
  'Package',
  'DoI',
  'State',
  'Lever',
  'Owner',
  'Implementation status',
  'Implementation status reason',
  'Implementation status overridden',
  'Potential status',
  'Potential status reason',
  'Potential status overridden',
  'Plan total',
  'Forecast total',
  'Actual total',
  'One-off cost total',
  'Annual potential',
  'Next due',
  'Overdue',
] as const;

/** A measure as one CSV line: money as the API's exact decimal strings, dates as ISO days. */
export function measureCsvLine(m: MeasureRowFieldsFragment): string {
  return csvLine([
    csvField(m.code, 'text'),
    csvField(m.title, 'text'),
    csvField(m.program.name, 'text'),
    csvField(m.package.name, 'text'),
    csvField(m.doi),
    csvField(m.state),
    csvField(m.lever),
    csvField(m.owner.name, 'text'),
    csvField(m.implementationStatus),
    csvField(m.implementationStatusReason, 'text'),
    csvField(m.implementationStatusOverridden),
    csvField(m.potentialStatus),
    csvField(m.potentialStatusReason, 'text'),
    csvField(m.potentialStatusOverridden),
    csvField(m.planTotal),
    csvField(m.forecastTotal),
    csvField(m.actualTotal),
    csvField(m.oneOffCostTotal),
    csvField(m.annualPotential),
    csvField(m.nextDueOn ? m.nextDueOn.slice(0, 10) : null),
    csvField(m.overdue),
  ]);
}

/** The whole document: header, one line per measure, CRLF line ends as RFC 4180 has them. */
export function measuresCsv(measures: readonly MeasureRowFieldsFragment[]): string {
  return [csvLine(CSV_COLUMNS.map((c) => csvField(c))), ...measures.map(measureCsvLine)].join('\r\n') + '\r\n';
}

/** Pages through every measure matching the filter, in the list's sort order. */
export async function fetchAllMeasures(
  client: ApolloClient,
  filter: MeasureFilter,
  sort: MeasureSort,
  onProgress?: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<MeasureRowFieldsFragment[]> {
  const rows: MeasureRowFieldsFragment[] = [];
  let after: string | null = null;
  for (;;) {
    if (signal?.aborted) throw new DOMException('Export cancelled', 'AbortError');
    const result: { data?: MeasureListQuery; error?: unknown } = await client.query({
      query: MeasureListDocument,
      variables: { filter, sort, first: EXPORT_PAGE_SIZE, after },
      fetchPolicy: 'network-only',
    });
    const page: MeasureListQuery['measures'] | undefined = result.data?.measures;
    if (!page) throw result.error ?? new Error('No data');
    rows.push(...page.edges.map((e) => e.node));
    onProgress?.(rows.length, page.totalCount);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return rows;
    after = page.pageInfo.endCursor;
  }
}

/** Hands a text file to the browser's download; the BOM lets spreadsheet programs read UTF-8 names right. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  downloadBlob(filename, new Blob(['\uFEFF', text], { type }));
}

/** Hands a file to the browser to save. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
