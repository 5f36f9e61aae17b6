import { describe, expect, it } from 'vitest';
import { MeasureImportError, uploadMeasures } from './measure-import';

/** A fetch whose answer arrives in the given chunks, recording what was sent. */
function fakeFetch(chunks: string[], sent: { url?: string; init?: RequestInit } = {}): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    sent.url = url;
    sent.init = init;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(encoder.encode(c));
        controller.close();
      },
    });
    return new Response(body, { status: 200 });
  }) as unknown as typeof fetch;
}

const report = { dryRun: false, rows: 3, created: 2, updated: 0, unchanged: 0, rejected: 1, plans: [], issues: [{ row: 4, column: 'lever', code: 'BAD_USER_INPUT', reason: 'no lever' }] };

describe('the measure upload', () => {
  it('posts the file with the import header and reads progress and the report, however the lines were cut', async () => {
    const sent: { url?: string; init?: RequestInit } = {};
    const progress: number[] = [];
    const text = `{"type":"progress","rows":0,"bytes":0,"totalBytes":null,"percent":0}\n{"type":"progress","rows":2,"bytes":0,"totalBytes":null,"percent":100}\n${JSON.stringify({ type: 'measures-done', report })}\n`;
    const result = await uploadMeasures(new Blob(['x']), true, (p) => progress.push(p), fakeFetch([text.slice(0, 30), text.slice(30, 95), text.slice(95)], sent));
    expect(sent.url).toBe('/imports/measures?dryRun=1');
    expect((sent.init!.headers as Record<string, string>)['x-gatehouse-import']).toBe('1');
    expect(progress).toEqual([0, 100]);
    expect(result).toEqual(report);
  });

  it('turns an error line into an error with its code and message', async () => {
    const fetchImpl = fakeFetch(['{"type":"error","code":"BAD_USER_INPUT","message":"The file is empty","reason":null}\n']);
    await expect(uploadMeasures(new Blob([]), false, () => undefined, fetchImpl)).rejects.toEqual(new MeasureImportError('BAD_USER_INPUT', 'The file is empty'));
  });
});
