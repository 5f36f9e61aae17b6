import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkImportFile,
  codeForStatus,
  fetchTransport,
  importFailureMessage,
  importUrl,
  uploadTicketFile,
  xhrTransport,
  type ImportProgress,
  type UploadRequest,
  type UploadTransport,
} from './ticket-upload';

const encoder = new TextEncoder();
const ndjson = (...values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n';

/** A transport answering with the status and body text, cut into pieces of `chunk` bytes. */
function answering(status: number, text: string, chunk = 7): UploadTransport & { requests: UploadRequest[] } {
  const requests: UploadRequest[] = [];
  const transport = async (request: UploadRequest) => {
    requests.push(request);
    request.onUploadProgress?.(request.file.size, request.file.size);
    const bytes = encoder.encode(text);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) return c.close();
        c.enqueue(bytes.slice(at, at + chunk));
        at += chunk;
      },
    });
    return { status, body };
  };
  return Object.assign(transport, { requests });
}

const file = (text = 'number,opened_at\nINC1,29-02-2016 01:16\n', name = 'incidents.csv') => new File([text], name, { type: 'text/csv' });
const recognition = {
  format: 'servicenow',
  source: 'SERVICENOW',
  language: 'en',
  encoding: 'utf-8',
  delimiter: ',',
  dateOrder: 'dmy',
  dateOrderFrom: 'file',
  dateOrderEvidence: '"29-02-2016 01:16" (opened_at, line 2)',
  timeZone: 'UTC',
  columns: { externalId: 'number', openedAt: 'opened_at' },
};
const done = {
  type: 'done',
  rows: 5998,
  inserted: 890,
  updated: 0,
  unchanged: 0,
  rejected: 1,
  slaDisagreements: 64,
  emptyRows: 2,
  rejections: [{ line: 12, reason: 'the incident number is empty' }],
  warnings: [{ kind: 'UNKNOWN_STATE', column: 'incident_state', value: 'Parked', count: 3 }],
  recognition,
};

describe('uploading a ticket export', () => {
  it('posts the file with the import header and reports progress, then the result', async () => {
    // Setup
    const transport = answering(200, ndjson({ type: 'progress', rows: 2000, bytes: 600_000, totalBytes: 2_004_534, percent: 29.9 }, { type: 'progress', rows: 5998, bytes: 2_004_534, totalBytes: 2_004_534, percent: 100 }, done));
    const progress: ImportProgress[] = [];
    const uploads: number[] = [];

    // Action
    const outcome = await uploadTicketFile({ file: file(), format: 'servicenow', transport, onProgress: (p) => progress.push(p), onUpload: (sent) => uploads.push(sent) });

    // Assert
    expect(outcome).toEqual({ ok: true, result: done });
    expect(progress.map((p) => p.percent)).toEqual([29.9, 100]);
    expect(uploads).toEqual([file().size]);
    expect(transport.requests[0].url).toBe('/imports/tickets?format=servicenow&name=incidents.csv');
    expect(transport.requests[0].headers).toEqual({ 'content-type': 'text/csv', 'X-Gatehouse-Import': '1' });
  });

  it('sends the generic format’s mapping in the query, encoded', () => {
    const url = importUrl('generic', 'help desk.csv', '{"columns":{"summary":"title & body"},"idFromLine":true}');
    const params = new URL(url, 'http://x').searchParams;
    expect(params.get('format')).toBe('generic');
    expect(params.get('name')).toBe('help desk.csv');
    expect(JSON.parse(params.get('mapping')!)).toEqual({ columns: { summary: 'title & body' }, idFromLine: true });
    expect(importUrl('jira', 'x.csv', '{"a":1}')).not.toContain('mapping');
  });

  it('answers the error line’s code and the server’s words (forbidden, wrong format)', async () => {
    const forbidden = await uploadTicketFile({ file: file(), format: 'jira', transport: answering(403, ndjson({ type: 'error', code: 'FORBIDDEN', message: 'Not allowed' })) });
    expect(forbidden).toEqual({ ok: false, code: 'FORBIDDEN', detail: 'Not allowed', reason: null });
    const wrong = await uploadTicketFile({
      file: file(),
      format: 'jira',
      transport: answering(400, ndjson({ type: 'error', code: 'BAD_USER_INPUT', message: 'a Jira export needs the columns "Issue key"' })),
    });
    expect(wrong).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
    // A file whose dates could be either order: the reason lets the page ask for the order.
    const undated = await uploadTicketFile({
      file: file(),
      format: 'auto',
      transport: answering(400, ndjson({ type: 'error', code: 'BAD_USER_INPUT', message: 'the dates of this file could be day/month or month/day', reason: 'DATE_ORDER_UNKNOWN' })),
    });
    expect(undated).toEqual({ ok: false, code: 'BAD_USER_INPUT', detail: 'the dates of this file could be day/month or month/day', reason: 'DATE_ORDER_UNKNOWN' });
    // An error after some progress (the server failed mid-way) is an error too.
    const midway = await uploadTicketFile({ file: file(), format: 'servicenow', transport: answering(200, ndjson({ type: 'progress', rows: 1, bytes: 1, totalBytes: 2, percent: 50 }, { type: 'error', code: 'WHAT', message: 'x' })) });
    expect(midway).toMatchObject({ ok: false, code: 'INTERNAL_SERVER_ERROR' });
  });

  it('reads a refusal that is not ours (a proxy’s HTML page) by its HTTP status, and says what the page said', async () => {
    const outcome = await uploadTicketFile({ file: file(), format: 'servicenow', transport: answering(502, '<html><body>Bad Gateway</body></html>') });
    expect(outcome).toEqual({ ok: false, code: 'SERVICE_UNAVAILABLE', detail: 'HTTP 502: Bad Gateway' });
    const empty = await uploadTicketFile({ file: file(), format: 'servicenow', transport: answering(401, '') });
    expect(empty).toEqual({ ok: false, code: 'UNAUTHENTICATED', detail: 'HTTP 401' });
    expect(codeForStatus(401)).toBe('UNAUTHENTICATED');
    expect(codeForStatus(502)).toBe('SERVICE_UNAVAILABLE');
  });

  it('tells a proxy’s 413 from the server’s limit: the page names the proxy’s answer, not our 500 MB', async () => {
    // nginx's page for a body over client_max_body_size, byte for byte (CRLF lines).
    const nginx = '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
    const proxied = await uploadTicketFile({ file: file(), format: 'servicenow', transport: answering(413, nginx) });
    expect(proxied).toEqual({ ok: false, code: 'REFUSED_BY_PROXY', detail: 'HTTP 413 Request Entity Too Large' });
    const message = importFailureMessage('REFUSED_BY_PROXY', 'servicenow');
    expect(message).toContain('a proxy in front of it has a lower limit');
    expect(message).not.toMatch(/^The file is larger than/);
    // Our own 413 carries its error line, whose message is what the page shows.
    const ours = await uploadTicketFile({
      file: file(),
      format: 'servicenow',
      transport: answering(413, ndjson({ type: 'error', code: 'BAD_USER_INPUT', message: 'The file is larger than 500 MB: use the command line', reason: null })),
    });
    expect(ours).toEqual({ ok: false, code: 'BAD_USER_INPUT', detail: 'The file is larger than 500 MB: use the command line', reason: null });
  });

  it('says the import was interrupted when the answer ends without a result', async () => {
    const outcome = await uploadTicketFile({ file: file(), format: 'servicenow', transport: answering(200, ndjson({ type: 'progress', rows: 10, bytes: 10, totalBytes: 100, percent: 10 })) });
    expect(outcome).toEqual({ ok: false, code: 'INTERRUPTED', detail: '' });
  });

  it('reads a result without warnings or recognition (an older server) as none', async () => {
    const { warnings: _w, recognition: _r, emptyRows: _e, ...older } = done;
    const outcome = await uploadTicketFile({ file: file(), format: 'servicenow', transport: answering(200, ndjson(older)) });
    expect(outcome).toMatchObject({ ok: true, result: { warnings: [], recognition: null, emptyRows: 0 } });
  });

  it('sends the date order, time zone and moved columns the person chose, and no format when it is to be recognised', () => {
    const params = new URL(importUrl('auto', 'x.csv', null, { dateOrder: 'mdy', timeZone: 'Europe/Lisbon', columns: { updatedAt: 'Last update' } }), 'http://x').searchParams;
    expect(params.has('format')).toBe(false);
    expect(params.get('dateOrder')).toBe('mdy');
    expect(params.get('timeZone')).toBe('Europe/Lisbon');
    expect(JSON.parse(params.get('columns')!)).toEqual({ updatedAt: 'Last update' });
    // UTC is the server's default: not sent.
    expect(new URL(importUrl('auto', 'x.csv', null, { timeZone: 'UTC' }), 'http://x').searchParams.has('timeZone')).toBe(false);
  });

  it('ignores line types it does not know', async () => {
    const outcome = await uploadTicketFile({ file: file(), format: 'servicenow', transport: answering(200, ndjson({ type: 'heartbeat' }, done)) });
    expect(outcome.ok).toBe(true);
  });

  it('tells a network failure from a stop by the person', async () => {
    const network = await uploadTicketFile({ file: file(), format: 'servicenow', transport: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(network).toMatchObject({ ok: false, code: 'NETWORK' });
    const stopped = await uploadTicketFile({ file: file(), format: 'servicenow', transport: () => Promise.reject(new DOMException('stopped', 'AbortError')) });
    expect(stopped).toMatchObject({ ok: false, code: 'ABORTED' });
  });

  it('explains each failure by its code, never with the server’s message', () => {
    expect(importFailureMessage('FORBIDDEN' as never, 'servicenow')).toMatch(/Only admins/);
    expect(importFailureMessage('BAD_USER_INPUT' as never, 'servicenow')).toMatch(/ServiceNow export/);
    expect(importFailureMessage('BAD_USER_INPUT' as never, 'generic')).toMatch(/mapping/);
    expect(importFailureMessage('NOT_CSV', 'jira')).toMatch(/not a CSV text file/);
    expect(importFailureMessage('INTERRUPTED', 'jira')).toMatch(/again finishes/);
  });
});

describe('checking a file before sending it', () => {
  it('refuses an empty file and one with binary content, and passes a CSV', async () => {
    expect(await checkImportFile(new File([], 'empty.csv'))).toBe('EMPTY_FILE');
    expect(await checkImportFile(new File([Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x00, 0x00)], 'tickets.xlsx'))).toBe('NOT_CSV');
    expect(await checkImportFile(file())).toBeNull();
  });

  it('refuses a file the server would refuse for its size', async () => {
    const huge = { size: 600 * 1024 * 1024, slice: () => new Blob(['x']) } as unknown as Blob;
    expect(await checkImportFile(huge)).toBe('TOO_LARGE');
  });
});

describe('the fetch transport', () => {
  it('posts with the cookie and hands over the response body', async () => {
    const fetchImpl = vi.fn(async () => new Response(ndjson(done), { status: 200 }));
    const outcome = await uploadTicketFile({ file: file(), format: 'servicenow', transport: fetchTransport(fetchImpl as never) });
    expect(outcome.ok).toBe(true);
    expect(fetchImpl).toHaveBeenCalledWith('/imports/tickets?format=servicenow&name=incidents.csv', expect.objectContaining({ method: 'POST', credentials: 'same-origin' }));
  });
});

/** Enough of XMLHttpRequest to drive the transport: the test plays the network. */
class FakeXhr {
  static HEADERS_RECEIVED = 2;
  static last: FakeXhr;
  readyState = 0;
  status = 0;
  responseText = '';
  headers: Record<string, string> = {};
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onreadystatechange: (() => void) | null = null;
  onprogress: (() => void) | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  url = '';
  sent: unknown;
  constructor() {
    FakeXhr.last = this;
  }
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.onabort?.();
  }
  // The network's side:
  uploaded(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  respond(status: number) {
    this.status = status;
    this.readyState = 2;
    this.onreadystatechange?.();
  }
  receive(text: string) {
    this.readyState = 3;
    this.responseText += text;
    this.onprogress?.();
  }
  finish() {
    this.readyState = 4;
    this.onload?.();
  }
}

describe('the XMLHttpRequest transport', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reports upload progress, then streams the response text to the NDJSON reader as it grows', async () => {
    // Setup
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const progress: number[] = [];
    const uploads: number[] = [];
    const running = uploadTicketFile({ file: file(), format: 'servicenow', transport: xhrTransport, onUpload: (s) => uploads.push(s), onProgress: (p) => progress.push(p.rows) });
    const xhr = FakeXhr.last;
    expect(xhr.headers['X-Gatehouse-Import']).toBe('1');

    // Action: the file goes up, then the answer arrives in pieces cut mid-line.
    xhr.uploaded(20, 40);
    xhr.uploaded(40, 40);
    xhr.respond(200);
    const text = ndjson({ type: 'progress', rows: 3000, bytes: 20, totalBytes: 40, percent: 50 }, { type: 'progress', rows: 5998, bytes: 40, totalBytes: 40, percent: 100 }, done);
    xhr.receive(text.slice(0, 30));
    xhr.receive(text.slice(30, 95));
    xhr.receive(text.slice(95));
    xhr.finish();

    // Assert
    expect(await running).toEqual({ ok: true, result: done });
    expect(uploads).toEqual([20, 40]);
    expect(progress).toEqual([3000, 5998]);
  });

  it('fails as a network failure when no answer came, and stops on abort', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const failed = uploadTicketFile({ file: file(), format: 'servicenow', transport: xhrTransport });
    FakeXhr.last.onerror?.();
    expect(await failed).toMatchObject({ code: 'NETWORK' });

    const controller = new AbortController();
    const stopped = uploadTicketFile({ file: file(), format: 'servicenow', transport: xhrTransport, signal: controller.signal });
    FakeXhr.last.respond(200);
    FakeXhr.last.receive(ndjson({ type: 'progress', rows: 1, bytes: 1, totalBytes: 10, percent: 10 }));
    await Promise.resolve();
    controller.abort();
    expect(await stopped).toMatchObject({ code: 'ABORTED' });
  });
});
