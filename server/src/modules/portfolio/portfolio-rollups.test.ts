import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../../testing/governance-helpers.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { IMPLEMENTATION_STATUS_SQL, OVERDUE_SQL, POTENTIAL_STATUS_SQL } from '../measures/index.js';
import { maintainedRollups, norm, scannedRollups } from '../../testing/rollup-scan.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const scanned = () => scannedRollups(t.db.dataSource);
const maintained = () => maintainedRollups(t.db.dataSource);

describe('portfolio rollups', () => {
  it('equal a full scan after the demo load and after values, gates, stops, sign-offs and reopenings', async () => {
    expect(norm((await maintained()).doi)).toEqual(norm((await scanned()).doi));
    expect(norm((await maintained()).months)).toEqual(norm((await scanned()).months.filter((m: any) => Number(m.plan ?? 0) !== 0 || Number(m.forecast) !== 0 || Number(m.actual) !== 0)));
    expect((await maintained()).status).toEqual((await scanned()).status);
    // A run of changes through the API.
    const g = governance(t);
    const a = await g.newMeasure('Rollup A');
    await g.plan(a.id);
    await g.setValues(a.id, [{ month: '2026-02', kind: 'PLAN', amount: '123.45' }, { month: '2026-03', kind: 'FORECAST', amount: '99.99' }]);
    const r = await g.requestGate(a.id);
    await g.decide(r.id, 'STOP', { why: 'Superseded' });
    const closed = await g.measureAtDoi4('Rollup B');
    await g.must(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "10.00", evidence: "Ledger") { id } }`, { id: closed }, t.tokens.controller);
    await g.must(`mutation($id: ID!) { reopenMeasure(measureId: $id, reason: "Correction") { id } }`, { id: closed }, t.tokens.controller);
    await g.must(`mutation($id: ID!) { moveMeasureBack(measureId: $id, toDoi: 2, reason: "Slipped") { id } }`, { id: closed }, t.tokens.steering);
    const s = await scanned();
    const m = await maintained();
    expect(norm(m.doi)).toEqual(norm(s.doi));
    expect(norm(m.months)).toEqual(norm(s.months.filter((x: any) => Number(x.plan ?? 0) !== 0 || Number(x.forecast) !== 0 || Number(x.actual) !== 0)));
    expect(m.status).toEqual(s.status);
    expect(m.status.length).toBeGreaterThan(0);
  });

  it('keep the status counts right when a milestone, an override or the thresholds change', async () => {
    // Arrange
    const g = governance(t);
    const a = await g.newMeasure('Status rollup');
    const before = (await maintained()).status;
    // Act: a due milestone, an implementation override, new potential thresholds
    await g.must(`mutation($id: ID!) { addMilestone(measureId: $id, input: { title: "Pilot", dueOn: "2020-01-15T00:00:00Z" }) { id } }`, { id: a.id }, t.tokens.owner);
    await t.db.dataSource.query(`UPDATE measure SET implementation_status_override = 'AMBER', implementation_status_override_reason = 'Supplier late' WHERE id = $1`, [a.id]);
    await g.must(`mutation { updateOrganisationSettings(input: { potentialGreenPercent: 120, potentialAmberPercent: 90 }) { id } }`, {}, t.tokens.admin);
    // Assert: the rollup moved and still equals the scan
    const after = await maintained();
    expect(after.status).not.toEqual(before);
    expect(after.status).toEqual((await scanned()).status);
    await g.must(`mutation { updateOrganisationSettings(input: { potentialGreenPercent: 100, potentialAmberPercent: 80 }) { id } }`, {}, t.tokens.admin);
    expect((await maintained()).status).toEqual((await scanned()).status);
  });

  it('give the organisation summary the statuses and overdue count a scan of its measures gives today', async () => {
    // Arrange: the counts by the live rules over every active and on-hold measure
    const [scan] = await t.db.dataSource.query(`
      SELECT count(*) FILTER (WHERE ${IMPLEMENTATION_STATUS_SQL} = 'GREEN')::int AS impl_green, count(*) FILTER (WHERE ${IMPLEMENTATION_STATUS_SQL} = 'AMBER')::int AS impl_amber,
             count(*) FILTER (WHERE ${IMPLEMENTATION_STATUS_SQL} = 'RED')::int AS impl_red, count(*) FILTER (WHERE ${POTENTIAL_STATUS_SQL} = 'GREEN')::int AS pot_green,
             count(*) FILTER (WHERE ${POTENTIAL_STATUS_SQL} = 'AMBER')::int AS pot_amber, count(*) FILTER (WHERE ${POTENTIAL_STATUS_SQL} = 'RED')::int AS pot_red,
             count(*) FILTER (WHERE ${OVERDUE_SQL})::int AS overdue
        FROM measure m JOIN organisation o ON o.id = m.organisation_id WHERE m.state IN ('ACTIVE', 'ON_HOLD')`);
    // Act: the admin's summary, answered from the rollup
    const summary = (await t.gql(`{ portfolioSummary { byImplementationStatus { status count } byPotentialStatus { status count } overdueCount } }`, {}, t.tokens.admin)).data!
      .portfolioSummary;
    // Assert
    const count = (list: { status: string; count: number }[], status: string) => list.find((x) => x.status === status)!.count;
    expect({
      impl_green: count(summary.byImplementationStatus, 'GREEN'), impl_amber: count(summary.byImplementationStatus, 'AMBER'), impl_red: count(summary.byImplementationStatus, 'RED'),
      pot_green: count(summary.byPotentialStatus, 'GREEN'), pot_amber: count(summary.byPotentialStatus, 'AMBER'), pot_red: count(summary.byPotentialStatus, 'RED'),
      overdue: summary.overdueCount,
    }).toEqual(scan);
    expect(scan.overdue).toBeGreaterThan(0);
    expect(scan.impl_red + scan.impl_amber).toBeGreaterThan(0);
  });

  it('answers the summary from rollups for a role on the scope and from a scan for partial visibility, alike', async () => {
    const q = `{ portfolioSummary { measureCount byDoi { doi count plan forecast actual } valueByMonth { month plan forecast actual }
      byImplementationStatus { status count } byPotentialStatus { status count } overdueCount } }`;
    const viaRollup = (await t.gql(q, {}, t.tokens.admin)).data!.portfolioSummary;
    const viaScan = (await t.gql(q, {}, t.tokens.viewer)).data!.portfolioSummary;
    expect(viaRollup).toEqual(viaScan);
  });

  it('reconciles: every measure is in a level or counted as stopped, and ideas carry their rough potential', async () => {
    // Setup: the figures straight from the measures table (an idea's potential: its rough one until it has a plan).
    const [counts] = await t.db.dataSource.query(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE state = 'CANCELLED'))::int AS cancelled,
              coalesce(sum(coalesce((SELECT sum(amount) FROM (SELECT v.amount FROM measure_value v WHERE v.measure_id = m.id AND v.kind = 'PLAN'
                                                              ORDER BY v.month DESC LIMIT 12) last12), m.rough_potential))
                       FILTER (WHERE m.doi = 1 AND m.state <> 'CANCELLED'), 0)::text AS ideas
         FROM measure m`,
    );
    // Action
    const summary = (await t.gql(`{ portfolioSummary { measureCount cancelledCount totalAnnualPotential byDoi { doi count annualPotential } } }`, {}, t.tokens.admin)).data!.portfolioSummary;
    // Assert
    expect(summary.measureCount).toBe(counts.total);
    expect(summary.cancelledCount).toBe(counts.cancelled);
    expect(summary.byDoi.reduce((n: number, l: { count: number }) => n + l.count, 0) + summary.cancelledCount).toBe(summary.measureCount);
    expect(Number(counts.ideas)).toBeGreaterThan(0);
    expect(Number(summary.byDoi[0].annualPotential)).toBeCloseTo(Number(counts.ideas), 2);
    expect(Number(summary.totalAnnualPotential)).toBeCloseTo(summary.byDoi.reduce((n: number, l: { annualPotential: string }) => n + Number(l.annualPotential), 0), 2);
  });
});
