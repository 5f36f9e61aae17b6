import { describe, expect, it, vi } from 'vitest';
import { evidenceUploadUrl, uploadEvidenceFile, type EvidenceTransport } from './evidence-upload';

const file = (size: number, name = 'report.pdf') => Object.assign(new Blob([new Uint8Array(size)]), { name });
const answering = (status: number, text: string): EvidenceTransport => vi.fn(async (_url, f, onProgress) => {
  onProgress(f.size / 2, f.size);
  onProgress(f.size, f.size);
  return { status, text };
});

describe('uploading an evidence file', () => {
  it('sends the name, kind, title and note as query parameters', () => {
    expect(evidenceUploadUrl({ measureId: 'm-1', file: file(3, 'Prüfbericht 1.pdf'), kind: 'VALUE', title: ' Ledger ', note: '' })).toBe(
      '/measures/m-1/evidence/files?name=Pr%C3%BCfbericht+1.pdf&kind=VALUE&title=Ledger',
    );
  });

  it('reports the bytes sent and answers the new evidence', async () => {
    const progress: [number, number][] = [];
    const transport = answering(201, JSON.stringify({ id: 'e-1' }));
    const outcome = await uploadEvidenceFile({ measureId: 'm-1', file: file(10), kind: 'IMPLEMENTATION', onProgress: (s, t) => progress.push([s, t]) }, transport);
    expect(outcome).toEqual({ ok: true, id: 'e-1' });
    expect(progress).toEqual([
      [5, 10],
      [10, 10],
    ]);
  });

  it('refuses an empty file and one over 25 MB without sending anything', async () => {
    const transport = answering(201, '{}');
    expect(await uploadEvidenceFile({ measureId: 'm-1', file: file(0), kind: 'VALUE' }, transport)).toEqual({ ok: false, message: 'The file is empty.' });
    expect(await uploadEvidenceFile({ measureId: 'm-1', file: file(25 * 1024 * 1024 + 1), kind: 'VALUE' }, transport)).toEqual({
      ok: false,
      message: 'The file is larger than 25 MB: evidence files take up to 25 MB.',
    });
    expect(transport).not.toHaveBeenCalled();
  });

  it('shows the server’s message for a refusal (413, 415, 409), and says what a proxy’s 413 means', async () => {
    const refused = (status: number, text: string) => uploadEvidenceFile({ measureId: 'm-1', file: file(4), kind: 'VALUE' }, answering(status, text));
    expect(await refused(415, JSON.stringify({ code: 'BAD_USER_INPUT', message: 'This file type is not taken as evidence' }))).toEqual({ ok: false, message: 'This file type is not taken as evidence' });
    expect(await refused(413, JSON.stringify({ code: 'BAD_USER_INPUT', message: 'The file is larger than 25 MB' }))).toEqual({ ok: false, message: 'The file is larger than 25 MB' });
    expect(await refused(409, JSON.stringify({ code: 'CONFLICT', message: 'The measure is closed' }))).toEqual({ ok: false, message: 'The measure is closed' });
    expect((await refused(413, '<html><title>413 Request Entity Too Large</title></html>')) as { message: string }).toMatchObject({ message: expect.stringMatching(/proxy in front of it has a lower limit/) });
  });

  it('says so when the server cannot be reached or the person stopped it', async () => {
    const failing = (error: Error): EvidenceTransport => async () => {
      throw error;
    };
    expect(await uploadEvidenceFile({ measureId: 'm', file: file(4), kind: 'VALUE' }, failing(new TypeError('network')))).toEqual({ ok: false, message: 'Gatehouse could not be reached, so the file was not attached.' });
    expect(await uploadEvidenceFile({ measureId: 'm', file: file(4), kind: 'VALUE' }, failing(new DOMException('stop', 'AbortError')))).toEqual({ ok: false, message: 'You stopped the upload; nothing was attached.' });
  });
});
