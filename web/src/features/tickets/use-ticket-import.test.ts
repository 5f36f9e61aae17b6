import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import type { UploadRequest, UploadResponse, UploadTransport } from './ticket-upload';
import { importPercent, importRate, useTicketImport } from './use-ticket-import';

/** A transport the test drives: upload progress, then lines of the answer, then the end. */
function manualTransport() {
  let request!: UploadRequest;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let respond!: (r: UploadResponse) => void;
  const transport: UploadTransport = (r) => {
    request = r;
    r.signal?.addEventListener('abort', () => controller?.error(new DOMException('stopped', 'AbortError')));
    return new Promise((resolve) => (respond = resolve));
  };
  const encoder = new TextEncoder();
  return {
    transport,
    get request() {
      return request;
    },
    sent(bytes: number, total: number) {
      request.onUploadProgress?.(bytes, total);
    },
    answer(status = 200) {
      respond({ status, body: new ReadableStream({ start: (c) => void (controller = c) }) });
    },
    line(value: unknown) {
      controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
    },
    end() {
      controller.close();
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const csv = new File(['number,opened_at\nINC1,29-02-2016 01:16\n'], 'incidents.csv', { type: 'text/csv' });

describe('the ticket import composable', () => {
  it('goes from sending to importing to done, with percent, rows and rows per second', async () => {
    // Setup
    let clock = 0;
    const net = manualTransport();
    const scope = effectScope();
    const importer = scope.run(() => useTicketImport({ transport: net.transport, now: () => clock }))!;

    // Action: start; the file goes up.
    const running = importer.start(csv, 'servicenow', null);
    await tick();
    expect(importer.phase.value).toBe('sending');
    expect(importer.loading.value).toBe(true);
    clock = 500;
    net.sent(20, 40);
    expect(importer.sentPercent.value).toBe(50);
    expect(importer.percent.value).toBe(0);

    // The answer starts once the file is sent; the server reports progress.
    net.sent(40, 40);
    net.answer();
    clock = 1000;
    net.line({ type: 'progress', rows: 3000, bytes: 20, totalBytes: 40, percent: 50 });
    await tick();
    expect(importer.phase.value).toBe('importing');
    expect(importer.percent.value).toBe(50);
    expect(importer.rowsPerSecond.value).toBe(3000);

    clock = 2000;
    net.line({ type: 'progress', rows: 5998, bytes: 40, totalBytes: 40, percent: 100 });
    net.line({ type: 'done', rows: 5998, inserted: 890, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 64, rejections: [] });
    net.end();
    await running;

    // Assert
    expect(importer.phase.value).toBe('done');
    expect(importer.percent.value).toBe(100);
    expect(importer.data.value).toMatchObject({ inserted: 890, slaDisagreements: 64 });
    expect(importer.error.value).toBeNull();
    expect(importer.rowsPerSecond.value).toBe(2999);
    expect(net.request.url).toBe('/imports/tickets?format=servicenow&name=incidents.csv');
    scope.stop();
  });

  it('refuses a binary file before sending anything', async () => {
    const net = manualTransport();
    const scope = effectScope();
    const importer = scope.run(() => useTicketImport({ transport: net.transport }))!;
    await importer.start(new File([Uint8Array.of(0x50, 0x4b, 0x00, 0x01)], 'tickets.xlsx'), 'servicenow', null);
    expect(importer.phase.value).toBe('failed');
    expect(importer.error.value).toMatchObject({ code: 'NOT_CSV', message: expect.stringMatching(/not a CSV text file/) });
    expect(net.request).toBeUndefined();
    scope.stop();
  });

  it('shows a refusal by its code with the server’s words beside it', async () => {
    const net = manualTransport();
    const scope = effectScope();
    const importer = scope.run(() => useTicketImport({ transport: net.transport }))!;
    const running = importer.start(csv, 'jira', null);
    await tick();
    net.answer(400);
    net.line({ type: 'error', code: 'BAD_USER_INPUT', message: 'a Jira export needs the columns "Issue key" and "Summary"' });
    net.end();
    await running;
    expect(importer.error.value).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/does not look like a Jira \(Cloud, Server, Service Management\) export/),
      detail: 'a Jira export needs the columns "Issue key" and "Summary"',
      reason: null,
    });
    scope.stop();
  });

  it('sends the chosen date order, and keeps the reason of a refusal that asks for it', async () => {
    // Setup
    const net = manualTransport();
    const scope = effectScope();
    const importer = scope.run(() => useTicketImport({ transport: net.transport }))!;

    // Action: the first try leaves the order to the file, which cannot settle it.
    const first = importer.start(csv, 'auto', null, { dateOrder: null });
    await tick();
    expect(new URL(net.request.url, 'http://x').searchParams.has('dateOrder')).toBe(false);
    net.answer(400);
    net.line({ type: 'error', code: 'BAD_USER_INPUT', message: 'the dates of this file could be day/month or month/day', reason: 'DATE_ORDER_UNKNOWN' });
    net.end();
    await first;

    // Assert
    expect(importer.error.value?.reason).toBe('DATE_ORDER_UNKNOWN');
    const second = importer.start(csv, 'auto', null, { dateOrder: 'dmy' });
    await tick();
    expect(new URL(net.request.url, 'http://x').searchParams.get('dateOrder')).toBe('dmy');
    expect(importer.error.value).toBeNull();
    net.answer();
    net.line({ type: 'done', rows: 1, inserted: 1, updated: 0, unchanged: 0, rejected: 0, slaDisagreements: 0, rejections: [], warnings: [] });
    net.end();
    await second;
    expect(importer.phase.value).toBe('done');
    scope.stop();
  });

  it('stops when asked, and when the page goes away', async () => {
    const net = manualTransport();
    const scope = effectScope();
    const importer = scope.run(() => useTicketImport({ transport: net.transport }))!;
    const running = importer.start(csv, 'servicenow', null);
    await tick();
    net.answer();
    net.line({ type: 'progress', rows: 10, bytes: 10, totalBytes: 40, percent: 25 });
    await tick();
    importer.cancel();
    await running;
    expect(importer.error.value?.code).toBe('ABORTED');

    const again = importer.start(csv, 'servicenow', null);
    await tick();
    net.answer();
    scope.stop();
    await again;
    expect(importer.error.value?.code).toBe('ABORTED');
  });

  it('computes rates and percents only from what is known', () => {
    expect(importRate(0, 1000)).toBeNull();
    expect(importRate(100, 100)).toBeNull();
    expect(importRate(5998, 2000)).toBe(2999);
    expect(importPercent(null)).toBe(0);
    expect(importPercent({ type: 'progress', rows: 1, bytes: 25, totalBytes: 100, percent: null })).toBe(25);
    expect(importPercent({ type: 'progress', rows: 1, bytes: 25, totalBytes: null, percent: null })).toBe(0);
  });
});
