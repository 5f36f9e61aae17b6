import ExcelJS from 'exceljs';
import http from 'node:http';
import request from 'supertest';
import { readMeasureImportLine, type MeasureImportLine, type MeasureImportReport } from '@gatehouse/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { downloadBytes } from '../../testing/download.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => t?.close());

async function exportFile(format: 'xlsx' | 'csv', token = t.tokens.admin): Promise<Buffer> {
  const res = await downloadBytes(t.app.httpServer, `/exports/measures.${format}`, token);
  expect(res.status).toBe(200);
  return res.body;
}

async function upload(bytes: Buffer, options: { dryRun?: boolean; token?: string } = {}): Promise<{ lines: MeasureImportLine[]; report: MeasureImportReport | null; error: string | null }> {
  const res = await request(t.app.httpServer)
    .post(`/imports/measures${options.dryRun ? '?dryRun=1' : ''}`)
    .set('authorization', `Bearer ${options.token ?? t.tokens.admin}`)
    .set('x-gatehouse-import', '1')
    .set('content-type', 'application/octet-stream')
    .send(bytes);
  const lines = String(res.text)
    .split('\n')
    .filter(Boolean)
    .map((l) => readMeasureImportLine(JSON.parse(l))!)
    .filter(Boolean);
  const done = lines.find((l) => l.type === 'measures-done');
  const error = lines.find((l) => l.type === 'error');
  return { lines, report: done?.type === 'measures-done' ? done.report : null, error: error?.type === 'error' ? `${error.code}: ${error.message}` : null };
}

/** The rows of the first sheet as arrays of cell texts (header first). */
async function sheetRows(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  return out;
}

async function workbook(header: string[], rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Measures');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('measure export and import round trip', () => {
  it('xlsx: export, change one plan cell with exceljs, import: exactly that value changes', async () => {
    // Setup: the export, and the first measure row with a plan value in some month.
    const original = await exportFile('xlsx');
    const before = await sheetRows(original);
    const header = before[0];
    expect(header.slice(0, 12)).toEqual(['code', 'package', 'title', 'lever', 'owner', 'sponsor', 'controller', 'rough_potential', 'business_case', 'description', 'doi', 'state']);
    const planColumn = header.findIndex((h) => h.startsWith('plan '));
    const rowIndex = before.findIndex((r, i) => i > 0 && r[header.indexOf('state')] === 'ACTIVE' && r[planColumn] !== '');
    expect(rowIndex).toBeGreaterThan(0);
    const code = before[rowIndex][0];
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(original as unknown as ArrayBuffer);
    wb.worksheets[0].getRow(rowIndex + 1).getCell(planColumn + 1).value = 4321.09;
    const edited = Buffer.from(await wb.xlsx.writeBuffer());

    // The unchanged export imports as nothing to do, and changes nothing.
    const sumBefore = await t.checksum();
    const same = await upload(original);
    expect(same.error).toBeNull();
    expect(same.report).toMatchObject({ created: 0, updated: 0, rejected: 0, unchanged: before.length - 1 });
    expect(await t.checksum()).toBe(sumBefore);

    // Dry run: lists the one change, writes nothing.
    const dry = await upload(edited, { dryRun: true });
    expect(dry.report).toMatchObject({ dryRun: true, created: 0, updated: 1, rejected: 0 });
    expect(dry.report!.plans).toEqual([{ row: rowIndex + 1, code, title: before[rowIndex][2], action: 'update', changes: [expect.stringMatching(new RegExp(`^${header[planColumn]}: .* → 4321.09$`))] }]);
    expect(await t.checksum()).toBe(sumBefore);

    // Action
    const run = await upload(edited);

    // Assert: progress came, one update; the new export equals the edited sheet cell for cell.
    expect(run.report).toMatchObject({ dryRun: false, created: 0, updated: 1, rejected: 0 });
    expect(run.lines.some((l) => l.type === 'progress')).toBe(true);
    const after = await sheetRows(await exportFile('xlsx'));
    const expected = before.map((r) => [...r]);
    expected[rowIndex][planColumn] = '4321.09';
    expect(after).toEqual(expected);

    // Importing the edited file again is idempotent.
    const sumAfter = await t.checksum();
    const again = await upload(edited);
    expect(again.report).toMatchObject({ updated: 0, created: 0, rejected: 0 });
    expect(await t.checksum()).toBe(sumAfter);
  });

  it('csv: export, change one title, import: exactly that title changes', async () => {
    const original = (await exportFile('csv')).toString('utf8');
    expect(original.startsWith('\uFEFFcode,package,title,')).toBe(true);
    const lines = original.split('\r\n');
    const target = lines.findIndex((l, i) => i > 0 && l.includes(',ACTIVE,'));
    const cells = lines[target].split(',');
    const code = cells[0];
    const oldTitle = cells[2];
    expect(oldTitle).not.toMatch(/^"/);
    lines[target] = [cells[0], cells[1], 'Renamed by CSV', ...cells.slice(3)].join(',');
    const dry = await upload(Buffer.from(lines.join('\r\n')), { dryRun: true });
    expect(dry.report!.plans).toEqual([{ row: target + 1, code, title: 'Renamed by CSV', action: 'update', changes: [expect.stringMatching(/^title: ".+" → "Renamed by CSV"$/)] }]);
    expect(dry.report!.plans[0].changes[0].startsWith(`title: "${oldTitle.slice(0, 20)}`)).toBe(true);
    const run = await upload(Buffer.from(lines.join('\r\n')));
    expect(run.report).toMatchObject({ updated: 1, rejected: 0 });
    const after = (await exportFile('csv')).toString('utf8').split('\r\n');
    expect(after).toEqual(lines);
  });
});

describe('large files', () => {
  it('answers an upload over 20 MB sent without a length with the 413 error line, not a reset connection', async () => {
    // Setup: a chunked body (no Content-Length to refuse up front), 21 MB in 1 MB chunks
    const { port } = t.app.httpServer.address() as import('node:net').AddressInfo;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { port, method: 'POST', path: '/imports/measures?dryRun=1', headers: { authorization: `Bearer ${t.tokens.admin}`, 'x-gatehouse-import': '1', 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      for (let i = 0; i < 21; i++) req.write(chunk);
      req.end();
    });
    // Assert
    expect(answer.status).toBe(413);
    expect(readMeasureImportLine(JSON.parse(answer.body.trim()))).toMatchObject({ type: 'error', code: 'BAD_USER_INPUT', message: 'The file is larger than 20 MB' });
  });

  it('refuses a CSV of more than 20 000 rows at once with a clear error, before parsing it', async () => {
    // Two million short lines (4 MB): parsed in full, they took a parser tens of seconds and gigabytes of memory.
    const big = Buffer.from(`title\n${'a\n'.repeat(2_000_000)}`);
    const started = Date.now();
    const res = await upload(big, { dryRun: true });
    expect(res.error).toBe('BAD_USER_INPUT: The file has more than 20000 rows: split it');
    expect(Date.now() - started).toBeLessThan(5_000);
    // 20 000 rows, one of them with a line break inside its quoted title, are still read
    const fine = Buffer.from(`title,package\n"two\nlines",nowhere\n${'a,nowhere\n'.repeat(19_999)}`);
    const ok = await upload(fine, { dryRun: true });
    expect(ok.error).toBeNull();
    expect(ok.report!.rows).toBe(20_000);
  });

  it('refuses a workbook of more than 20 000 rows with a clear error, without loading it whole', async () => {
    // 300 000 one-cell rows compress to under 2 MB; loaded whole they took seconds and much memory first.
    const many = await workbook(['title'], Array.from({ length: 300_000 }, () => ['a']));
    const load = vi.spyOn(Object.getPrototypeOf(new ExcelJS.Workbook().xlsx) as { load: () => Promise<unknown> }, 'load');
    try {
      const res = await upload(many, { dryRun: true });
      expect(res.error).toBe('BAD_USER_INPUT: The file has more than 20000 rows: split it');
      expect(load).not.toHaveBeenCalled();
    } finally {
      load.mockRestore();
    }
  });
});

describe('formula injection in exported cells (OWASP CSV injection)', () => {
  it('neutralises titles starting with = + - @ in CSV, writes them as text cells in xlsx, and both import back unchanged', async () => {
    // Arrange: titles a spreadsheet would run as formulas, and titles that already begin with an apostrophe
    const titles = ['=HYPERLINK("https://evil.example","x")', '+1+2', '-3-4', '@SUM(A1)', "'=kept apostrophe", "'plain apostrophe"];
    const targets: { id: string; code: string }[] = await t.db.dataSource.query(`SELECT id, code FROM measure WHERE state = 'ACTIVE' ORDER BY seq LIMIT $1`, [titles.length]);
    expect(targets).toHaveLength(titles.length);
    for (const [i, m] of targets.entries()) await t.db.dataSource.query(`UPDATE measure SET title = $2 WHERE id = $1`, [m.id, titles[i]]);
    const codes = new Set(targets.map((m) => m.code));
    // Act
    const csv = await exportFile('csv');
    const xlsx = await exportFile('xlsx');
    // Assert: in the CSV every such title starts with an apostrophe (one more for those that had one)
    const csvText = csv.toString('utf8');
    expect(csvText).toContain(`,"'=HYPERLINK(""https://evil.example"",""x"")",`);
    for (const cell of [",'+1+2,", ",'-3-4,", ",'@SUM(A1),", ",''=kept apostrophe,", ",'plain apostrophe,"]) expect(csvText).toContain(cell);
    // In the xlsx they are string cells, never formulas
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const found = new Map<string, ExcelJS.Cell>();
    wb.worksheets[0].eachRow((row, n) => {
      if (n > 1 && codes.has(String(row.getCell(1).value))) found.set(String(row.getCell(1).value), row.getCell(3));
    });
    for (const [i, m] of targets.entries()) {
      const cell = found.get(m.code)!;
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(titles[i]);
    }
    // Both files import back as nothing to do for these measures: each title read as it was written
    for (const file of [csv, xlsx]) {
      const dry = await upload(file, { dryRun: true });
      expect(dry.error).toBeNull();
      expect(dry.report!.plans.filter((p) => p.code && codes.has(p.code))).toEqual([]);
      expect(dry.report!.issues.filter((p) => dry.report!.plans.some((q) => q.row === p.row && q.code && codes.has(q.code)))).toEqual([]);
    }
  });
});

describe('measure import rules', () => {
  const header = ['code', 'package', 'title', 'lever', 'owner', 'sponsor', 'controller', 'rough_potential', 'doi', 'milestone_1_title', 'milestone_1_due', 'plan 2027-01', 'plan 2027-02'];

  it('creates new measures with values and milestones, and a re-import matches them by title', async () => {
    const file = await workbook(header, [
      [null, 'Self-service & automation', 'Imported chatbot', 'cost reduction', 'it.owner@northwind.example', null, null, '12.000,50', null, 'Pilot live', '2027-01-31', 1000, '1,234.56'],
    ]);
    const run = await upload(file, { token: t.tokens.admin });
    expect(run.error).toBeNull();
    expect(run.report).toMatchObject({ created: 1, updated: 0, rejected: 0 });
    const res = await t.gql(`{ measures(filter: { search: "Imported chatbot" }) { edges { node { code doi roughPotential planTotal owner { email } milestones { title } } } } }`, {}, t.tokens.admin);
    expect(res.data!.measures.edges).toHaveLength(1);
    expect(res.data!.measures.edges[0].node).toMatchObject({ doi: 1, roughPotential: '12000.50', planTotal: '2234.56', milestones: [{ title: 'Pilot live' }] });
    const sum = await t.checksum();
    const again = await upload(file);
    expect(again.report).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await t.checksum()).toBe(sum);
  });

  it('reports every bad row with its row, column and reason, and writes only the good ones', async () => {
    const closed = await t.gql(`{ measures(first: 1, filter: { state: CLOSED }) { edges { node { code } } } }`, {}, t.tokens.admin);
    const closedCode = closed.data!.measures.edges[0].node.code;
    const file = await workbook(header, [
      [null, 'Self-service & automation', 'Good new one', 'COST_REDUCTION', null, null, null, null, null, null, null, 10, null],
      [null, 'Self-service & automation', 'Bad lever', 'GIVEAWAY', null, null, null, null, null, null, null, null, null],
      [null, 'No such package', 'Lost', 'COST_REDUCTION', null, null, null, null, null, null, null, null, null],
      [null, 'Self-service & automation', 'Bad amount', 'COST_REDUCTION', null, null, null, null, null, null, null, '1.2.3', '-5'],
      [null, 'Self-service & automation', 'Nobody', 'COST_REDUCTION', 'nobody@nowhere.example', null, null, null, null, null, null, null, null],
      [null, 'Self-service & automation', 'Skips gates', 'COST_REDUCTION', null, null, null, null, 3, null, null, null, null],
      [closedCode, null, null, null, null, null, null, null, null, null, null, 99, null],
      ['M-9999', null, null, null, null, null, null, null, null, 'No due', null, null, null],
    ]);
    const sum = await t.checksum();
    const dry = await upload(file, { dryRun: true });
    expect(await t.checksum()).toBe(sum);
    const issues = dry.report!.issues.map((i) => [i.row, i.column, i.code]);
    expect(issues).toEqual([
      [3, 'lever', 'BAD_USER_INPUT'],
      [4, 'package', 'NOT_FOUND'],
      [5, 'plan 2027-01', 'BAD_USER_INPUT'],
      [5, 'plan 2027-02', 'BAD_USER_INPUT'],
      [6, 'owner', 'NOT_FOUND'],
      [7, 'doi', 'BAD_USER_INPUT'],
      [8, null, 'CONFLICT'],
      [9, 'milestone_1_due', 'BAD_USER_INPUT'],
      [9, 'code', 'NOT_FOUND'],
    ]);
    expect(dry.report!.issues.find((i) => i.row === 8)!.reason).toMatch(/closed .* locked/);
    expect(dry.report!.issues.find((i) => i.row === 5 && i.column === 'plan 2027-02')!.reason).toBe('a plan value cannot be negative');
    expect(dry.report).toMatchObject({ created: 1, rejected: 7 });
    const run = await upload(file);
    expect(run.report).toMatchObject({ created: 1, rejected: 7 });
    const res = await t.gql(`{ measures(filter: { search: "Bad lever" }) { totalCount } good: measures(filter: { search: "Good new one" }) { totalCount } }`, {}, t.tokens.admin);
    expect(res.data).toEqual({ measures: { totalCount: 0 }, good: { totalCount: 1 } });
  });

  it('respects scope: rows in packages outside the importer’s roles are FORBIDDEN and never written', async () => {
    const itOwner = await t.login('it.owner@northwind.example');
    const file = await workbook(['package', 'title', 'lever'], [
      ['Self-service & automation', 'Mine to create', 'COST_REDUCTION'],
      ['CRM & quoting', 'Not my scope', 'COST_REDUCTION'],
    ]);
    const run = await upload(file, { token: itOwner });
    expect(run.report!.issues).toEqual([{ row: 3, column: 'package', code: 'FORBIDDEN', reason: expect.stringMatching(/may not create measures in CRM & quoting/) }]);
    expect(run.report).toMatchObject({ created: 1, rejected: 1 });
    const res = await t.gql(`{ measures(filter: { search: "Not my scope" }) { totalCount } }`, {}, t.tokens.admin);
    expect(res.data!.measures.totalCount).toBe(0);
  });

  it('an owner’s export hides other people’s e-mail addresses and imports again as nothing to do', async () => {
    const itOwner = await t.login('it.owner@northwind.example');
    const rows = await sheetRows(await exportFile('xlsx', itOwner));
    const header = rows[0];
    const sponsors = rows.slice(1).map((r) => r[header.indexOf('sponsor')]);
    expect(sponsors.every((e) => e === '' || e === 'it.owner@northwind.example')).toBe(true);
    const sum = await t.checksum();
    const again = await upload(await exportFile('xlsx', itOwner), { token: itOwner });
    expect(again.report).toMatchObject({ created: 0, updated: 0, rejected: 0, unchanged: rows.length - 1 });
    expect(await t.checksum()).toBe(sum);
  });

  it('refuses changes to a measure someone else owns as FORBIDDEN, and changes to the DoI as a bad row', async () => {
    const owner = await t.login('owner@northwind.example');
    const other = await t.gql(`query($o: ID!) { measures(first: 1, filter: { ownerId: $o, state: ACTIVE }) { edges { node { code doi } } } }`, { o: t.demo!.users.priya }, t.tokens.admin);
    const { code } = other.data!.measures.edges[0].node;
    const own = await t.gql(`query($o: ID!) { measures(first: 1, filter: { ownerId: $o, state: ACTIVE }) { edges { node { code doi } } } }`, { o: t.demo!.users.owner }, t.tokens.admin);
    const mine = own.data!.measures.edges[0].node;
    const file = await workbook(['code', 'title', 'doi'], [[code, 'Taken over', null], [mine.code, null, mine.doi === 5 ? 4 : 5]]);
    const sum = await t.checksum();
    const run = await upload(file, { token: owner });
    expect(run.report!.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, null, 'FORBIDDEN'],
      [3, 'doi', 'BAD_USER_INPUT'],
    ]);
    expect(await t.checksum()).toBe(sum);
  });

  it('looks everything up in a fixed number of statements, however many rows', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [null, 'Incident reduction', `Counted ${n}-${i}`, 'COST_REDUCTION']);
    const few = await countStatements(() => upload(workbookSync(rows(2)), { dryRun: true }));
    const many = await countStatements(() => upload(workbookSync(rows(40)), { dryRun: true }));
    expect(many).toBe(few);
  });

  it('answers a file that is no spreadsheet, or has an unknown column, with a clear error', async () => {
    expect((await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).error).toBe('BAD_USER_INPUT: The file is not a readable Excel workbook (.xlsx)');
    expect((await upload(Buffer.from('code,colour\nM-0001,red\n'))).error).toMatch(/^BAD_USER_INPUT: Column B: "colour" is not a column the import knows/);
    expect((await upload(Buffer.alloc(0))).error).toBe('BAD_USER_INPUT: The file is empty');
  });
});

async function countStatements(work: () => Promise<unknown>): Promise<number> {
  const before = t.db.statements.count;
  await work();
  return t.db.statements.count - before;
}

/** CSV is enough to count statements: the same planning runs whatever the format. */
function workbookSync(rows: (string | null)[][]): Buffer {
  return Buffer.from(['code,package,title,lever', ...rows.map((r) => r.map((c) => c ?? '').join(','))].join('\n'));
}

describe('where a new measure may go', () => {
  it('tells each package whether the viewer may create a measure there and assign its owner', async () => {
    const itOwner = await t.login('it.owner@northwind.example');
    const res = await t.gql<{ measurePackages: { name: string; viewerCanCreateMeasure: boolean; viewerCanAssignOwner: boolean }[] }>(
      `{ measurePackages { name viewerCanCreateMeasure viewerCanAssignOwner } }`,
      {},
      itOwner,
    );
    const creatable = res.data!.measurePackages.filter((p) => p.viewerCanCreateMeasure).map((p) => p.name).sort();
    expect(creatable).toEqual(['Incident reduction', 'Infrastructure consolidation', 'Self-service & automation']);
    expect(res.data!.measurePackages.some((p) => p.viewerCanAssignOwner)).toBe(false);
    const admin = await t.gql<{ measurePackages: { viewerCanCreateMeasure: boolean; viewerCanAssignOwner: boolean }[] }>(`{ measurePackages { viewerCanCreateMeasure viewerCanAssignOwner } }`, {}, t.tokens.admin);
    expect(admin.data!.measurePackages.every((p) => p.viewerCanCreateMeasure && p.viewerCanAssignOwner)).toBe(true);
    const viewer = await t.gql<{ measurePackages: { viewerCanCreateMeasure: boolean }[] }>(`{ measurePackages { viewerCanCreateMeasure } }`, {}, t.tokens.viewer);
    expect(viewer.data!.measurePackages.some((p) => p.viewerCanCreateMeasure)).toBe(false);
  });
});
