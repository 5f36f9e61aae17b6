import { checkMeasurePeople } from '@gatehouse/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SegregationOfDuties1765700000000 } from '../../database/migrations/1765700000000-segregation-of-duties.js';
import { governance } from '../../testing/governance-helpers.js';
import { loadGateFactsOf } from './gate-facts.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * Segregation of duties (PRODUCT.md): owner, sponsor and controller are three people; whoever entered or changed
 * any actual may not sign off; nobody resumes or reopens their own measure; only a review's chair overrides, inside
 * the review; closed measures take no evidence. Each refusal carries its code and changes nothing.
 */
let t: TestApp;
let g: ReturnType<typeof governance>;
let org: string;
beforeAll(async () => {
  t = await startTestApp();
  g = governance(t);
  org = (await g.must(`{ organisation { id } }`, {}, t.tokens.admin)).organisation.id;
});
afterAll(async () => t?.close());

let seq = 0;
/** A new account holding these roles on the whole organisation, signed in. */
async function person(roles: string[]): Promise<{ id: string; token: string }> {
  const email = `sod-${++seq}@northwind.example`;
  const { id } = (await g.must(`mutation($e: String!) { createUser(input: { email: $e, name: "SoD ${seq}", password: "a-long-password" }) { id } }`, { e: email }, t.tokens.admin)).createUser;
  for (const role of roles) {
    await g.must(`mutation($u: ID!, $r: Role!, $s: ID!) { grantRole(userId: $u, role: $r, scopeId: $s) { id } }`, { u: id, r: role, s: org }, t.tokens.admin);
  }
  return { id, token: await t.login(email, 'a-long-password') };
}

const SIGN_OFF = `mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "19750.00", evidence: "Ledger extract") { state } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $in: UpdateMeasureInput!) { updateMeasure(id: $id, version: $v, input: $in) { id } }`;

describe('the demo data', () => {
  it('keeps owner, sponsor and controller of every demo measure apart, in their roles', async () => {
    const ids: string[] = (await t.db.dataSource.query(`SELECT id FROM measure`)).map((r: { id: string }) => r.id);
    expect(ids.length).toBe(t.demo!.measures);
    const facts = await loadGateFactsOf(t.db.dataSource.manager, ids);
    const broken = [...facts].filter(([, f]) => !checkMeasurePeople({ ...f }).allowed);
    expect(broken).toEqual([]);
    // And the demo's reviews have a chair on the steering committee.
    expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM gate_review WHERE chair_id <> $1`, [t.demo!.users.steering])).toEqual([{ n: 0 }]);
  });
});

describe('whoever entered or changed any actual may not sign off', () => {
  it('refuses the controller who entered months of actuals after the owner corrected one of them by a cent', async () => {
    // Setup: a controller who is also an admin enters six months of actuals; the owner then changes one by 0.01.
    const controllerAdmin = await person(['CONTROLLER', 'ADMIN']);
    const id = await g.measureAtDoi4('Inflated actuals');
    const months = ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'];
    await g.setValues(id, months.map((month) => ({ month, kind: 'ACTUAL', amount: '50000.00' })), controllerAdmin.token);
    await g.setValues(id, [{ month: '2026-08', kind: 'ACTUAL', amount: '50000.01' }], t.tokens.owner);
    const before = await t.checksum();
    // Action
    const res = await t.gql(SIGN_OFF, { id }, controllerAdmin.token);
    // Assert
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
    const queue = await g.must(`{ signOffQueue { id } }`, {}, controllerAdmin.token);
    expect(queue.signOffQueue.map((m: { id: string }) => m.id)).not.toContain(id);
    const can = await g.must(`query($id: ID!) { measure(id: $id) { viewerCan { signOff } } }`, { id }, controllerAdmin.token);
    expect(can.measure.viewerCan.signOff).toBe(false);
    // A controller who never touched the actuals still may.
    expect((await t.gql(SIGN_OFF, { id }, t.tokens.controller)).data?.signOffClosure).toEqual({ state: 'CLOSED' });
  });

  it('does not count a write that left an actual unchanged', async () => {
    const controllerAdmin = await person(['CONTROLLER', 'ADMIN']);
    const id = await g.measureAtDoi4('Actuals resent unchanged');
    // The owner recorded 2026-01 as 9500.00 (measureAtDoi4); sending the same amount changes nothing.
    await g.setValues(id, [{ month: '2026-01', kind: 'ACTUAL', amount: '9500.00' }, { month: '2026-05', kind: 'PLAN', amount: '10.00' }], controllerAdmin.token);
    expect((await t.gql(SIGN_OFF, { id }, controllerAdmin.token)).data?.signOffClosure).toEqual({ state: 'CLOSED' });
  });
});

describe('owner, sponsor and controller are three people in their roles', () => {
  it('refuses an owner making themselves sponsor or controller, and changes nothing', async () => {
    const m = await g.newMeasure('Self-sponsored');
    const owner = t.demo!.users.owner;
    const before = await t.checksum();
    for (const input of [{ sponsorId: owner }, { controllerId: owner }, { sponsorId: owner, controllerId: owner }]) {
      const res = await t.gql(UPDATE, { id: m.id, v: m.version, in: input }, t.tokens.owner);
      expect(errorCode(res), JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    expect(await t.checksum()).toBe(before);
  });

  it('refuses the same person as sponsor and controller', async () => {
    const m = await g.newMeasure('One person, two duties');
    const res = await t.gql(UPDATE, { id: m.id, v: m.version, in: { sponsorId: t.demo!.users.controller } }, t.tokens.owner);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe('controllerId');
  });

  it('refuses a viewer or a user without a role as controller, and a user without a role as sponsor, at create and edit', async () => {
    const nobody = await person([]);
    const pkg = await g.firstPackage();
    const before = await t.checksum();
    const create = (s: string, c: string) =>
      t.gql(
        `mutation($p: ID!, $o: ID!, $s: ID, $c: ID) { createMeasure(input: { packageId: $p, title: "Wrong people", lever: COST_REDUCTION, ownerId: $o, sponsorId: $s, controllerId: $c }) { id } }`,
        { p: pkg, o: t.demo!.users.owner, s, c },
        t.tokens.owner,
      );
    const viewerAsController = await create(t.demo!.users.jonas, t.demo!.users.viewer);
    expect([errorCode(viewerAsController), viewerAsController.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'controllerId']);
    const nobodyAsController = await create(t.demo!.users.jonas, nobody.id);
    expect([errorCode(nobodyAsController), nobodyAsController.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'controllerId']);
    const nobodyAsSponsor = await create(nobody.id, t.demo!.users.controller);
    expect([errorCode(nobodyAsSponsor), nobodyAsSponsor.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'sponsorId']);
    const m = await g.newMeasure('Edited to wrong people');
    const afterCreate = await t.checksum();
    expect(errorCode(await t.gql(UPDATE, { id: m.id, v: m.version, in: { controllerId: t.demo!.users.viewer } }, t.tokens.owner))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(UPDATE, { id: m.id, v: m.version, in: { sponsorId: nobody.id } }, t.tokens.owner))).toBe('BAD_USER_INPUT');
    expect(await t.checksum()).toBe(afterCreate);
    expect(before).not.toBe(afterCreate);
  });

  it('fails the sponsor criterion and refuses the sponsor’s decision once the sponsor holds no role in scope', async () => {
    // Setup: a sponsor assigned while they held a role, which an admin then revoked.
    const sponsor = await person(['VIEWER']);
    const m = await g.newMeasure('Sponsor without a role');
    await g.must(UPDATE, { id: m.id, v: m.version, in: { sponsorId: sponsor.id } }, t.tokens.owner);
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    await g.must(`mutation($u: ID!, $s: ID!) { revokeRole(userId: $u, role: VIEWER, scopeId: $s) }`, { u: sponsor.id, s: org }, t.tokens.admin);
    const gate = await g.must(`query($id: ID!) { measure(id: $id) { nextGate { criteria { id passed } } } }`, { id: m.id }, t.tokens.owner);
    expect(gate.measure.nextGate.criteria.find((c: { id: string }) => c.id === 'SPONSOR_ASSIGNED').passed).toBe(false);
    const before = await t.checksum();
    // Action
    const res = await g.decide(r.id, 'APPROVE', { items: ['scope-agreed'] }, sponsor.token);
    // Assert
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });
});

describe('nobody resumes or reopens their own measure', () => {
  it('refuses a steering committee member resuming the measure they own after a colleague put it on hold', async () => {
    const member = await person(['STEERING_COMMITTEE', 'OWNER']);
    const pkg = await g.firstPackage();
    const { id } = (
      await g.must(
        `mutation($p: ID!, $o: ID!, $s: ID!, $c: ID!) { createMeasure(input: { packageId: $p, title: "Owned by a steering member", lever: COST_REDUCTION, ownerId: $o, sponsorId: $s, controllerId: $c, roughPotential: "1000.00" }) { id } }`,
        { p: pkg, o: member.id, s: t.demo!.users.jonas, c: t.demo!.users.controller },
        member.token,
      )
    ).createMeasure;
    const r = await g.requestGate(id, member.token);
    expect((await g.decide(r.id, 'HOLD')).errors).toBeUndefined();
    const before = await t.checksum();
    // Action
    const res = await t.gql(`mutation($id: ID!) { resumeMeasure(measureId: $id, reason: "Mine again") { state } }`, { id }, member.token);
    // Assert
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
    expect((await g.must(`query($id: ID!) { measure(id: $id) { viewerCan { resume } } }`, { id }, member.token)).measure.viewerCan.resume).toBe(false);
    expect((await t.gql(`mutation($id: ID!) { resumeMeasure(measureId: $id, reason: "Budget back") { state } }`, { id }, t.tokens.steering)).data?.resumeMeasure).toEqual({ state: 'ACTIVE' });
  });

  it('refuses an owner who is also a controller reopening their own signed-off measure', async () => {
    const ownerController = await person(['OWNER', 'CONTROLLER']);
    const id = await g.measureAtDoi4('Reopened by its owner');
    await g.must(UPDATE, { id, v: await g.version(id), in: { ownerId: ownerController.id } }, t.tokens.admin);
    await g.must(SIGN_OFF, { id }, t.tokens.controller);
    const before = await t.checksum();
    // Action
    const res = await t.gql(`mutation($id: ID!) { reopenMeasure(measureId: $id, reason: "Figures revised") { state } }`, { id }, ownerController.token);
    // Assert
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
    expect((await g.must(`query($id: ID!) { measure(id: $id) { viewerCan { reopen } } }`, { id }, ownerController.token)).measure.viewerCan.reopen).toBe(false);
  });
});

describe('closed measures accept no evidence', () => {
  it('refuses evidence on a signed-off measure, from anyone who could add it before', async () => {
    const id = await g.measureAtDoi4('Evidence after closure');
    await g.must(SIGN_OFF, { id }, t.tokens.controller);
    const before = await t.checksum();
    for (const token of [t.tokens.owner, t.tokens.controller, t.tokens.admin]) {
      const res = await t.gql(`mutation($id: ID!) { addEvidence(measureId: $id, input: { title: "Late proof", url: "https://wiki.example/late" }) { id } }`, { id }, token);
      expect(errorCode(res)).toBe('CONFLICT');
    }
    expect(await t.checksum()).toBe(before);
    expect((await g.must(`query($id: ID!) { measure(id: $id) { viewerCan { addEvidence } } }`, { id }, t.tokens.owner)).measure.viewerCan.addEvidence).toBe(false);
  });
});

describe('only the chair overrides, inside the review', () => {
  const bareRequest = async (title: string) => {
    const { id } = (
      await g.must(
        `mutation($p: ID!, $o: ID!, $t: String!) { createMeasure(input: { packageId: $p, title: $t, lever: COST_REDUCTION, ownerId: $o, roughPotential: "5000.00" }) { id } }`,
        { p: await g.firstPackage(), o: t.demo!.users.owner, t: title },
        t.tokens.owner,
      )
    ).createMeasure;
    return g.requestGate(id);
  };

  it('refuses an override by a steering committee member who is not the chair, and any override outside a review', async () => {
    const r = await bareRequest('Override by a member');
    const reviewId = await g.review([r.id]); // chaired by Sam Steering
    const jonas = await t.login('jonas.berg@northwind.example');
    const before = await t.checksum();
    const byMember = await g.decide(r.id, 'APPROVE', { o: true, rev: reviewId, why: 'Strategic' }, jonas);
    expect(errorCode(byMember)).toBe('FORBIDDEN');
    const outside = await g.decide(r.id, 'APPROVE', { o: true, why: 'Strategic' });
    expect(errorCode(outside)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
    const byChair = await g.decide(r.id, 'APPROVE', { o: true, rev: reviewId, why: 'Strategic' });
    expect(byChair.data?.decideGate).toMatchObject({ status: 'APPROVED', override: true });
  });

  it('requires a chair holding the steering committee role in the review’s scope, and makes them a participant', async () => {
    const before = await t.checksum();
    const create = (chairId: string) =>
      t.gql(`mutation($s: ID!, $c: ID!) { createGateReview(input: { scopeId: $s, chairId: $c, date: "2026-12-05T09:00:00Z" }) { id chair { id } participants { id } } }`, { s: org, c: chairId }, t.tokens.steering);
    for (const chair of [t.demo!.users.controller, t.demo!.users.viewer, t.demo!.users.owner]) {
      const res = await create(chair);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.field).toBe('chairId');
    }
    const missing = await t.gql(`mutation($s: ID!) { createGateReview(input: { scopeId: $s, date: "2026-12-05T09:00:00Z" }) { id } }`, { s: org }, t.tokens.steering);
    expect(missing.errors).toBeDefined();
    expect(await t.checksum()).toBe(before);
    const ok = await create(t.demo!.users.jonas);
    // (Ids: another person's e-mail is for admins and the person alone.)
    expect(ok.data!.createGateReview.chair).toEqual({ id: t.demo!.users.jonas });
    expect(ok.data!.createGateReview.participants).toEqual([{ id: t.demo!.users.jonas }]);
  });
});

describe('the people pickers', () => {
  it('offers as controllers only those holding CONTROLLER on the scope, as chairs only the steering committee', async () => {
    const pkg = await g.firstPackage();
    // Ids, not e-mails: another person's e-mail is for admins and the person alone.
    const people = async (duty: string) =>
      (await g.must(`query($s: ID!, $d: PersonDuty!) { assignablePeople(scopeId: $s, duty: $d) { id } }`, { s: pkg, d: duty }, t.tokens.owner)).assignablePeople.map((u: { id: string }) => u.id);
    const u = t.demo!.users;
    const controllers = await people('CONTROLLER');
    expect(controllers).toEqual(expect.arrayContaining([u.controller, u.mei]));
    expect(controllers).not.toContain(u.viewer);
    expect(controllers).not.toContain(u.owner);
    const chairs = await people('REVIEW_CHAIR');
    expect(chairs).toEqual(expect.arrayContaining([u.steering, u.jonas]));
    expect(chairs).not.toContain(u.controller);
    expect(await people('SPONSOR')).toContain(u.viewer);
  });
});

describe('the migration', () => {
  it('backfills every editor of actuals from the audit trail, even one whose values were all overwritten since', async () => {
    // Setup: a controller-admin's only actual is then overwritten by the owner, so the values no longer name them.
    const controllerAdmin = await person(['CONTROLLER', 'ADMIN']);
    const id = await g.measureAtDoi4('Overwritten actuals');
    await g.setValues(id, [{ month: '2026-03', kind: 'ACTUAL', amount: '70000.00' }], controllerAdmin.token);
    await g.setValues(id, [{ month: '2026-03', kind: 'ACTUAL', amount: '7000.00' }], t.tokens.owner);
    const editors = () => t.db.dataSource.query(`SELECT measure_id, user_id FROM measure_actual_editor ORDER BY 1, 2`);
    const before = await editors();
    expect(before).toContainEqual({ measure_id: id, user_id: controllerAdmin.id });
    // Action: down and up again, as on a database that had the history but not the table.
    const runner = t.db.dataSource.createQueryRunner();
    try {
      await new SegregationOfDuties1765700000000().down(runner);
      expect(await runner.query(`SELECT to_regclass('measure_actual_editor') AS t`)).toEqual([{ t: null }]);
      await new SegregationOfDuties1765700000000().up(runner);
    } finally {
      await runner.release();
    }
    // Assert: the same editors, and the sign-off still refused.
    expect(await editors()).toEqual(before);
    expect(errorCode(await t.gql(SIGN_OFF, { id }, controllerAdmin.token))).toBe('FORBIDDEN');
  });
});

describe('large amounts', () => {
  it('holds totals of the largest valid values and refuses one cent more than the maximum', async () => {
    const m = await g.newMeasure('Large amounts');
    const big = [
      { month: '2026-01', kind: 'PLAN', amount: '5000000000000.00' },
      { month: '2026-02', kind: 'PLAN', amount: '5000000000000.00' },
    ];
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!, $values: [MeasureValueInput!]!) { setMeasureValues(measureId: $id, version: $v, values: $values) { planTotal annualPotential } }`,
      { id: m.id, v: m.version, values: big },
      t.tokens.owner,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.setMeasureValues).toEqual({ planTotal: '10000000000000.00', annualPotential: '10000000000000.00' });
    const max = '9999999999999.99';
    const months = Array.from({ length: 24 }, (_, i) => `${2027 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const all = await t.gql(
      `mutation($id: ID!, $v: Int!, $values: [MeasureValueInput!]!) { setMeasureValues(measureId: $id, version: $v, values: $values) { planTotal forecastTotal actualTotal } }`,
      { id: m.id, v: await g.version(m.id), values: months.flatMap((month) => ['PLAN', 'FORECAST', 'ACTUAL'].map((kind) => ({ month, kind, amount: max }))) },
      t.tokens.owner,
    );
    expect(all.errors).toBeUndefined();
    // 24 months at the maximum plus the two months above: exact, no overflow.
    expect(all.data!.setMeasureValues).toEqual({ planTotal: '249999999999999.76', forecastTotal: '249999999999999.76', actualTotal: '239999999999999.76' });
    const summary = await g.must(`{ portfolioSummary { byDoi { doi plan } } }`, {}, t.tokens.admin);
    expect(summary.portfolioSummary.byDoi.length).toBeGreaterThan(0);
    const before = await t.checksum();
    for (const amount of ['10000000000000.00', '-10000000000000.00', '99999999999999999999']) {
      const over = await t.gql(
        `mutation($id: ID!, $v: Int!, $a: Money!) { setMeasureValues(measureId: $id, version: $v, values: [{ month: "2026-03", kind: FORECAST, amount: $a }]) { id } }`,
        { id: m.id, v: await g.version(m.id), a: amount },
        t.tokens.owner,
      );
      expect(errorCode(over), amount).toBe('BAD_USER_INPUT');
    }
    expect(await t.checksum()).toBe(before);
  });
});
