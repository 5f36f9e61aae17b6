import { importParams, type ImportChoices, type ImportFormat, type ImportWarning, type Recognition } from './ticket-upload';

/** The first bytes of a file the server previews (it cuts them at the last line break). */
export const PREVIEW_BYTES = 256 * 1024;

export interface PreviewRow {
  line: number;
  ticket?: Record<string, unknown> & { externalId: string; summary: string; priority: string; stateCategory: string };
  rejection?: { line: number; reason: string };
}

export interface TicketPreview {
  recognition: Recognition;
  headers: string[];
  fields: string[];
  rows: PreviewRow[];
  warnings: ImportWarning[];
  emptyRows: number;
}

export type PreviewOutcome = { ok: true; preview: TicketPreview } | { ok: false; message: string; reason: string | null };

/** Asks the server how the file's first bytes would import; nothing is written. */
export async function fetchPreview(
  file: Blob & { name?: string },
  format: ImportFormat,
  mapping: string | null,
  choices: ImportChoices,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<PreviewOutcome> {
  const params = importParams(format, file.name ?? 'upload.csv', mapping, choices);
  try {
    const res = await fetchImpl(`/imports/tickets/preview?${params.toString()}`, {
      method: 'POST',
      body: file.slice(0, PREVIEW_BYTES),
      headers: { 'content-type': 'text/csv', 'X-Gatehouse-Import': '1' },
      credentials: 'same-origin',
    });
    const body = (await res.json().catch(() => null)) as (TicketPreview & { message?: string; reason?: string | null }) | null;
    if (res.ok && body) return { ok: true, preview: body };
    return { ok: false, message: body?.message ?? `The preview failed (HTTP ${res.status})`, reason: body?.reason ?? null };
  } catch {
    return { ok: false, message: 'Gatehouse could not be reached for the preview.', reason: null };
  }
}

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
const LANGUAGES: Record<string, string> = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', pt: 'Portuguese' };
const FORMATS: Record<string, string> = { servicenow: 'ServiceNow', jira: 'Jira', glpi: 'GLPI', zendesk: 'Zendesk', generic: 'CSV with a column mapping' };

/** Each ticket field as the column editor names it. */
const FIELD_LABELS: Record<string, string> = {
  externalId: 'Id',
  summary: 'Summary',
  description: 'Description',
  category: 'Category',
  subcategory: 'Subcategory',
  service: 'Service',
  symptom: 'Symptom',
  impact: 'Impact',
  urgency: 'Urgency',
  priority: 'Priority',
  state: 'State',
  stateCategory: 'Status category',
  assignmentGroup: 'Assignment group',
  requestingUnit: 'Requesting unit',
  problemRef: 'Problem',
  labels: 'Labels',
  requestType: 'Request type',
  openedAt: 'Opened',
  respondedAt: 'First response',
  resolvedAt: 'Resolved',
  closedAt: 'Closed',
  updatedAt: 'Last update (decides the newest)',
  madeSla: 'Desk’s SLA verdict',
  revision: 'Update count (decides the newest)',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** The recognition as label/value pairs for the preview's summary. */
export function recognitionFacts(r: Recognition): { label: string; value: string }[] {
  return [
    { label: 'Format', value: FORMATS[r.format] ?? r.format },
    { label: 'Delimiter', value: DELIMITERS[r.delimiter] ?? r.delimiter },
    { label: 'Encoding', value: r.encoding.toUpperCase() },
    { label: 'Column names', value: r.language ? (LANGUAGES[r.language] ?? r.language) : 'from the mapping' },
    {
      label: 'Date order',
      value:
        r.dateOrder === null
          ? r.dateOrderFrom === 'undecided'
            ? `not settled by the first rows (${r.dateOrderEvidence}): choose it`
            : 'no day/month dates'
          : `${r.dateOrder === 'dmy' ? 'day/month' : 'month/day'} ${r.dateOrderFrom === 'option' ? '(as chosen)' : `(from ${r.dateOrderEvidence})`}`,
    },
    { label: 'Time zone', value: r.timeZone },
  ];
}

export { importWarningText as warningText } from '@gatehouse/shared';
