import { readMeasureImportLine, type MeasureImportReport } from '@gatehouse/shared';
import { NdjsonError, readNdjson } from '../tickets/ndjson-reader';
import { downloadBlob } from './measure-csv';

/**
 * The dashboard's side of the measure import and export (server: measure-import.route.ts; the answer's lines are
 * the shared measure-import-protocol.ts): the file goes as the body of POST /imports/measures, the NDJSON answer
 * is read as it arrives, progress line by progress line, and the export comes back as a file to save.
 */
export type { MeasureImportReport };

export class MeasureImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MeasureImportError';
  }
}

export async function uploadMeasures(
  file: Blob,
  dryRun: boolean,
  onProgress: (percent: number, done: number) => void,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<MeasureImportReport> {
  let response: Response;
  try {
    response = await fetchImpl(`/imports/measures${dryRun ? '?dryRun=1' : ''}`, {
      method: 'POST',
      body: file,
      headers: { 'x-gatehouse-import': '1', 'content-type': 'application/octet-stream' },
      credentials: 'same-origin',
    });
  } catch {
    throw new MeasureImportError('NETWORK', 'Gatehouse could not be reached. Check the connection and try again.');
  }
  if (!response.body) throw new MeasureImportError('NETWORK', `The server answered without a body (HTTP ${response.status}).`);
  try {
    for await (const value of readNdjson(response.body)) {
      const line = value && typeof value === 'object' ? readMeasureImportLine(value as Record<string, unknown>) : null;
      if (!line) continue;
      if (line.type === 'progress') onProgress(line.percent ?? 0, line.rows);
      else if (line.type === 'error') throw new MeasureImportError(line.code, line.message);
      else return line.report;
    }
  } catch (e) {
    if (e instanceof MeasureImportError) throw e;
    if (e instanceof NdjsonError) throw new MeasureImportError('BAD_ANSWER', 'The server sent an answer the dashboard cannot read.');
    throw new MeasureImportError('NETWORK', 'The connection broke off. Batches already reported were saved; import the file again to finish.');
  }
  throw new MeasureImportError('NETWORK', `The server ended the answer without a result (HTTP ${response.status}).`);
}

/** The export as a file the browser saves: GET /exports/measures.xlsx|csv, below the scope when given. */
export async function downloadMeasures(format: 'xlsx' | 'csv', scopeId: string | null, fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<string> {
  const query = scopeId ? `?scopeId=${encodeURIComponent(scopeId)}` : '';
  const response = await fetchImpl(`/exports/measures.${format}${query}`, { credentials: 'same-origin' });
  if (!response.ok) throw new MeasureImportError(String(response.status), `The export failed (HTTP ${response.status}).`);
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `measures.${format}`;
  downloadBlob(name, await response.blob());
  return name;
}
