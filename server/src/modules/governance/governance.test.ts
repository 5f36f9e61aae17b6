import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../../testing/governance-helpers.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let g: ReturnType<typeof governance>;
beforeAll(async () => {
  t = await startTestApp();
  g = governance(t);
});
afterAll(async () => t?.close());

const MEASURE = `query($id: ID!) { measure(id: $id) { doi state version potentialValidated signOff { confirmedValue controller { email } }
  nextGate { toDoi canRequest criteria { id passed } } gateRequests { status decision override } } }`;

describe('a measure from DoI 1 to closed, with the demo roles', () => {
  it('is requested by the owner, decided by the steering committee in a gate review, validated and signed off by the controller', async () => {
    // DoI 1 -> 2: plan, sponsor, controller and business case are in place; the steering committee approves.
    const m = await g.newMeasure('Password self-service for contractors');
    await g.plan(m.id);
    const gate2 = await g.requestGate(m.id);
    expect(gate2.toDoi).toBe(2);
    const approved2 = await g.decide(gate2.id, 'APPROVE', { items: ['scope-agreed'] });
    expect(approved2.errors).toBeUndefined();
    expect(approved2.data!.decideGate).toMatchObject({ status: 'APPROVED', measure: { doi: 2, state: 'ACTIVE' } });

    // DoI 2 -> 3: milestones, the controller's validation, and a decision taken in a gate review.
    const milestone = await g.milestone(m.id, 'Roll-out to all contractors');
    const validated = await t.gql(`mutation($id: ID!) { validatePotential(measureId: $id, note: "Matches 40 tickets/month") { potentialValidated } }`, { id: m.id }, t.tokens.controller);
    expect(validated.data!.validatePotential.potentialValidated).toBe(true);
    const gate3 = await g.requestGate(m.id);
    const org = (await t.gql(`{ organisation { id } }`, {}, t.tokens.steering)).data!.organisation.id;
    const review = await t.gql(
      `mutation($s: ID!, $d: DateTime!, $p: [ID!]!, $r: [ID!]!) { createGateReview(input: { scopeId: $s, chairId: "${t.demo!.users.steering}", date: $d, participantIds: $p, requestIds: $r, title: "November steering committee" }) {
         id title agenda { id } participants { email } } }`,
      { s: org, d: new Date().toISOString(), p: [t.demo!.users.steering, t.demo!.users.jonas], r: [gate3.id] },
      t.tokens.steering,
    );
    expect(review.errors).toBeUndefined();
    expect(review.data!.createGateReview.agenda).toEqual([{ id: gate3.id }]);
    const reviewId = review.data!.createGateReview.id;
    const approved3 = await g.decide(gate3.id, 'APPROVE', { rev: reviewId, items: ['resources-committed'] });
    expect(approved3.errors).toBeUndefined();
    expect(approved3.data!.decideGate).toMatchObject({ status: 'APPROVED', override: false, measure: { doi: 3 } });
    const listed = await t.gql(`query($id: ID!) { gateReview(id: $id) { decisions { id decision decidedBy { email } } } }`, { id: reviewId }, t.tokens.viewer);
    expect(listed.data!.gateReview.decisions).toEqual([{ id: gate3.id, decision: 'APPROVE', decidedBy: { email: 'steering@northwind.example' } }]);

    // DoI 3 -> 4: every milestone done and implementation evidence attached.
    await g.must(`mutation($id: ID!) { completeMilestone(id: $id) { id } }`, { id: milestone }, t.tokens.owner);
    await g.must(`mutation($id: ID!) { addEvidence(measureId: $id, input: { title: "Roll-out report", url: "https://wiki.example/rollout" }) { id kind } }`, { id: m.id }, t.tokens.owner);
    const gate4 = await g.requestGate(m.id);
    const approved4 = await g.decide(gate4.id, 'APPROVE', { items: ['handover-done'] });
    expect(approved4.data!.decideGate.measure.doi).toBe(4);

    // DoI 4 -> 5: actuals recorded by the owner; the controller confirms the value with evidence.
    await g.setValues(m.id, [
      { month: '2026-01', kind: 'ACTUAL', amount: '9800.00' },
      { month: '2026-02', kind: 'ACTUAL', amount: '10100.00' },
    ]);
    await g.requestGate(m.id);
    const queue = await t.gql(`{ signOffQueue { id } }`, {}, t.tokens.controller);
    expect(queue.data!.signOffQueue.map((q: any) => q.id)).toContain(m.id);
    const signed = await t.gql(
      `mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "19900.00", evidence: "Finance ledger Jan-Feb, cost centre 4711", note: "Confirmed") { doi state } }`,
      { id: m.id },
      t.tokens.controller,
    );
    expect(signed.errors).toBeUndefined();
    expect(signed.data!.signOffClosure).toEqual({ doi: 5, state: 'CLOSED' });
    const closed = (await t.gql(MEASURE, { id: m.id }, t.tokens.viewer)).data!.measure;
    expect(closed.signOff).toEqual({ confirmedValue: '19900.00', controller: { email: 'controller@northwind.example' } });
    expect(closed.gateRequests.map((r: any) => r.status)).toEqual(['APPROVED', 'APPROVED', 'APPROVED', 'APPROVED']);
    expect(closed.nextGate).toBeNull();
    const verified = await t.gql(`{ verifyAuditTrail { ok checked firstBrokenId } }`, {}, t.tokens.admin);
    expect(verified.data!.verifyAuditTrail).toMatchObject({ ok: true, firstBrokenId: null });
    const trail = await t.gql(`query($id: ID) { auditTrail(entityId: $id, first: 100) { totalCount edges { node { action actor { email } } } } }`, { id: m.id }, t.tokens.viewer);
    const actions = trail.data!.auditTrail.edges.map((e: any) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(['measure.created', 'gate.requested', 'gate.decided', 'measure.potentialValidated', 'measure.signedOff']));
  });
});

describe('the sign-off queue', () => {
  it('lists exactly the DoI-4 measures the controller may sign off: never one they sponsor or whose actuals they entered last', async () => {
    // Setup: three DoI-4 measures; the demo controller sponsors one and entered the latest actuals of another.
    const plain = await g.measureAtDoi4('Queue: may sign off');
    const sponsored = await g.measureAtDoi4('Queue: sponsored by the controller');
    const edited = await g.measureAtDoi4('Queue: actuals by the controller');
    const controller = t.demo!.users.controller;
    await t.db.dataSource.query(`UPDATE measure SET sponsor_id = $2 WHERE id = $1`, [sponsored, controller]);
    await t.db.dataSource.query(`UPDATE measure_value SET updated_by = $2, updated_at = now() WHERE measure_id = $1 AND kind = 'ACTUAL'`, [edited, controller]);

    // Action
    const queue = (await g.must(`{ signOffQueue { id } }`, {}, t.tokens.controller)).signOffQueue.map((q: any) => q.id);
    const verdicts = await g.must(
      `query($a: ID!, $b: ID!, $c: ID!) { a: measure(id: $a) { viewerCan { signOff } } b: measure(id: $b) { viewerCan { signOff } } c: measure(id: $c) { viewerCan { signOff } } }`,
      { a: plain, b: sponsored, c: edited },
      t.tokens.controller,
    );

    // Assert: the queue and the per-measure verdict (and so the mutation) agree.
    expect([plain, sponsored, edited].map((id) => queue.includes(id))).toEqual([true, false, false]);
    expect([verdicts.a, verdicts.b, verdicts.c].map((m: any) => m.viewerCan.signOff)).toEqual([true, false, false]);
    expect(errorCode(await t.gql(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "1.00", evidence: "x") { id } }`, { id: edited }, t.tokens.controller))).toBe('FORBIDDEN');
    // Another controller in scope may sign off the one this controller sponsors.
    const mei = await t.login('mei.chen@northwind.example');
    expect((await g.must(`{ signOffQueue { id } }`, {}, mei)).signOffQueue.map((q: any) => q.id)).toEqual(expect.arrayContaining([sponsored, edited]));
  });
});

describe('refusals that change nothing', () => {
  it('refuses sign-off by the measure’s owner even when they are a controller', async () => {
    // Setup: the demo controller owns a DoI-4 measure (an admin made them owner, and Mei its controller)
    const id = await g.measureAtDoi4('Controller-owned measure');
    const v = await g.version(id);
    await g.must(`mutation($id: ID!, $v: Int!, $o: ID!, $c: ID!) { updateMeasure(id: $id, version: $v, input: { ownerId: $o, controllerId: $c }) { id } }`, { id, v, o: t.demo!.users.controller, c: t.demo!.users.mei }, t.tokens.admin);
    const before = await t.checksum();
    // Action
    const res = await t.gql(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "1.00", evidence: "mine") { id } }`, { id }, t.tokens.controller);
    // Assert
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });

  it('refuses sign-off by the owner who is no controller', async () => {
    const id = await g.measureAtDoi4('Owner tries to close');
    const before = await t.checksum();
    const res = await t.gql(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "1.00", evidence: "self") { id } }`, { id }, t.tokens.owner);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });

  it('refuses sign-off by a controller out of scope', async () => {
    const id = await g.measureAtDoi4('Out-of-scope controller');
    const units = (await t.gql(`{ orgUnits { id name } }`, {}, t.tokens.admin)).data!.orgUnits;
    const finance = units.find((u: any) => u.name === 'Finance');
    const user = (await g.must(`mutation { createUser(input: { email: "fin.controller@northwind.example", name: "Fin Controller", password: "a-long-password" }) { id } }`, {}, t.tokens.admin)).createUser;
    await g.must(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: CONTROLLER, scopeId: $s) { id } }`, { u: user.id, s: finance.id }, t.tokens.admin);
    const token = await t.login('fin.controller@northwind.example', 'a-long-password');
    const before = await t.checksum();
    const res = await t.gql(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "1.00", evidence: "x") { id } }`, { id }, token);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });

  it('refuses sign-off before DoI 4 and without actuals', async () => {
    const early = await g.newMeasure('Too early to close');
    const before = await t.checksum();
    const res = await t.gql(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "1.00", evidence: "x") { id } }`, { id: early.id }, t.tokens.controller);
    expect(errorCode(res)).toBe('CONFLICT');
    expect(await t.checksum()).toBe(before);

    // A DoI-4 measure without actual values.
    const id = await g.measureAtDoi4('No actuals yet');
    await t.db.dataSource.query(`DELETE FROM measure_value WHERE measure_id = $1 AND kind = 'ACTUAL'`, [id]);
    const before2 = await t.checksum();
    const res2 = await t.gql(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "1.00", evidence: "x") { id } }`, { id }, t.tokens.controller);
    expect(errorCode(res2)).toBe('GATE_CRITERIA_UNMET');
    expect(res2.errors![0].extensions!.unmet).toEqual([expect.objectContaining({ id: 'ACTUALS_RECORDED' })]);
    expect(await t.checksum()).toBe(before2);
  });

  it('refuses a decision without a rationale', async () => {
    const m = await g.newMeasure('No rationale');
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    const before = await t.checksum();
    const res = await g.decide(r.id, 'APPROVE', { why: '   ', items: ['scope-agreed'] });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(await t.checksum()).toBe(before);
  });

  it('refuses approval over unmet criteria, listing each, unless the steering committee overrides with a reason', async () => {
    // Setup: a bare DoI-1 measure, nothing planned, no checklist confirmed
    const packageId = await g.firstPackage();
    const bare = (
      await g.must(`mutation($p: ID!, $o: ID!) { createMeasure(input: { packageId: $p, title: "Bare idea", lever: COST_AVOIDANCE, ownerId: $o, roughPotential: "5000" }) { id } }`, { p: packageId, o: t.demo!.users.owner }, t.tokens.owner)
    ).createMeasure;
    const r = await g.requestGate(bare.id);
    const before = await t.checksum();
    // Action
    const refused = await g.decide(r.id);
    // Assert
    expect(errorCode(refused)).toBe('GATE_CRITERIA_UNMET');
    expect((refused.errors![0].extensions!.unmet as any[]).map((c) => c.id)).toEqual([
      'PLAN_VALUES',
      'CONTROLLER_ASSIGNED',
      'SPONSOR_ASSIGNED',
      'BUSINESS_CASE',
      'manual:scope-agreed',
    ]);
    expect(await t.checksum()).toBe(before);
    // Only the chair of a gate review may override, inside the review: outside one there is no override.
    const outside = await g.decide(r.id, 'APPROVE', { o: true, why: 'Strategic: the board asked for it' });
    expect(errorCode(outside)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
    const reviewId = await g.review([r.id]);
    const overridden = await g.decide(r.id, 'APPROVE', { o: true, rev: reviewId, why: 'Strategic: the board asked for it' });
    expect(overridden.errors).toBeUndefined();
    expect(overridden.data!.decideGate).toMatchObject({ status: 'APPROVED', override: true, measure: { doi: 2 } });
    const trail = await t.gql(`query($id: ID) { auditTrail(entityId: $id, action: "gate.decided") { edges { node { after reason } } } }`, { id: bare.id }, t.tokens.admin);
    expect(trail.data!.auditTrail.edges[0].node.after).toMatchObject({ override: true, unmetCriteria: expect.arrayContaining(['PLAN_VALUES']) });
    expect(trail.data!.auditTrail.edges[0].node.reason).toBe('Strategic: the board asked for it');
  });

  it('refuses edits of signed-off values until a controller reopens the measure', async () => {
    const id = await g.measureAtDoi4('Locked after sign-off');
    await g.must(`mutation($id: ID!) { signOffClosure(measureId: $id, confirmedValue: "19750.00", evidence: "Ledger") { state } }`, { id }, t.tokens.controller);
    const v = await g.version(id);
    const before = await t.checksum();
    const values = await t.gql(`mutation($id: ID!, $v: Int!) { setMeasureValues(measureId: $id, version: $v, values: [{ month: "2026-01", kind: ACTUAL, amount: "99999.00" }]) { id } }`, { id, v }, t.tokens.owner);
    expect(errorCode(values)).toBe('CONFLICT');
    const update = await t.gql(`mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Rewritten" }) { id } }`, { id, v }, t.tokens.admin);
    expect(errorCode(update)).toBe('CONFLICT');
    expect(await t.checksum()).toBe(before);
    // Reopening needs a controller and a reason.
    expect(errorCode(await t.gql(`mutation($id: ID!) { reopenMeasure(measureId: $id, reason: "typo") { id } }`, { id }, t.tokens.owner))).toBe('FORBIDDEN');
    const reopened = await t.gql(`mutation($id: ID!) { reopenMeasure(measureId: $id, reason: "Ledger correction in March") { doi state signOff { id } } }`, { id }, t.tokens.controller);
    expect(reopened.data!.reopenMeasure).toEqual({ doi: 4, state: 'ACTIVE', signOff: null });
  });

  it('lets exactly one of two concurrent decisions on one request win; the other gets CONFLICT', async () => {
    const m = await g.newMeasure('Raced decision');
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    const jonas = await t.login('jonas.berg@northwind.example');
    const [a, b] = await Promise.all([
      g.decide(r.id, 'APPROVE', { items: ['scope-agreed'] }, t.tokens.steering),
      g.decide(r.id, 'REJECT', { why: 'Not now' }, jonas),
    ]);
    const codes = [a, b].map((x) => (x.errors ? errorCode(x) : 'OK')).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const decided = await t.gql(`query($id: ID!) { measure(id: $id) { gateRequests { status } } }`, { id: m.id }, t.tokens.admin);
    expect(decided.data!.measure.gateRequests).toHaveLength(1);
    const trail = await t.gql(`query($id: ID) { auditTrail(entityId: $id, action: "gate.decided") { totalCount } }`, { id: r.id }, t.tokens.admin);
    expect(trail.data!.auditTrail.totalCount).toBe(1);
  });

  it('refuses a second pending request and requests by anyone but the owner', async () => {
    const m = await g.newMeasure('One request at a time');
    await g.requestGate(m.id);
    expect(errorCode(await t.gql(`mutation($id: ID!) { requestGate(measureId: $id) { id } }`, { id: m.id }, t.tokens.owner))).toBe('CONFLICT');
    expect(errorCode(await t.gql(`mutation($id: ID!) { requestGate(measureId: $id) { id } }`, { id: m.id }, t.tokens.steering))).toBe('FORBIDDEN');
  });
});

describe('gate decisions and their effects', () => {
  it('attaches conditions that must be met before the next gate', async () => {
    const m = await g.newMeasure('Conditional approval');
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await g.decide(r.id, 'APPROVE_WITH_CONDITIONS', { items: ['scope-agreed'], c: [{ text: 'Agree SLA with the service desk', ownerId: t.demo!.users.owner, dueOn: due }] });
    expect(res.data!.decideGate).toMatchObject({ status: 'APPROVED_WITH_CONDITIONS', measure: { doi: 2 } });
    const check = (await t.gql(`query($id: ID!) { measure(id: $id) { nextGate { criteria { id passed } } conditions { id text metAt } } }`, { id: m.id }, t.tokens.owner)).data!.measure;
    expect(check.nextGate.criteria.find((c: any) => c.id === 'CONDITIONS_MET').passed).toBe(false);
    await g.must(`mutation($id: ID!) { meetCondition(id: $id, note: "SLA signed") { metAt } }`, { id: check.conditions[0].id }, t.tokens.owner);
    const after = (await t.gql(`query($id: ID!) { measure(id: $id) { nextGate { criteria { id passed } } } }`, { id: m.id }, t.tokens.owner)).data!.measure;
    expect(after.nextGate.criteria.find((c: any) => c.id === 'CONDITIONS_MET').passed).toBe(true);
  });

  it('offers a condition to steering members of the measure’s own unit only, and refuses one of another unit', async () => {
    // Setup: a measure with an open condition owned by the demo owner; two new steering members, one in the
    // measure's org unit, one in another unit.
    const m = await g.newMeasure('Condition in scope');
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await g.decide(r.id, 'APPROVE_WITH_CONDITIONS', { items: ['scope-agreed'], c: [{ text: 'Train the desk', ownerId: t.demo!.users.owner, dueOn: due }] });
    const unitId = (await g.must(`query($id: ID!) { measure(id: $id) { program { orgUnit { id } } } }`, { id: m.id }, t.tokens.admin)).measure.program.orgUnit.id;
    const otherUnit = (await t.gql(`{ orgUnits { id } }`, {}, t.tokens.admin)).data!.orgUnits.find((u: any) => u.id !== unitId);
    const steeringOf = async (email: string, scopeId: string) => {
      const user = (await g.must(`mutation($e: String!) { createUser(input: { email: $e, name: "Unit Steering", password: "a-long-password" }) { id } }`, { e: email }, t.tokens.admin)).createUser;
      await g.must(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: STEERING_COMMITTEE, scopeId: $s) { id } }`, { u: user.id, s: scopeId }, t.tokens.admin);
      // Readers of the whole organisation, so the measure is visible to both.
      await g.must(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: VIEWER, scopeId: $s) { id } }`, { u: user.id, s: (await t.gql(`{ organisation { id } }`, {}, t.tokens.admin)).data!.organisation.id }, t.tokens.admin);
      return t.login(email, 'a-long-password');
    };
    const inScope = await steeringOf('unit.steering@northwind.example', unitId);
    const outOfScope = await steeringOf('other.steering@northwind.example', otherUnit.id);
    const conditions = (token: string) =>
      t.gql(`query($id: ID!) { measure(id: $id) { conditions { id viewerCanMeet } gateRequests { conditions { viewerCanMeet } } } }`, { id: m.id }, token);

    // Action / Assert: the out-of-scope member is not offered the condition, and the mutation refuses them.
    const seenOut = (await conditions(outOfScope)).data!.measure;
    expect(seenOut.conditions).toEqual([{ id: expect.any(String), viewerCanMeet: false }]);
    expect(seenOut.gateRequests.flatMap((q: any) => q.conditions)).toEqual([{ viewerCanMeet: false }]);
    const before = await t.checksum();
    expect(errorCode(await t.gql(`mutation($id: ID!) { meetCondition(id: $id) { id } }`, { id: seenOut.conditions[0].id }, outOfScope))).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);

    // The in-scope member and the condition's owner are offered it; the in-scope member meets it, then nobody is.
    expect((await conditions(inScope)).data!.measure.conditions).toEqual([{ id: seenOut.conditions[0].id, viewerCanMeet: true }]);
    expect((await conditions(t.tokens.owner)).data!.measure.conditions).toEqual([{ id: seenOut.conditions[0].id, viewerCanMeet: true }]);
    expect((await conditions(t.tokens.viewer)).data!.measure.conditions).toEqual([{ id: seenOut.conditions[0].id, viewerCanMeet: false }]);
    const met = await g.must(`mutation($id: ID!) { meetCondition(id: $id) { metAt viewerCanMeet } }`, { id: seenOut.conditions[0].id }, inScope);
    expect(met.meetCondition).toEqual({ metAt: expect.any(String), viewerCanMeet: false });
  });

  it('puts a measure on hold, resumes it, stops it; rework and reject leave the DoI', async () => {
    const m = await g.newMeasure('Hold and stop');
    await g.plan(m.id);
    let r = await g.requestGate(m.id);
    expect((await g.decide(r.id, 'REWORK', { why: 'Business case too thin' })).data!.decideGate).toMatchObject({ status: 'REWORK', measure: { doi: 1, state: 'ACTIVE' } });
    r = await g.requestGate(m.id);
    expect((await g.decide(r.id, 'REJECT', { why: 'Not this quarter' })).data!.decideGate).toMatchObject({ status: 'REJECTED', measure: { doi: 1 } });
    r = await g.requestGate(m.id);
    expect((await g.decide(r.id, 'HOLD', { why: 'Waiting for the CRM upgrade' })).data!.decideGate).toMatchObject({ status: 'ON_HOLD', measure: { state: 'ON_HOLD' } });
    expect(errorCode(await t.gql(`mutation($id: ID!) { requestGate(measureId: $id) { id } }`, { id: m.id }, t.tokens.owner))).toBe('CONFLICT');
    await g.must(`mutation($id: ID!) { resumeMeasure(measureId: $id, reason: "CRM upgrade done") { state } }`, { id: m.id }, t.tokens.steering);
    r = await g.requestGate(m.id);
    expect((await g.decide(r.id, 'STOP', { why: 'Superseded by the new portal' })).data!.decideGate).toMatchObject({ status: 'STOPPED', measure: { state: 'CANCELLED' } });
  });

  it('lets the steering committee move a measure back, with a reason, withdrawing its pending request', async () => {
    const id = await g.measureAtDoi4('Slipped back');
    const pending = await g.requestGate(id);
    expect(errorCode(await t.gql(`mutation($id: ID!) { moveMeasureBack(measureId: $id, toDoi: 2, reason: "Benefits unproven") { doi } }`, { id }, t.tokens.owner))).toBe('FORBIDDEN');
    const moved = await t.gql(`mutation($id: ID!) { moveMeasureBack(measureId: $id, toDoi: 2, reason: "Benefits unproven") { doi gateRequests { id status } } }`, { id }, t.tokens.steering);
    expect(moved.data!.moveMeasureBack.doi).toBe(2);
    expect(moved.data!.moveMeasureBack.gateRequests.find((r: any) => r.id === pending.id).status).toBe('WITHDRAWN');
  });

  it('keeps decisions already taken when an admin edits the template', async () => {
    const before = (await t.gql(`{ gateTemplate { id version gates { toDoi automatic { criterion threshold label } manual { id text } } } }`, {}, t.tokens.viewer)).data!.gateTemplate;
    const gates = before.gates.map((gate: any) => ({
      toDoi: gate.toDoi,
      automatic: gate.automatic.map((a: any) => ({ criterion: a.criterion, threshold: gate.toDoi === 3 && a.criterion === 'MILESTONES_PLANNED' ? 3 : a.threshold })),
      manual: gate.toDoi === 2 ? [...gate.manual, { id: 'risk-logged', text: 'Risks logged' }] : gate.manual,
    }));
    expect(errorCode(await t.gql(`mutation($i: GateTemplateInput!) { updateGateTemplate(input: $i) { version } }`, { i: { gates } }, t.tokens.steering))).toBe('FORBIDDEN');
    const bad = await t.gql(`mutation($i: GateTemplateInput!) { updateGateTemplate(input: $i) { version } }`, { i: { gates: gates.slice(1) } }, t.tokens.admin);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const decided = await t.gql(`{ gateRequests(status: APPROVED) { id criteria { id } } }`, {}, t.tokens.admin);
    const updated = await t.gql(`mutation($i: GateTemplateInput!) { updateGateTemplate(input: $i) { version gates { toDoi manual { id } } } }`, { i: { gates } }, t.tokens.admin);
    expect(updated.data!.updateGateTemplate.version).toBe(before.version + 1);
    const after = await t.gql(`{ gateRequests(status: APPROVED) { id criteria { id } } }`, {}, t.tokens.admin);
    expect(after.data!.gateRequests).toEqual(decided.data!.gateRequests);
    const m = await g.newMeasure('Under the new template');
    const check = (await t.gql(`query($id: ID!) { measure(id: $id) { nextGate { criteria { id } } } }`, { id: m.id }, t.tokens.owner)).data!.measure;
    expect(check.nextGate.criteria.map((c: any) => c.id)).toContain('manual:risk-logged');
  });
});

describe('portfolio and review pack', () => {
  it('rolls up by DoI, status and month for any node, consistent with the measures list', async () => {
    const programs = (await t.gql(`{ programs { id name } }`, {}, t.tokens.admin)).data!.programs;
    for (const scopeId of [null, programs[0].id]) {
      const s = (
        await t.gql(
          `query($s: ID) { portfolioSummary(scopeId: $s) { measureCount byDoi { doi count plan riskWeightedPlan weight } byImplementationStatus { status count }
             byState { state count } valueByMonth { month plan } overdueCount pendingGateRequests } }`,
          { s: scopeId },
          t.tokens.viewer,
        )
      ).data!.portfolioSummary;
      const list = (await t.gql(`query($s: ID) { measures(filter: { scopeId: $s }) { totalCount } }`, { s: scopeId }, t.tokens.viewer)).data!.measures.totalCount;
      expect(s.measureCount).toBe(list);
      const cancelled = s.byState.find((x: any) => x.state === 'CANCELLED').count;
      expect(s.byDoi.reduce((a: number, l: any) => a + l.count, 0)).toBe(list - cancelled);
      for (const l of s.byDoi) expect(Number(l.riskWeightedPlan)).toBeCloseTo((Number(l.plan) * l.weight) / 100, 1);
      const open = s.byState.filter((x: any) => x.state === 'ACTIVE' || x.state === 'ON_HOLD').reduce((a: number, x: any) => a + x.count, 0);
      expect(s.byImplementationStatus.reduce((a: number, x: any) => a + x.count, 0)).toBe(open);
      const overdue = (await t.gql(`query($s: ID) { measures(filter: { scopeId: $s, overdue: true }) { totalCount } }`, { s: scopeId }, t.tokens.viewer)).data!.measures;
      expect(s.overdueCount).toBeLessThanOrEqual(overdue.totalCount);
      expect(s.valueByMonth.length).toBeGreaterThanOrEqual(20);
    }
  });

  it('bridges the portfolio between two dates and reconciles', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const m = await g.newMeasure('Bridge me');
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    await g.decide(r.id, 'APPROVE', { items: ['scope-agreed'] });
    const to = new Date(Date.now() + 1000).toISOString();
    const b = (
      await t.gql(
        `query($f: DateTime!, $t: DateTime!) { doiBridge(from: $f, to: $t) { startValue endValue startRiskWeighted endRiskWeighted movements { kind count value riskWeighted measureIds } } }`,
        { f: from, t: to },
        t.tokens.steering,
      )
    ).data!.doiBridge;
    const sum = (k: string) => b.movements.reduce((a: number, x: any) => a + Math.round(Number(x[k]) * 100), 0);
    expect(Math.round(Number(b.startValue) * 100) + sum('value')).toBe(Math.round(Number(b.endValue) * 100));
    expect(Math.round(Number(b.startRiskWeighted) * 100) + sum('riskWeighted')).toBe(Math.round(Number(b.endRiskWeighted) * 100));
    expect(b.movements.find((x: any) => x.kind === 'NEW').measureIds).toContain(m.id);
  });

  it('serves the review pack as CSV and printable HTML to signed-in users only', async () => {
    const m = await g.newMeasure('Pack <script>alert(1)</script>');
    await g.plan(m.id);
    const r = await g.requestGate(m.id);
    const org = (await t.gql(`{ organisation { id } }`, {}, t.tokens.steering)).data!.organisation.id;
    const review = (await g.must(`mutation($s: ID!, $r: [ID!]!) { createGateReview(input: { scopeId: $s, chairId: "${t.demo!.users.steering}", date: "2026-12-01T09:00:00Z", participantIds: [], requestIds: $r }) { id packCsvUrl packHtmlUrl } }`, { s: org, r: [r.id] }, t.tokens.steering)).createGateReview;
    const csv = await request(t.app.httpServer).get(review.packCsvUrl).set('authorization', `Bearer ${t.tokens.viewer}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('Pack <script>alert(1)</script>');
    expect(csv.text).toMatch(/DoI 1 -> 2/);
    const html = await request(t.app.httpServer).get(review.packHtmlUrl).set('cookie', `gh_session=${t.tokens.viewer}`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('Pack &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.text).not.toContain('<script>');
    expect((await request(t.app.httpServer).get(review.packHtmlUrl)).status).toBe(401);
  });

  it('defuses formula-like text in the review pack’s CSV, full-width and DDE forms included, and leaves amounts alone', async () => {
    // Setup: a title starting with a full-width equals sign and a request note starting with a pipe
    const m = await g.newMeasure('＝HYPERLINK("http://evil.example")');
    await g.plan(m.id);
    const r = (await g.must(`mutation($id: ID!) { requestGate(measureId: $id, note: "|cmd /c calc") { id } }`, { id: m.id }, t.tokens.owner)).requestGate;
    const org = (await t.gql(`{ organisation { id } }`, {}, t.tokens.steering)).data!.organisation.id;
    const review = (await g.must(`mutation($s: ID!, $r: [ID!]!) { createGateReview(input: { scopeId: $s, chairId: "${t.demo!.users.steering}", date: "2026-12-02T09:00:00Z", participantIds: [], requestIds: $r }) { packCsvUrl } }`, { s: org, r: [r.id] }, t.tokens.steering)).createGateReview;
    // Action
    const csv = await request(t.app.httpServer).get(review.packCsvUrl).set('authorization', `Bearer ${t.tokens.viewer}`);
    // Assert
    const line = csv.text.split('\r\n').find((l) => l.includes('HYPERLINK'))!;
    expect(line).toContain(`"'＝HYPERLINK(""http://evil.example"")"`);
    expect(line).toContain(`,'|cmd /c calc,`);
    expect(line).toMatch(/,\d+\.\d{2},\d+\.\d{2},/);
  });
});

