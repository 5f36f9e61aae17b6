import { createHash } from 'node:crypto';
import http from 'node:http';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { governance } from '../../testing/governance-helpers.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let g: ReturnType<typeof governance>;
let measureId: string;
beforeAll(async () => {
  t = await startTestApp();
  g = governance(t);
  measureId = (await g.newMeasure('Evidence files for printer consolidation')).id;
});
afterAll(async () => t?.close());

const MB25 = 25 * 1024 * 1024;

// Files written byte by byte here, independently of the server's detection.
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
  Buffer.from('0000000a49444154789c6300010000050001', 'hex'),
  Buffer.from('0000000049454e44ae426082', 'hex'),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58, 0), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64, 0), Buffer.from('PE\0\0'), Buffer.alloc(64, 0)]);

/** A zip archive with these entries, deflated, written from the format's specification. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const centralBytes = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBytes, end]);
}

const XLSX = zip({
  '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
  'xl/workbook.xml': '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
});
const PLAIN_ZIP = zip({ 'notes/readme.txt': 'hello', 'data.bin': 'x'.repeat(100) });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * POSTs a file to the upload route over a raw HTTP request: with its Content-Length, or chunked (`chunks`) as a
 * streaming client sends it. A server that closes the connection after refusing may cut the sending short.
 */
function upload(id: string, body: Buffer | Buffer[], query: Record<string, string>, options: { token?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const address = t.app.httpServer.address() as { port: number };
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token ?? t.tokens.owner}`,
      'x-gatehouse-upload': '1',
      'content-type': 'application/octet-stream',
      ...options.headers,
    };
    if (!Array.isArray(body)) headers['content-length'] = String(body.length);
    const path = `/measures/${id}/evidence/files?${new URLSearchParams(query).toString()}`;
    const req = http.request({ host: '127.0.0.1', port: address.port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', (e) => (e.message.includes('EPIPE') || e.message.includes('ECONNRESET') ? undefined : reject(e)));
    (async () => {
      for (const chunk of Array.isArray(body) ? body : [body]) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      req.end();
    })().catch(() => undefined);
  });
}

async function download(evidenceId: string, token = t.tokens.viewer) {
  const res = await fetch(`${t.url}/evidence/${evidenceId}/file`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const EVIDENCE = `query($id: ID!) { measure(id: $id) { evidence { id kind title url createdBy { name } file { name type typeLabel size sha256 downloadUrl } } } }`;
const evidenceRows = async () => (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM evidence_file`))[0].n as number;

describe('evidence files', () => {
  it('stores a file by the type its bytes show: PNG bytes named .pdf are a PNG image', async () => {
    // Action
    const res = await upload(measureId, PNG, { name: 'go-live report.pdf', kind: 'IMPLEMENTATION' });
    // Assert
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ name: 'go-live report.pdf', type: 'image/png', size: PNG.length });
    const listed = (await t.gql(EVIDENCE, { id: measureId }, t.tokens.viewer)).data!.measure.evidence;
    expect(listed.find((e: any) => e.id === res.body.id)).toEqual({
      id: res.body.id,
      kind: 'IMPLEMENTATION',
      title: 'go-live report.pdf',
      url: null,
      createdBy: { name: 'Olivia Owner' },
      file: { name: 'go-live report.pdf', type: 'image/png', typeLabel: 'PNG image', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex'), downloadUrl: `/evidence/${res.body.id}/file` },
    });
  });

  it('takes a PDF, an XLSX, a CSV and UTF-8 text, the latter two by content and name', async () => {
    const pdf = await upload(measureId, PDF, { name: 'value.pdf', kind: 'VALUE', title: 'Ledger extract' });
    const xlsx = await upload(measureId, XLSX, { name: 'savings.bin' });
    const csv = await upload(measureId, Buffer.from('month,amount\n2026-01,9500.00\n2026-02,10250.00\n'), { name: 'actuals.csv', kind: 'VALUE' });
    const text = await upload(measureId, Buffer.from('Übergabe an den Betrieb am 3. März – ok ✓\n'), { name: 'handover' });
    expect([pdf.status, xlsx.status, csv.status, text.status]).toEqual([201, 201, 201, 201]);
    expect(pdf.body).toMatchObject({ kind: 'VALUE', title: 'Ledger extract', file: { type: 'application/pdf' } });
    expect(xlsx.body.file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(csv.body.file.type).toBe('text/csv');
    expect(text.body.file.type).toBe('text/plain');
  });

  it('refuses executables, plain archives and binary data with 415 whatever their name or Content-Type, storing nothing', async () => {
    const before = await t.checksum();
    for (const [bytes, name] of [
      [ELF, 'report.pdf'],
      [EXE, 'report.exe'],
      [PLAIN_ZIP, 'figures.xlsx'],
      [Buffer.from([0x41, 0x42, 0x00, 0x43, 0x44]), 'notes.txt'],
      [Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x6f]), 'latin.csv'],
    ] as const) {
      const res = await upload(measureId, bytes, { name }, { headers: { 'content-type': 'application/pdf' } });
      expect(res.status, name).toBe(415);
      expect(res.body).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/not taken as evidence/) });
    }
    expect(await t.checksum()).toBe(before);
  });

  it('refuses 25 MB + 1 byte with 413, announced or chunked, and stores nothing; takes exactly 25 MB', async () => {
    const before = await t.checksum();
    const rowsBefore = await evidenceRows();
    const big = Buffer.alloc(MB25 + 1, 0x61);
    const announced = await upload(measureId, big, { name: 'big.txt' });
    expect(announced.status).toBe(413);
    expect(announced.body).toEqual({ code: 'BAD_USER_INPUT', message: 'The file is larger than 25 MB: evidence files take up to 25 MB' });
    const chunks = Array.from({ length: 26 }, (_, i) => big.subarray(i * 1024 * 1024, Math.min(big.length, (i + 1) * 1024 * 1024)));
    const chunked = await upload(measureId, chunks, { name: 'big.txt' });
    expect(chunked.status).toBe(413);
    expect(await t.checksum()).toBe(before);
    expect(await evidenceRows()).toBe(rowsBefore);
    const exact = await upload(measureId, big.subarray(0, MB25), { name: 'exact.txt' });
    expect(exact.status).toBe(201);
    expect(exact.body.file.size).toBe(MB25);
  }, 60_000);

  it('downloads the stored bytes as an attachment with the sniffed type and nosniff, to a reader of the measure', async () => {
    const res = await upload(measureId, PNG, { name: 'Prüfbericht "final".pdf' });
    const file = await download(res.body.id, t.tokens.viewer);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(PNG)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="Pr_fbericht _final_.pdf"; filename*=UTF-8''Pr%C3%BCfbericht%20%22final%22.pdf`);
    const text = await upload(measureId, Buffer.from('a,b\n1,2\n'), { name: 'x.csv' });
    expect((await download(text.body.id)).headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('serves SVG and HTML only as plain text, and a name with CR/LF or quotes never breaks out of Content-Disposition', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    for (const [body, name] of [[svg, 'drawing.svg'], [html, 'page.html']] as const) {
      const res = await upload(measureId, body, { name });
      // Refused, or stored as text: never an image/svg+xml or text/html answer
      if (res.status === 415) continue;
      expect(res.status).toBe(201);
      expect(res.body.file.type).toBe('text/plain');
      const file = await download(res.body.id);
      expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(file.headers.get('content-security-policy')).toContain('sandbox');
    }
    const res = await upload(measureId, Buffer.from('notes'), { name: 'a"\r\nSet-Cookie: stolen=1;\r\n\r\nx.txt' });
    expect(res.status).toBe(201);
    {
      const file = await download(res.body.id);
      expect(file.status).toBe(200);
      expect(file.headers.get('set-cookie')).toBeNull();
      const disposition = file.headers.get('content-disposition')!;
      expect(disposition).not.toMatch(/[\r\n]/);
      // One quoted ASCII name without quotes inside it, and the exact name percent-encoded
      expect(disposition).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/);
    }
  });

  it('records the file’s SHA-256, size, name and type in the audit entry', async () => {
    const bytes = Buffer.concat([PDF, Buffer.from(`% ${Date.now()}\n`)]);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const res = await upload(measureId, bytes, { name: 'audit.pdf', kind: 'VALUE' });
    const [entry] = await t.db.dataSource.query(`SELECT action, after FROM audit_entry WHERE entity_id = $1`, [res.body.id]);
    expect(entry).toEqual({ action: 'evidence.added', after: { kind: 'VALUE', title: 'audit.pdf', file: { name: 'audit.pdf', type: 'application/pdf', size: bytes.length, sha256: expected } } });
  });

  it('refuses callers outside: FORBIDDEN to attach without evidence.add, to read outside the scope, and for a read-only token', async () => {
    const stored = await upload(measureId, PNG, { name: 'scope.png' });
    const programViewer = await t.login('lead-to-cash.viewer@northwind.example');
    const itOwner = await t.login('it.owner@northwind.example');
    const token = (await t.gql(`mutation { createApiToken(input: { name: "read-only", expiresInDays: 30, readOnly: true }) { token } }`, {}, t.tokens.owner)).data!.createApiToken.token;
    await t.gql(`{ me { id } }`, {}, token); // its first use is recorded now, not during the refused call
    const before = await t.checksum();
    // A viewer reads but may not attach; an owner of another part of the organisation may neither.
    expect((await upload(measureId, PNG, { name: 'x.png' }, { token: t.tokens.viewer })).status).toBe(403);
    expect(errorCode(await t.gql(`query($id: ID!) { measure(id: $id) { id } }`, { id: measureId }, programViewer))).toBe('FORBIDDEN');
    const outside = await download(stored.body.id, programViewer);
    expect(outside.status).toBe(403);
    expect(outside.bytes.includes(PNG)).toBe(false);
    expect((await upload(measureId, PNG, { name: 'x.png' }, { token: itOwner })).body.code).toBe('FORBIDDEN');
    // A read-only token of the measure's owner: refused before anything is read.
    const readOnly = await upload(measureId, PNG, { name: 'x.png' }, { token });
    expect(readOnly).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', message: 'This API token is read-only' } });
    // Signed out, a foreign origin, or no upload header: refused too.
    expect((await upload(measureId, PNG, { name: 'x.png' }, { token: 'nope' })).status).toBe(401);
    expect((await upload(measureId, PNG, { name: 'x.png' }, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await upload(measureId, PNG, { name: 'x.png' }, { headers: { 'x-gatehouse-upload': '' } })).status).toBe(400);
    expect((await download(stored.body.id, 'nope')).status).toBe(401);
    expect(await t.checksum()).toBe(before);
  });

  it('freezes a closed measure’s evidence: attaching is CONFLICT (409), downloading still works', async () => {
    // Setup: a measure signed off by its controller, with a file attached before closure
    const id = await g.measureAtDoi4('Closed with evidence files');
    const attached = await upload(id, PDF, { name: 'before-closure.pdf', kind: 'VALUE' });
    expect(attached.status).toBe(201);
    await g.requestGate(id);
    await g.must(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "19750.00", evidence: "Ledger") { state } }`, { id }, t.tokens.controller);
    const before = await t.checksum();
    // Action
    const removal = await t.gql(`mutation($id: ID!) { removeEvidence(id: $id) { id } }`, { id: attached.body.id }, t.tokens.owner);
    const refused = await upload(id, PDF, { name: 'after-closure.pdf' });
    const byController = await upload(id, PDF, { name: 'after-closure.pdf' }, { token: t.tokens.controller });
    // Assert
    expect(removal.errors?.[0]).toMatchObject({ message: 'The measure is closed: its evidence is frozen until a controller reopens it', extensions: { code: 'CONFLICT' } });
    expect(refused).toMatchObject({ status: 409, body: { code: 'CONFLICT', message: expect.stringMatching(/closed/) } });
    expect(byController.status).toBe(409);
    expect(await t.checksum()).toBe(before);
    expect((await download(attached.body.id)).bytes.equals(PDF)).toBe(true);
  }, 60_000);

  it('removes a file with its evidence, keeping its name, type, size and SHA-256 in the audit entry', async () => {
    const res = await upload(measureId, PNG, { name: 'wrong scan.png' });
    const before = await t.checksum();
    expect(errorCode(await t.gql(`mutation($id: ID!) { removeEvidence(id: $id) { id } }`, { id: res.body.id }, t.tokens.viewer))).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
    const removed = await t.gql(`mutation($id: ID!) { removeEvidence(id: $id) { id } }`, { id: res.body.id }, t.tokens.owner);
    expect(removed.errors).toBeUndefined();
    expect(await t.db.dataSource.query(`SELECT evidence_id FROM evidence_file WHERE evidence_id = $1`, [res.body.id])).toEqual([]);
    expect((await download(res.body.id)).status).toBe(404);
    const [entry] = await t.db.dataSource.query(`SELECT before FROM audit_entry WHERE entity_id = $1 AND action = 'evidence.removed'`, [res.body.id]);
    expect(entry.before).toEqual({ kind: 'IMPLEMENTATION', title: 'wrong scan.png', url: null, file: { name: 'wrong scan.png', type: 'image/png', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex') } });
    expect(errorCode(await t.gql(`mutation($id: ID!) { removeEvidence(id: $id) { id } }`, { id: res.body.id }, t.tokens.owner))).toBe('NOT_FOUND');
  });

  it('answers evidence without a file, an unknown id and a malformed one with 404 or 400', async () => {
    const link = await g.must(`mutation($id: ID!) { addEvidence(measureId: $id, input: { title: "Wiki", url: "https://wiki.example/x" }) { id } }`, { id: measureId }, t.tokens.owner);
    expect((await download(link.addEvidence.id)).status).toBe(404);
    expect((await download('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download('not-an-id')).status).toBe(400);
    expect((await upload('00000000-0000-4000-8000-000000000000', PNG, { name: 'x.png' })).status).toBe(404);
    expect((await upload(measureId, Buffer.alloc(0), { name: 'empty.txt' })).status).toBe(400);
    expect((await upload(measureId, PNG, {})).body).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('lists evidence without reading any file’s bytes', async () => {
    await upload(measureId, PNG, { name: 'listed.png' });
    const spy = vi.spyOn(t.db.dataSource.logger, 'logQuery');
    let statements: string[] = [];
    try {
      const res = await t.gql(EVIDENCE, { id: measureId }, t.tokens.viewer);
      expect(res.data!.measure.evidence.some((e: any) => e.file?.name === 'listed.png')).toBe(true);
      statements = spy.mock.calls.map(([sql]) => sql);
    } finally {
      spy.mockRestore();
    }
    expect(statements.some((s) => /evidence/.test(s))).toBe(true);
    expect(statements.filter((s) => /evidence_file|content/.test(s))).toEqual([]);
  });
});
