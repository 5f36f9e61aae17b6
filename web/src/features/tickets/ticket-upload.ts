import {
  ErrorCode,
  megabytes,
  readUploadLine,
  TICKET_FILE_ACCEPT,
  TICKET_FORMATS,
  TICKET_UPLOAD_LIMIT_MB,
  type FileRecognition,
  type ImportWarning,
  type RowRejection,
  type TicketFormat,
  type UploadDoneLine,
  type UploadLine,
  type UploadProgressLine,
} from '@gatehouse/shared';
import { NdjsonError, readNdjson } from './ndjson-reader';

/**
 * The dashboard's upload of a service-desk export: `POST /imports/tickets` with the CSV as the body, answered
 * by a stream of NDJSON lines (progress every ~200 ms, then the result or an error).
 *
 * How the file is sent: Chromium hands neither `fetch` nor XMLHttpRequest the response before the request body
 * is sent completely (measured: a 10 MB file showed no progress line for 12 s, then half of them at once). The
 * server reads the body only as fast as it imports (back-pressure), so those seconds are most of the import.
 * XMLHttpRequest's upload events are the only progress a page gets in that time, so the browser sends with
 * `xhrTransport`; its response text becomes a byte stream that the same NDJSON reader reads through
 * `getReader()`, exactly as it reads `fetchTransport`'s `response.body` (kept for runtimes without XHR and for
 * tests). Streaming the body through fetch (`duplex: 'half'`) would count sent bytes too, but Chromium allows
 * it over HTTP/2 only, and Gatehouse serves HTTP/1.1.
 */
/** The formats the server reads (shared/), or 'auto' to have it recognised. */
export type ImportFormat = 'auto' | TicketFormat;
export const IMPORT_FORMATS: readonly ImportFormat[] = ['auto', ...TICKET_FORMATS];
export const FORMAT_LABELS: Record<ImportFormat, string> = {
  auto: 'Recognise it',
  servicenow: 'ServiceNow',
  jira: 'Jira (Cloud, Server, Service Management)',
  glpi: 'GLPI',
  zendesk: 'Zendesk',
  generic: 'Other CSV (column mapping)',
};

/** What the person chose besides the format: fields moved to other columns, the date order, the time zone. */
export interface ImportChoices {
  columns?: Record<string, string>;
  dateOrder?: 'dmy' | 'mdy' | null;
  timeZone?: string | null;
}

/** The import's query parameters, the same for the preview and the upload. */
export function importParams(format: ImportFormat, fileName: string, mapping?: string | null, choices: ImportChoices = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (format !== 'auto') params.set('format', format);
  params.set('name', fileName.slice(0, 200));
  if (format === 'generic' && mapping) params.set('mapping', mapping);
  if (format !== 'generic' && choices.columns && Object.keys(choices.columns).length > 0) params.set('columns', JSON.stringify(choices.columns));
  if (choices.dateOrder) params.set('dateOrder', choices.dateOrder);
  if (choices.timeZone && choices.timeZone !== 'UTC') params.set('timeZone', choices.timeZone);
  return params;
}

/** The answer's lines and how the server read the file: one protocol, in shared/ (upload-protocol.ts). */
export type Recognition = FileRecognition;
export type ImportProgress = UploadProgressLine;
export type ImportResult = UploadDoneLine;
export type ImportRejection = RowRejection;

export type { ImportWarning };

/** The server refuses larger bodies (413) at its default limit; the command line streams any size. */
export const MAX_UPLOAD_BYTES = megabytes(TICKET_UPLOAD_LIMIT_MB);
export const UPLOAD_LIMIT_TEXT = `${TICKET_UPLOAD_LIMIT_MB} MB`;
export { TICKET_FILE_ACCEPT };





type ImportLine = UploadLine;

/**
 * Why an import did not finish. Server codes come from the error line (or the HTTP status when a proxy answered
 * instead); the rest are found in the browser.
 */
export type ImportFailureCode =
  | ErrorCode
  | 'NETWORK'
  | 'ABORTED'
  /** The answer ended without a result: the connection dropped or the server stopped. */
  | 'INTERRUPTED'
  | 'TOO_LARGE'
  /** A 413 without our error line: something in front of Gatehouse (a proxy) has a lower limit than ours. */
  | 'REFUSED_BY_PROXY'
  | 'EMPTY_FILE'
  | 'NOT_CSV'
  | 'UNREADABLE';

export type ImportOutcome = { ok: true; result: ImportResult } | { ok: false; code: ImportFailureCode; detail: string; reason?: string | null };

export interface UploadRequest {
  url: string;
  file: Blob;
  headers: Record<string, string>;
  signal?: AbortSignal;
  onUploadProgress?: (sent: number, total: number) => void;
}

export interface UploadResponse {
  status: number;
  body: ReadableStream<Uint8Array> | null;
}

/** Sends the request; resolves once the response starts, rejects when no response came at all. */
export type UploadTransport = (request: UploadRequest) => Promise<UploadResponse>;

export function importUrl(format: ImportFormat, fileName: string, mapping?: string | null, choices?: ImportChoices): string {
  return `/imports/tickets?${importParams(format, fileName, mapping, choices).toString()}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line of the answer, checked; null for a type this client does not know (a newer server may add some). */
export function toImportLine(value: unknown): ImportLine | null {
  if (!isObject(value)) throw new NdjsonError('A line of the answer is not an object', JSON.stringify(value)?.slice(0, 200) ?? '');
  return readUploadLine(value);
}

function knownCode(code: string): ImportFailureCode {
  return code in ErrorCode ? (code as ErrorCode) : ErrorCode.INTERNAL_SERVER_ERROR;
}

/** The code for an answer that carried no error line of ours (a proxy's page, an empty body). */
export function codeForStatus(status: number): ImportFailureCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 413) return 'REFUSED_BY_PROXY';
  if (status === 429) return ErrorCode.RATE_LIMITED;
  if (status === 502 || status === 503 || status === 504) return ErrorCode.SERVICE_UNAVAILABLE;
  if (status >= 400 && status < 500) return ErrorCode.BAD_USER_INPUT;
  if (status >= 500) return ErrorCode.INTERNAL_SERVER_ERROR;
  return 'INTERRUPTED';
}

/**
 * What an answer that is not ours said, for the page: the HTTP status and the title (or first text) of its page,
 * e.g. "HTTP 413 Request Entity Too Large" from nginx, so an administrator can tell which part refused.
 */
export function answerSummary(status: number, text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? text.replace(/<[^>]*>/g, ' ');
  const said = title.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (said === '') return `HTTP ${status}`;
  return said.startsWith(String(status)) ? `HTTP ${said}` : `HTTP ${status}: ${said}`;
}

/** The whole (small) body of a refusal, as text; a refusal is one error line of ours or a proxy's page. */
async function readText(body: ReadableStream<Uint8Array>, limit = 64 * 1024): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || text.length >= limit) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** A refusal (status 400 or more): our error line when the body has one, else the status and what the page said. */
async function refusal(status: number, body: ReadableStream<Uint8Array>): Promise<ImportOutcome> {
  const text = await readText(body);
  for (const raw of text.split('\n')) {
    let line: UploadLine | null = null;
    try {
      const value: unknown = JSON.parse(raw);
      line = isObject(value) ? readUploadLine(value) : null;
    } catch {
      continue; // a line of a page, not ours
    }
    if (line?.type === 'error') return { ok: false, code: knownCode(line.code), detail: line.message, reason: line.reason };
  }
  return failure(codeForStatus(status), answerSummary(status, text));
}

const isAbort = (e: unknown) => (e instanceof DOMException || e instanceof Error) && e.name === 'AbortError';
const failure = (code: ImportFailureCode, detail = ''): ImportOutcome => ({ ok: false, code, detail });

export interface UploadOptions {
  file: Blob & { name?: string };
  format: ImportFormat;
  /** The generic format's column mapping as compact JSON. */
  mapping?: string | null;
  choices?: ImportChoices;
  transport?: UploadTransport;
  signal?: AbortSignal;
  onUpload?: (sent: number, total: number) => void;
  onProgress?: (progress: ImportProgress) => void;
}

/** Sends one file and follows the answer to its end; never throws. */
export async function uploadTicketFile(options: UploadOptions): Promise<ImportOutcome> {
  const transport = options.transport ?? defaultTransport();
  let response: UploadResponse;
  try {
    response = await transport({
      url: importUrl(options.format, options.file.name ?? 'upload.csv', options.mapping, options.choices),
      file: options.file,
      headers: { 'content-type': 'text/csv', 'X-Gatehouse-Import': '1' },
      signal: options.signal,
      onUploadProgress: options.onUpload,
    });
  } catch (e) {
    return failure(isAbort(e) ? 'ABORTED' : 'NETWORK');
  }
  if (!response.body) return failure(codeForStatus(response.status), response.status >= 400 ? `HTTP ${response.status}` : '');
  try {
    if (response.status >= 400) return await refusal(response.status, response.body);
    for await (const value of readNdjson(response.body)) {
      const line = toImportLine(value);
      if (line?.type === 'progress') options.onProgress?.(line);
      else if (line?.type === 'done') return { ok: true, result: line };
      else if (line?.type === 'error') return { ok: false, code: knownCode(line.code), detail: line.message, reason: line.reason };
    }
  } catch (e) {
    if (isAbort(e) || options.signal?.aborted) return failure('ABORTED');
    // A line that is not ours, or a stream that broke off.
    return failure('INTERRUPTED');
  }
  return failure(options.signal?.aborted ? 'ABORTED' : 'INTERRUPTED');
}

/** fetch: the response body read through its own stream. */
export function fetchTransport(fetchImpl: typeof fetch = (...args) => fetch(...args)): UploadTransport {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: 'POST',
      body: request.file,
      headers: request.headers,
      credentials: 'same-origin',
      signal: request.signal,
    });
    // fetch gives no upload events; the body has been sent by the time the response starts.
    request.onUploadProgress?.(request.file.size, request.file.size);
    return { status: response.status, body: response.body };
  };
}

/** XMLHttpRequest: upload events while the file is sent, then the response text as a byte stream. */
export const xhrTransport: UploadTransport = (request) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    const encoder = new TextEncoder();
    let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
    let closed = false;
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      cancel: () => {
        closed = true;
        xhr.abort();
      },
    });
    const flush = () => {
      const text = xhr.responseText;
      if (closed || text.length <= seen) return;
      controller?.enqueue(encoder.encode(text.slice(seen)));
      seen = text.length;
    };
    const end = (error?: Error) => {
      if (closed) return;
      closed = true;
      if (error) controller?.error(error);
      else controller?.close();
    };
    let answered = false;
    const fail = (error: Error) => (answered ? end(error) : reject(error));

    xhr.upload.onprogress = (e) => request.onUploadProgress?.(e.loaded, e.lengthComputable ? e.total : request.file.size);
    xhr.onreadystatechange = () => {
      if (xhr.readyState >= XMLHttpRequest.HEADERS_RECEIVED && !answered) {
        answered = true;
        resolve({ status: xhr.status, body });
      }
    };
    xhr.onprogress = flush;
    xhr.onload = () => {
      flush();
      end();
    };
    xhr.onerror = () => fail(new TypeError('The upload failed: no answer from the server'));
    xhr.onabort = () => fail(new DOMException('The upload was stopped', 'AbortError'));
    if (request.signal?.aborted) {
      reject(new DOMException('The upload was stopped', 'AbortError'));
      return;
    }
    request.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(request.file);
  });

export function defaultTransport(): UploadTransport {
  return typeof XMLHttpRequest === 'undefined' ? fetchTransport() : xhrTransport;
}

/** Checks before sending anything: an empty file, one too large for the server, one that is not text. */
export async function checkImportFile(file: Blob): Promise<ImportFailureCode | null> {
  if (file.size === 0) return 'EMPTY_FILE';
  if (file.size > MAX_UPLOAD_BYTES) return 'TOO_LARGE';
  let head: Uint8Array;
  try {
    head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  } catch {
    return 'UNREADABLE';
  }
  // NUL bytes: a spreadsheet or an archive (UTF-16 text has them in every other byte, and is read).
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || head.filter((b, i) => i % 2 === 1 && b === 0).length > head.length / 4;
  return !utf16 && head.includes(0) ? 'NOT_CSV' : null;
}

/** What the page says for each failure, chosen by code; the server's own detail is shown beside it. */
export function importFailureMessage(code: ImportFailureCode, format: ImportFormat): string {
  const again = 'Batches already reported were saved; importing the same file again finishes the job without doubling anything.';
  switch (code) {
    case ErrorCode.FORBIDDEN:
      return 'Only admins of the organisation import tickets; your roles do not allow it.';
    case ErrorCode.UNAUTHENTICATED:
      return 'Your session has ended. Sign in again, then choose the file again.';
    case ErrorCode.BAD_USER_INPUT:
      return format === 'generic'
        ? 'The file was not accepted: the mapping does not fit it, or it is not a readable CSV file.'
        : format === 'auto'
          ? 'The file was not accepted: see what the server said below, then choose the format, the date order or the columns above.'
          : `The file was not accepted: it does not look like a ${FORMAT_LABELS[format]} export, or it is not a readable CSV file. Check the format chosen above.`;
    case 'TOO_LARGE':
      return `The file is larger than ${UPLOAD_LIMIT_TEXT}. Import it with the command line (npm run import -- tickets FILE.csv), which streams any size.`;
    case 'REFUSED_BY_PROXY':
      return `The file was refused as too large before it reached Gatehouse, which takes up to ${UPLOAD_LIMIT_TEXT}: a proxy in front of it has a lower limit (see what it answered below). Ask your administrator to raise it (deploy/nginx.conf shows how), or import the file with the command line (npm run import -- tickets FILE.csv).`;
    case 'EMPTY_FILE':
      return 'The file is empty: a CSV export starts with a header row.';
    case 'NOT_CSV':
      return 'This is not a CSV text file: it contains binary data (a spreadsheet or an archive). Save it as CSV and try again.';
    case 'UNREADABLE':
      return 'The file could not be read. Was it moved or deleted after you chose it? Choose it again.';
    case ErrorCode.RATE_LIMITED:
      return 'Too many requests. Wait a minute, then try again.';
    case ErrorCode.SERVICE_UNAVAILABLE:
      return `Gatehouse is unavailable for a moment. ${again}`;
    case 'NETWORK':
      return `Gatehouse could not be reached, so the upload did not finish. ${again}`;
    case 'INTERRUPTED':
      return `The import stopped before it finished. ${again}`;
    case 'ABORTED':
      return `You stopped the import. ${again}`;
    default:
      return `The import failed on the server. ${again}`;
  }
}
