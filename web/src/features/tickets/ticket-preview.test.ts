import { describe, expect, it, vi } from 'vitest';
import { fetchPreview, fieldLabel, PREVIEW_BYTES, recognitionFacts, warningText } from './ticket-preview';
import type { Recognition } from './ticket-upload';

const glpi: Recognition = {
  format: 'glpi',
  source: 'GLPI',
  language: 'pt',
  encoding: 'utf-8',
  delimiter: ';',
  dateOrder: 'dmy',
  dateOrderFrom: 'file',
  dateOrderEvidence: '"14-08-2025 14:27" (Data de abertura, line 24)',
  timeZone: 'America/Sao_Paulo',
  columns: { externalId: 'ID', summary: 'Título' },
};

describe('the preview request', () => {
  it('posts only the first bytes of the file with the import header and the choices, and returns the preview', async () => {
    // Setup
    const body = { recognition: glpi, headers: ['ID', 'Título'], fields: ['externalId', 'summary'], rows: [], warnings: [], emptyRows: 0 };
    const fetchImpl = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify(body), { status: 200 }));
    const big = new File([new Uint8Array(PREVIEW_BYTES + 5000).fill(0x41)], 'glpi.csv', { type: 'text/csv' });

    // Action
    const outcome = await fetchPreview(big, 'auto', null, { dateOrder: 'dmy', timeZone: 'America/Sao_Paulo' }, fetchImpl as never);

    // Assert
    expect(outcome).toEqual({ ok: true, preview: body });
    const [url, init] = fetchImpl.mock.calls[0];
    const params = new URL(url, 'http://x').searchParams;
    expect(new URL(url, 'http://x').pathname).toBe('/imports/tickets/preview');
    expect(params.has('format')).toBe(false);
    expect(params.get('dateOrder')).toBe('dmy');
    expect(params.get('timeZone')).toBe('America/Sao_Paulo');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', headers: { 'X-Gatehouse-Import': '1' } });
    expect((init.body as Blob).size).toBe(256 * 1024);
  });

  it('gives the server’s message and reason for a refusal, and its own words when the server cannot be reached', async () => {
    const refusing = vi.fn(async () => new Response(JSON.stringify({ code: 'BAD_USER_INPUT', message: 'the format of this export is not recognised', reason: null }), { status: 400 }));
    expect(await fetchPreview(new File(['a;b\n'], 'x.csv'), 'auto', null, {}, refusing as never)).toEqual({
      ok: false,
      message: 'the format of this export is not recognised',
      reason: null,
    });
    const proxy = vi.fn(async () => new Response('<html>502</html>', { status: 502 }));
    expect(await fetchPreview(new File(['a\n'], 'x.csv'), 'auto', null, {}, proxy as never)).toEqual({ ok: false, message: 'The preview failed (HTTP 502)', reason: null });
    const offline = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await fetchPreview(new File(['a\n'], 'x.csv'), 'auto', null, {}, offline as never)).toMatchObject({ ok: false, message: expect.stringMatching(/could not be reached/) });
  });
});

describe('what the preview says was recognised', () => {
  it('names format, delimiter, encoding, language, the date order with the value that settled it, and the time zone', () => {
    expect(recognitionFacts(glpi)).toEqual([
      { label: 'Format', value: 'GLPI' },
      { label: 'Delimiter', value: 'semicolon' },
      { label: 'Encoding', value: 'UTF-8' },
      { label: 'Column names', value: 'Portuguese' },
      { label: 'Date order', value: 'day/month (from "14-08-2025 14:27" (Data de abertura, line 24))' },
      { label: 'Time zone', value: 'America/Sao_Paulo' },
    ]);
  });

  it('asks for the date order when the first rows leave it open, and says when it was chosen or not needed', () => {
    const dateOrder = (r: Partial<Recognition>) => recognitionFacts({ ...glpi, ...r }).find((f) => f.label === 'Date order')?.value;
    expect(dateOrder({ dateOrder: null, dateOrderFrom: 'undecided', dateOrderEvidence: '"3/4/2025 6:04" (opened_at, line 2)' })).toBe(
      'not settled by the first rows ("3/4/2025 6:04" (opened_at, line 2)): choose it',
    );
    expect(dateOrder({ dateOrder: 'mdy', dateOrderFrom: 'option', dateOrderEvidence: null })).toBe('month/day (as chosen)');
    expect(dateOrder({ dateOrder: null, dateOrderFrom: 'not needed', dateOrderEvidence: null })).toBe('no day/month dates');
  });

  it('says a generic file’s columns come from the mapping, and a tab as a word', () => {
    const facts = recognitionFacts({ ...glpi, format: 'generic', language: null, delimiter: '\t', encoding: 'windows-1252' });
    expect(facts.slice(0, 4)).toEqual([
      { label: 'Format', value: 'CSV with a column mapping' },
      { label: 'Delimiter', value: 'tab' },
      { label: 'Encoding', value: 'WINDOWS-1252' },
      { label: 'Column names', value: 'from the mapping' },
    ]);
  });
});

describe('a warning in words', () => {
  it('counts rows in the singular and plural and names the column', () => {
    expect(warningText({ kind: 'UNKNOWN_PRIORITY', column: 'Prioridade', value: 'Altíssima', count: 1 })).toBe(
      '1 row has the unknown priority “Altíssima” (Prioridade): kept as written, counted as UNKNOWN.',
    );
    expect(warningText({ kind: 'UNKNOWN_STATE', column: 'Status', value: 'Parked', count: 12 })).toBe('12 rows have the unknown state “Parked” (Status): kept as written, counted as UNKNOWN.');
    // A row with no priority and nothing to derive one from.
    expect(warningText({ kind: 'UNKNOWN_PRIORITY', column: 'priority', value: '', count: 24 })).toBe('24 rows have no priority (priority), and nothing to derive one from: kept as UNKNOWN.');
  });
});

describe('a ticket field in the column editor', () => {
  it('is named in words, and says which fields decide the newest row', () => {
    expect(fieldLabel('externalId')).toBe('Id');
    expect(fieldLabel('updatedAt')).toBe('Last update (decides the newest)');
    expect(fieldLabel('somethingNew')).toBe('somethingNew');
  });
});
