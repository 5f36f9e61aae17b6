import ExcelJS from 'exceljs';
import request from 'supertest';
import { readMeasureImportLine, type MeasureImportReport } from '@gatehouse/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadBytes } from '../../testing/download.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * Issue 14, "Done when": 500 measures with 24 months of plan, forecast and actual values go out as .xlsx and
 * come back unchanged (0 changes); then with 10 edited cells (10 changes); then with 3 broken rows (3 rejections
 * with row and reason, nothing else changed). The 500 measures are the fixture, written with a few set-based
 * statements into a package of the demo organisation; export and import run through the real HTTP routes.
 */

const COUNT = 500;
const MONTHS = Array.from({ length: 24 }, (_, k) => `${2025 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`);
const LEVERS = ['COST_REDUCTION', 'REVENUE_INCREASE', 'COST_AVOIDANCE', 'CAPEX_REDUCTION', 'NON_FINANCIAL'];
const PACKAGE = 'Bulk round trip';

/** The fixture's values, written here once in JavaScript and once in the SQL below; the export is checked against this. */
function fixtureAmount(i: number, kind: 'PLAN' | 'FORECAST' | 'ACTUAL', k: number): string {
  const cents = { PLAN: 100_000 + ((i * 37 + k * 11) % 500) * 100 + ((i + k) % 100), FORECAST: 90_000 + ((i * 13 + k * 7) % 400) * 100 + ((i * 3 + k) % 100), ACTUAL: 80_000 + ((i * 11 + k * 5) % 300) * 100 + ((i + k * 3) % 100) }[kind];
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
const fixtureTitle = (i: number) => `Bulk measure ${String(i).padStart(3, '0')}`;
const fixtureLever = (i: number) => LEVERS[i % LEVERS.length];
const fixtureDue = (i: number) => `2027-03-${String(1 + (i % 28)).padStart(2, '0')}`;

let t: TestApp;
let packageId: string;
let codes: string[] = [];
const timings: Record<string, number> = {};

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - start);
  }
}

beforeAll(async () => {
  t = await startTestApp();
  const programs = await t.gql<{ programs: { id: string }[] }>(`{ programs { id } }`, {}, t.tokens.admin);
  const created = await t.gql<{ createMeasurePackage: { id: string } }>(
    `mutation($input: CreateMeasurePackageInput!) { createMeasurePackage(input: $input) { id } }`,
    { input: { name: PACKAGE, programId: programs.data!.programs[0].id } },
    t.tokens.admin,
  );
  expect(created.errors).toBeUndefined();
  packageId = created.data!.createMeasurePackage.id;
  await timed('fixture', () => insertFixture());
}, 180_000);
afterAll(async () => {
  console.info(`measure bulk round trip (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}), ms:`, JSON.stringify(timings));
  await t?.close();
});

/** 500 measures, 36 000 values and 500 milestones in a handful of statements, with their totals and next due date. */
async function insertFixture(): Promise<void> {
  const orgId = t.demo!.organisationId;
  const ownerId = t.demo!.users.owner;
  const adminId = t.demo!.users.admin;
  await t.db.dataSource.transaction(async (m) => {
    const [{ path }] = await m.query(`SELECT path FROM measure_package WHERE id = $1`, [packageId]);
    const rows: { seq: number }[] = await m.query(`SELECT measure_seq AS seq FROM organisation WHERE id = $1 FOR UPDATE`, [orgId]);
    const base = Number(rows[0].seq);
    await m.query(`UPDATE organisation SET measure_seq = measure_seq + $2 WHERE id = $1`, [orgId, COUNT]);
    await m.query(
      `INSERT INTO measure (organisation_id, package_id, path, seq, code, title, lever, owner_id, doi, state, version, created_at, updated_at, updated_by)
       SELECT $1, $2, $3::uuid[], $4 + i, 'M-' || lpad(($4 + i)::text, 4, '0'), 'Bulk measure ' || lpad(i::text, 3, '0'),
              ($5::text[])[1 + i % 5], $6, 1, 'ACTIVE', 1, now(), now(), $7
         FROM generate_series(1, $8::int) AS i`,
      [orgId, packageId, path, base, LEVERS, ownerId, adminId, COUNT],
    );
    // Month k (0-23) from 2025-01; amounts in cents, as fixtureAmount() computes them.
    await m.query(
      `INSERT INTO measure_value (measure_id, kind, month, amount, updated_by)
       SELECT m.id, v.kind, (date '2025-01-01' + make_interval(months => k))::date,
              (CASE v.kind
                 WHEN 'PLAN' THEN 100000 + ((s.i * 37 + k * 11) % 500) * 100 + ((s.i + k) % 100)
                 WHEN 'FORECAST' THEN 90000 + ((s.i * 13 + k * 7) % 400) * 100 + ((s.i * 3 + k) % 100)
                 ELSE 80000 + ((s.i * 11 + k * 5) % 300) * 100 + ((s.i + k * 3) % 100) END) / 100.0,
              $3
         FROM (SELECT id, seq - $2 AS i FROM measure WHERE package_id = $1) s
         JOIN measure m ON m.id = s.id
        CROSS JOIN generate_series(0, 23) AS k
        CROSS JOIN (VALUES ('PLAN'), ('FORECAST'), ('ACTUAL')) AS v(kind)`,
      [packageId, base, ownerId],
    );
    await m.query(
      `INSERT INTO milestone (measure_id, title, due_on)
       SELECT id, 'Kick-off', timestamptz '2027-03-01 00:00:00+00' + make_interval(days => (seq - $2) % 28) FROM measure WHERE package_id = $1`,
      [packageId, base],
    );
    // Every month has an actual, so the latest estimate is the actuals; the run rate is the last twelve plans.
    await m.query(
      `UPDATE measure m SET plan_total = s.plan, forecast_total = s.actual, actual_total = s.actual, one_off_cost_total = 0,
              annual_potential = s.run_rate, next_due_on = (SELECT min(due_on) FROM milestone WHERE measure_id = m.id)
         FROM (SELECT measure_id, sum(amount) FILTER (WHERE kind = 'PLAN') AS plan, sum(amount) FILTER (WHERE kind = 'ACTUAL') AS actual,
                      sum(amount) FILTER (WHERE kind = 'PLAN' AND month >= date '2026-01-01') AS run_rate
                 FROM measure_value GROUP BY measure_id) s
        WHERE s.measure_id = m.id AND m.package_id = $1`,
      [packageId],
    );
  });
  const list: { code: string }[] = await t.db.dataSource.query(`SELECT code FROM measure WHERE package_id = $1 ORDER BY seq`, [packageId]);
  codes = list.map((r) => r.code);
}

async function exportXlsx(): Promise<Buffer> {
  const res = await downloadBytes(t.app.httpServer, `/exports/measures.xlsx?scopeId=${packageId}`, t.tokens.admin);
  expect(res.status).toBe(200);
  return res.body;
}

async function upload(bytes: Buffer): Promise<MeasureImportReport> {
  const res = await request(t.app.httpServer)
    .post('/imports/measures')
    .set('authorization', `Bearer ${t.tokens.admin}`)
    .set('x-gatehouse-import', '1')
    .set('content-type', 'application/octet-stream')
    .send(bytes);
  expect(res.status).toBe(200);
  const lines = String(res.text)
    .split('\n')
    .filter(Boolean)
    .map((l) => readMeasureImportLine(JSON.parse(l)));
  const error = lines.find((l) => l?.type === 'error');
  expect(error).toBeUndefined();
  const done = lines.find((l) => l?.type === 'measures-done');
  if (done?.type !== 'measures-done') throw new Error(`no report: ${res.text.slice(0, 500)}`);
  return done.report;
}

/** Everything the import may change, by measure code: the measure's row, its values and its milestones. */
interface Snapshot {
  measures: Map<string, { row: string; title: string; lever: string; owner: string; pkg: string }>;
  values: Map<string, { amount: string; row: string }>;
  milestones: Map<string, { due: string; row: string }>;
}

async function snapshot(): Promise<Snapshot> {
  const q = (sql: string) => t.db.dataSource.query(sql, [packageId]);
  const measures: { code: string; row: string; title: string; lever: string; owner: string; pkg: string }[] = await q(
    `SELECT m.code, m::text AS row, m.title, m.lever, u.email AS owner, m.package_id AS pkg FROM measure m JOIN app_user u ON u.id = m.owner_id WHERE m.package_id = $1`,
  );
  const values: { key: string; amount: string; row: string }[] = await q(
    `SELECT m.code || ' ' || lower(v.kind) || ' ' || to_char(v.month, 'YYYY-MM') AS key, v.amount::text AS amount, v::text AS row
       FROM measure_value v JOIN measure m ON m.id = v.measure_id WHERE m.package_id = $1`,
  );
  const milestones: { code: string; due: string; row: string }[] = await q(
    `SELECT m.code, to_char(x.due_on AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS due, x::text AS row FROM milestone x JOIN measure m ON m.id = x.measure_id WHERE m.package_id = $1`,
  );
  return {
    measures: new Map(measures.map(({ code, ...rest }) => [code, rest])),
    values: new Map(values.map(({ key, ...rest }) => [key, rest])),
    milestones: new Map(milestones.map(({ code, ...rest }) => [code, rest])),
  };
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

describe('500 measures with 24 months of values: export, re-import, edit, break', () => {
  let exported: Buffer;
  let header: string[];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name}`);
    return i + 1;
  };

  it('exports every measure with all 72 monthly values and re-imports it as 0 changes', async () => {
    // Setup: the export of the package.
    exported = await timed('export', () => exportXlsx());
    const sheet = (await load(exported)).worksheets[0];
    header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual([
      'code', 'package', 'title', 'lever', 'owner', 'sponsor', 'controller', 'rough_potential', 'business_case', 'description', 'doi', 'state',
      'milestone_1_title', 'milestone_1_due', 'milestone_1_done',
      ...['plan', 'forecast', 'actual'].flatMap((kind) => MONTHS.map((month) => `${kind} ${month}`)),
    ]);
    expect(sheet.actualRowCount).toBe(COUNT + 1);
    // Spot checks against the fixture as written above: measure i is on row i + 1.
    for (const i of [1, 2, 250, 499, 500]) {
      const row = sheet.getRow(i + 1);
      expect(row.getCell(col('code')).value).toBe(codes[i - 1]);
      expect(row.getCell(col('title')).value).toBe(fixtureTitle(i));
      expect(row.getCell(col('lever')).value).toBe(fixtureLever(i));
      expect(row.getCell(col('owner')).value).toBe('owner@northwind.example');
      expect(row.getCell(col('milestone_1_due')).value).toBe(fixtureDue(i));
      for (const k of [0, 11, 23]) {
        expect(Number(row.getCell(col(`plan ${MONTHS[k]}`)).value).toFixed(2)).toBe(fixtureAmount(i, 'PLAN', k));
        expect(Number(row.getCell(col(`forecast ${MONTHS[k]}`)).value).toFixed(2)).toBe(fixtureAmount(i, 'FORECAST', k));
        expect(Number(row.getCell(col(`actual ${MONTHS[k]}`)).value).toFixed(2)).toBe(fixtureAmount(i, 'ACTUAL', k));
      }
    }
    const sumBefore = await t.checksum();

    // Action
    const report = await timed('import unchanged', () => upload(exported));

    // Assert: 0 changes, nothing written anywhere.
    expect(report).toMatchObject({ dryRun: false, rows: COUNT, created: 0, updated: 0, unchanged: COUNT, rejected: 0, plans: [], issues: [] });
    expect(await t.checksum()).toBe(sumBefore);
  }, 120_000);

  it('imports 10 edited cells as exactly 10 changes, and the database differs in exactly those 10 values', async () => {
    // Setup: 10 cells of 10 different measures edited with exceljs: 6 monthly values, 2 titles, 1 lever, 1 due date.
    const edits: { i: number; column: string; value: ExcelJS.CellValue; stored: string }[] = [
      { i: 11, column: 'plan 2025-01', value: 1234.56, stored: '1234.56' },
      { i: 57, column: 'forecast 2025-06', value: 98765.4, stored: '98765.40' },
      { i: 123, column: 'actual 2026-12', value: 0, stored: '0.00' },
      // A formula, as Excel stores it: its result in binary floating point (5000.110000000001), shown as 5000.11.
      { i: 200, column: 'plan 2026-07', value: { formula: '1000.1+4000.01', result: 1000.1 + 4000.01 }, stored: '5000.11' },
      { i: 311, column: 'forecast 2026-01', value: -250.75, stored: '-250.75' },
      { i: 499, column: 'actual 2025-09', value: '1,111.11', stored: '1111.11' },
      { i: 42, column: 'title', value: 'Renamed in Excel', stored: 'Renamed in Excel' },
      { i: 250, column: 'title', value: 'Bulk measure 250 (merged with 251)', stored: 'Bulk measure 250 (merged with 251)' },
      { i: 377, column: 'lever', value: 'CAPEX_REDUCTION', stored: 'CAPEX_REDUCTION' },
      { i: 460, column: 'milestone_1_due', value: '2027-09-30', stored: '2027-09-30' },
    ];
    expect(fixtureLever(377)).not.toBe('CAPEX_REDUCTION');
    expect(new Set(edits.map((e) => e.i)).size).toBe(10);
    const wb = await load(exported);
    for (const e of edits) wb.worksheets[0].getRow(e.i + 1).getCell(col(e.column)).value = e.value;
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await snapshot();

    // Action
    const report = await timed('import 10 edits', () => upload(edited));

    // Assert: the report: 10 measures updated, one change each, on the right rows.
    expect(report).toMatchObject({ created: 0, updated: 10, unchanged: COUNT - 10, rejected: 0, issues: [] });
    expect(report.plans.flatMap((p) => p.changes)).toHaveLength(10);
    const byRow = [...edits].sort((a, b) => a.i - b.i);
    expect(report.plans.map((p) => [p.row, p.code, p.action, p.changes.length])).toEqual(byRow.map((e) => [e.i + 1, codes[e.i - 1], 'update', 1]));
    const changeOf = (i: number) => report.plans.find((p) => p.row === i + 1)!.changes[0];
    expect(changeOf(11)).toBe(`plan 2025-01: ${fixtureAmount(11, 'PLAN', 0)} → 1234.56`);
    expect(changeOf(200)).toBe(`plan 2026-07: ${fixtureAmount(200, 'PLAN', 18)} → 5000.11`);
    expect(changeOf(377)).toBe(`lever: ${fixtureLever(377)} → CAPEX_REDUCTION`);
    expect(changeOf(460)).toBe(`milestone "Kick-off" due ${fixtureDue(460)} → 2027-09-30`);

    // Assert: the database differs from before in exactly these 10 values.
    const after = await snapshot();
    const changedValues = [...after.values].filter(([key, v]) => before.values.get(key)?.amount !== v.amount).map(([key, v]) => [key, v.amount]);
    expect(after.values.size).toBe(COUNT * 72);
    expect(changedValues.sort()).toEqual(
      edits
        .filter((e) => /^(plan|forecast|actual) /.test(e.column))
        .map((e) => [`${codes[e.i - 1]} ${e.column}`, e.stored])
        .sort(),
    );
    const fieldChanges: [string, string, string][] = [];
    for (const [code, m] of after.measures) {
      const old = before.measures.get(code)!;
      for (const field of ['title', 'lever', 'owner', 'pkg'] as const) if (old[field] !== m[field]) fieldChanges.push([code, field, m[field]]);
    }
    expect(fieldChanges.sort()).toEqual(
      edits
        .filter((e) => e.column === 'title' || e.column === 'lever')
        .map((e) => [codes[e.i - 1], e.column, e.stored])
        .sort(),
    );
    const dueChanges = [...after.milestones].filter(([code, x]) => before.milestones.get(code)!.due !== x.due).map(([code, x]) => [code, x.due]);
    expect(dueChanges).toEqual([[codes[459], '2027-09-30']]);
    // The 490 other measures, their values and milestones are untouched to the last column.
    const editedCodes = new Set(edits.map((e) => codes[e.i - 1]));
    for (const [code, m] of after.measures) if (!editedCodes.has(code)) expect(m.row, code).toBe(before.measures.get(code)!.row);
    const untouchedValueRows = [...after.values].filter(([key]) => !editedCodes.has(key.split(' ')[0]));
    expect(untouchedValueRows.length).toBe((COUNT - 10) * 72);
    for (const [key, v] of untouchedValueRows) if (v.row !== before.values.get(key)!.row) expect.fail(`${key} changed`);
    for (const [code, x] of after.milestones) if (code !== codes[459]) expect(x.row, code).toBe(before.milestones.get(code)!.row);

    // Importing the edited file again is 0 changes.
    const sum = await t.checksum();
    expect(await upload(edited)).toMatchObject({ created: 0, updated: 0, unchanged: COUNT, rejected: 0 });
    expect(await t.checksum()).toBe(sum);
  }, 120_000);

  it('rejects 3 broken rows with their row and reason, and changes nothing else', async () => {
    // Setup: a fresh export; 3 rows broken, each also carrying a good edit that must not be written either.
    const current = await exportXlsx();
    const wb = await load(current);
    const sheet = wb.worksheets[0];
    const edit = (i: number, column: string, value: string | number) => (sheet.getRow(i + 1).getCell(col(column)).value = value);
    edit(5, 'package', 'No such package');
    edit(5, 'title', 'Should not be written (5)');
    edit(150, 'plan 2025-03', 'twelve hundred');
    edit(150, 'forecast 2025-04', 4242);
    edit(333, 'owner', 'not-an-e-mail');
    edit(333, 'lever', 'REVENUE_INCREASE');
    const broken = Buffer.from(await wb.xlsx.writeBuffer());
    const sum = await t.checksum();

    // Action
    const report = await timed('import 3 broken rows', () => upload(broken));

    // Assert: 3 rejections, each with its row, column and reason; the other 497 rows unchanged; nothing written.
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: COUNT - 3, rejected: 3, plans: [] });
    expect(report.issues).toEqual([
      { row: 6, column: 'package', code: 'NOT_FOUND', reason: 'no measure package is named "No such package"' },
      { row: 151, column: 'plan 2025-03', code: 'BAD_USER_INPUT', reason: expect.stringMatching(/twelve hundred|number|amount/i) },
      { row: 334, column: 'owner', code: 'BAD_USER_INPUT', reason: '"not-an-e-mail" is not an e-mail address' },
    ]);
    expect(await t.checksum()).toBe(sum);
  }, 120_000);
});
