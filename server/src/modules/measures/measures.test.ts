import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const MEASURE_FIELDS = `id code title doi state version planTotal forecastTotal actualTotal`;

async function ownedMeasure(ownerKey: 'owner' = 'owner') {
  const res = await t.gql<{ measures: { edges: { node: { id: string; version: number } }[] } }>(
    `query($o: ID!) { measures(first: 1, filter: { ownerId: $o, state: ACTIVE }) { edges { node { id version } } } }`,
    { o: t.demo!.users[ownerKey] },
    t.tokens.admin,
  );
  return res.data!.measures.edges[0].node;
}

async function otherOwnersMeasure() {
  const res = await t.gql<{ measures: { edges: { node: { id: string; version: number } }[] } }>(
    `query($o: ID!) { measures(first: 1, filter: { ownerId: $o }) { edges { node { id version } } } }`,
    { o: t.demo!.users.priya },
    t.tokens.admin,
  );
  return res.data!.measures.edges[0].node;
}

describe('measures list', () => {
  it('pages through every measure once by cursor, with a total count', async () => {
    // Setup
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    // Action
    for (;;) {
      const res: any = await t.gql(
        `query($after: String) { measures(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id code } } } }`,
        { after },
        t.tokens.viewer,
      );
      total = res.data.measures.totalCount;
      seen.push(...res.data.measures.edges.map((e: any) => e.node.id));
      if (!res.data.measures.pageInfo.hasNextPage) break;
      after = res.data.measures.pageInfo.endCursor;
    }
    // Assert
    expect(total).toBeGreaterThanOrEqual(60);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('returns 50 measures on the first page', async () => {
    const res = await t.gql(`{ measures(first: 50) { totalCount edges { node { id } } } }`, {}, t.tokens.admin);
    expect(res.data!.measures.edges).toHaveLength(50);
    expect(res.data!.measures.totalCount).toBeGreaterThanOrEqual(60);
  });

  it('sorts by any supported field in both directions, stable across pages', async () => {
    const page = async (after: string | null) =>
      (
        await t.gql(
          `query($after: String) { measures(first: 10, after: $after, sort: { field: PLAN_TOTAL, direction: DESC }) {
             pageInfo { endCursor } edges { node { planTotal } } } }`,
          { after },
          t.tokens.admin,
        )
      ).data!.measures;
    const first = await page(null);
    const second = await page(first.pageInfo.endCursor);
    const plans = [...first.edges, ...second.edges].map((e: any) => Number(e.node.planTotal));
    expect(plans).toEqual([...plans].sort((a, b) => b - a));
  });

  it('filters by DoI, state, owner, scope, statuses, overdue and search', async () => {
    const q = async (filter: Record<string, unknown>) =>
      (
        await t.gql(
          `query($f: MeasureFilter) { measures(first: 200, filter: $f) { totalCount edges { node { doi state title
             implementationStatus potentialStatus overdue owner { id } program { name } } } } }`,
          { f: filter },
          t.tokens.admin,
        )
      ).data!.measures;
    const doi3 = await q({ doi: 3 });
    expect(doi3.totalCount).toBeGreaterThan(0);
    expect(doi3.edges.every((e: any) => e.node.doi === 3)).toBe(true);
    const closed = await q({ state: 'CLOSED' });
    expect(closed.edges.every((e: any) => e.node.state === 'CLOSED')).toBe(true);
    const mine = await q({ ownerId: t.demo!.users.owner });
    expect(mine.edges.every((e: any) => e.node.owner.id === t.demo!.users.owner)).toBe(true);
    for (const status of ['GREEN', 'AMBER', 'RED']) {
      const byImpl = await q({ implementationStatus: status });
      expect(byImpl.edges.every((e: any) => e.node.implementationStatus === status)).toBe(true);
      const byPot = await q({ potentialStatus: status });
      expect(byPot.edges.every((e: any) => e.node.potentialStatus === status)).toBe(true);
    }
    const overdue = await q({ overdue: true });
    expect(overdue.totalCount).toBeGreaterThan(0);
    expect(overdue.edges.every((e: any) => e.node.overdue)).toBe(true);
    const search = await q({ search: 'password' });
    expect(search.totalCount).toBeGreaterThan(0);
    expect(search.edges.every((e: any) => /password/i.test(e.node.title))).toBe(true);
    const programs = (await t.gql(`{ programs { id name } }`, {}, t.tokens.admin)).data!.programs;
    const scoped = await q({ scopeId: programs[0].id });
    expect(scoped.totalCount).toBeGreaterThan(0);
    expect(scoped.edges.every((e: any) => e.node.program.name === programs[0].name)).toBe(true);
  });

  it('uses the same number of SQL statements (at most 6) for 5 and for 50 rows with related names', async () => {
    const query = `query($n: Int) { measures(first: $n) { totalCount edges { node { code owner { name } package { name } program { name } } } } }`;
    const count = async (n: number) => {
      const before = t.db.statements.count;
      const res = await t.gql(query, { n }, t.tokens.admin);
      expect(res.errors).toBeUndefined();
      expect(res.data!.measures.edges).toHaveLength(n);
      return t.db.statements.count - before;
    };
    const five = await count(5);
    const fifty = await count(50);
    expect(five).toBeLessThanOrEqual(6);
    expect(fifty).toBe(five);
  });

  it('reads the per-row permissions and next gate of a page in the same number of statements for 5 and for 50 rows', async () => {
    // Setup: what the cost rule prices per row must not become a statement per row
    const query = `query($n: Int) { measures(first: $n) { edges { node { id viewerCan { update requestGate } nextGate { toDoi canRequest criteria { passed } } gateRequests { id } } } } }`;
    const count = async (n: number) => {
      const before = t.db.statements.count;
      const res = await t.gql(query, { n }, t.tokens.owner);
      expect(res.errors).toBeUndefined();
      expect(res.data!.measures.edges).toHaveLength(n);
      return t.db.statements.count - before;
    };
    // Action
    const five = await count(5);
    const fifty = await count(50);
    // Assert
    expect(fifty).toBe(five);
    expect(five).toBeLessThanOrEqual(8);
  });

  it('refuses a malformed cursor, page size or DoI with BAD_USER_INPUT', async () => {
    expect(errorCode(await t.gql(`{ measures(after: "nonsense") { totalCount } }`, {}, t.tokens.admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(`{ measures(first: 100000) { totalCount } }`, {}, t.tokens.admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(`{ measures(filter: { doi: 9 }) { totalCount } }`, {}, t.tokens.admin))).toBe('BAD_USER_INPUT');
  });

  it('needs a signed-in user', async () => {
    expect(errorCode(await t.gql(`{ measures { totalCount } }`))).toBe('UNAUTHENTICATED');
  });
});

describe('measure changes', () => {
  it('lets the owner update their measure and bumps the version', async () => {
    const m = await ownedMeasure();
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "Renamed by owner" }) { title version } }`,
      { id: m.id, v: m.version },
      t.tokens.owner,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateMeasure).toEqual({ title: 'Renamed by owner', version: m.version + 1 });
  });

  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    // Setup
    const m = await ownedMeasure();
    await t.gql(
      `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { description: "first writer" }) { version } }`,
      { id: m.id, v: m.version },
      t.tokens.owner,
    );
    const before = await t.checksum();
    // Action
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { description: "second writer" }) { version } }`,
      { id: m.id, v: m.version },
      t.tokens.owner,
    );
    // Assert
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors![0].extensions!.currentVersion).toBe(m.version + 1);
    expect(await t.checksum()).toBe(before);
  });

  it('lets exactly one of several concurrent updates on one version win', async () => {
    const m = await ownedMeasure();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.gql(
          `mutation($id: ID!, $v: Int!, $d: String!) { updateMeasure(id: $id, version: $v, input: { description: $d }) { version } }`,
          { id: m.id, v: m.version, d: `writer ${i}` },
          t.tokens.owner,
        ),
      ),
    );
    expect(results.filter((r) => r.data?.updateMeasure)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(7);
  });

  it('refuses a viewer’s change with FORBIDDEN and changes nothing', async () => {
    const m = await ownedMeasure();
    const before = await t.checksum();
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { title: "viewer was here" }) { id } }`,
      { id: m.id, v: m.version },
      t.tokens.viewer,
    );
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });

  it('refuses an owner’s change to a measure someone else owns', async () => {
    const m = await otherOwnersMeasure();
    const before = await t.checksum();
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!) { setMeasureValues(measureId: $id, version: $v, values: [{ month: "2026-01", kind: PLAN, amount: "1.00" }]) { id } }`,
      { id: m.id, v: m.version },
      t.tokens.owner,
    );
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });

  it('stores monthly values as exact decimals and derives the totals', async () => {
    // Setup: a new measure, so the totals are only what this test writes
    const pkg = (await t.gql(`{ measurePackages { id } }`, {}, t.tokens.owner)).data!.measurePackages[0];
    const created = await t.gql(
      `mutation($p: ID!, $o: ID!) { createMeasure(input: { packageId: $p, title: "Exact money", lever: COST_REDUCTION, ownerId: $o }) { id version code } }`,
      { p: pkg.id, o: t.demo!.users.owner },
      t.tokens.owner,
    );
    expect(created.errors).toBeUndefined();
    const m = created.data!.createMeasure;
    expect(m.code).toMatch(/^M-\d{4,}$/);
    // Action
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!) { setMeasureValues(measureId: $id, version: $v, values: [
          { month: "2026-01", kind: PLAN, amount: "0.10" }, { month: "2026-02", kind: PLAN, amount: "0.20" },
          { month: "2026-01", kind: FORECAST, amount: "0.05" }, { month: "2026-01", kind: ACTUAL, amount: "9999999999.99" },
          { month: "2026-01", kind: ONE_OFF_COST, amount: "12" }
        ]) { version planTotal forecastTotal actualTotal oneOffCostTotal annualPotential values(kind: PLAN) { month amount } } }`,
      { id: m.id, v: m.version },
      t.tokens.owner,
    );
    // Assert
    expect(res.errors).toBeUndefined();
    const out = res.data!.setMeasureValues;
    expect(out.planTotal).toBe('0.30');
    expect(out.actualTotal).toBe('9999999999.99');
    // January's latest estimate is its actual, February's falls back to plan.
    expect(out.forecastTotal).toBe('10000000000.19');
    expect(out.oneOffCostTotal).toBe('12.00');
    expect(out.annualPotential).toBe('0.30');
    expect(out.values).toEqual([
      { month: '2026-01', amount: '0.10' },
      { month: '2026-02', amount: '0.20' },
    ]);
    expect(out.version).toBe(m.version + 1);
  });

  it.each([
    ['a malformed month', '2026-13', '1.00'],
    ['a day instead of a month', '2026-01-01', '1.00'],
    ['a float-looking amount', '2026-01', '1.005'],
    ['an amount with a comma', '2026-01', '1,5'],
    ['an enormous amount', '2026-01', '100000000000000'],
  ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_label, month, amount) => {
    const m = await ownedMeasure();
    const before = await t.checksum();
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!, $m: String!, $a: Money!) { setMeasureValues(measureId: $id, version: $v, values: [
          { month: "2026-03", kind: PLAN, amount: "5.00" }, { month: $m, kind: FORECAST, amount: $a }]) { id } }`,
      { id: m.id, v: m.version, m: month, a: amount },
      t.tokens.owner,
    );
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(await t.checksum()).toBe(before);
  });

  it('refuses unknown referenced ids with NOT_FOUND and malformed ones with BAD_USER_INPUT', async () => {
    const before = await t.checksum();
    const missing = await t.gql(
      `mutation($o: ID!) { createMeasure(input: { packageId: "00000000-0000-4000-8000-000000000000", title: "x", lever: COST_REDUCTION, ownerId: $o }) { id } }`,
      { o: t.demo!.users.owner },
      t.tokens.owner,
    );
    expect(errorCode(missing)).toBe('NOT_FOUND');
    const malformed = await t.gql(`mutation { completeMilestone(id: "not-an-id") { id } }`, {}, t.tokens.owner);
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect(await t.checksum()).toBe(before);
  });

  it('adds and completes milestones, which moves the next due date and the version', async () => {
    const m = await ownedMeasure();
    const due = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const added = await t.gql(
      `mutation($id: ID!, $due: DateTime!) { addMilestone(measureId: $id, input: { title: "Go-live", dueOn: $due }) { id title done } }`,
      { id: m.id, due },
      t.tokens.owner,
    );
    expect(added.errors).toBeUndefined();
    const after = (await t.gql(`query($id: ID!) { measure(id: $id) { version implementationStatus overdue } }`, { id: m.id }, t.tokens.owner)).data!
      .measure;
    expect(after.version).toBeGreaterThan(m.version);
    expect(after.implementationStatus).toBe('RED');
    expect(after.overdue).toBe(true);
    const done = await t.gql(`mutation($id: ID!) { completeMilestone(id: $id) { done doneOn } }`, { id: added.data!.addMilestone.id }, t.tokens.owner);
    expect(done.data!.completeMilestone.done).toBe(true);
    const again = await t.gql(`mutation($id: ID!) { completeMilestone(id: $id) { done } }`, { id: added.data!.addMilestone.id }, t.tokens.owner);
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('corrects, marks done on a chosen day, reopens and deletes a milestone, each in the audit trail', async () => {
    // Setup: an open milestone due in a month.
    const m = await ownedMeasure();
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const { id } = (await t.gql(`mutation($id: ID!, $due: DateTime!) { addMilestone(measureId: $id, input: { title: "Pilot", dueOn: $due }) { id } }`, { id: m.id, due }, t.tokens.owner)).data!.addMilestone;
    const update = (input: Record<string, unknown>, token = t.tokens.owner) =>
      t.gql(`mutation($id: ID!, $input: UpdateMilestoneInput!) { updateMilestone(id: $id, input: $input) { title dueOn done doneOn } }`, { id, input }, token);

    // Action / Assert: renamed and moved; done on a day last week; open again.
    expect((await update({ title: "Pilot in two stores", dueOn: '2027-03-01T00:00:00Z' })).data!.updateMilestone).toMatchObject({ title: 'Pilot in two stores', dueOn: '2027-03-01T00:00:00.000Z', done: false });
    const lastWeek = new Date(Date.now() - 7 * 86_400_000);
    lastWeek.setUTCHours(0, 0, 0, 0);
    expect((await update({ done: true, doneOn: lastWeek.toISOString() })).data!.updateMilestone).toMatchObject({ done: true, doneOn: lastWeek.toISOString() });
    expect((await update({ done: false })).data!.updateMilestone).toMatchObject({ done: false, doneOn: null });

    // Refused: a done day in the future, by someone who may not edit the measure; nothing changes.
    const before = await t.checksum();
    expect(errorCode(await update({ done: true, doneOn: new Date(Date.now() + 5 * 86_400_000).toISOString() }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await update({ title: 'x' }, t.tokens.viewer))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(`mutation($id: ID!) { deleteMilestone(id: $id) { id } }`, { id }, t.tokens.viewer))).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);

    // Deleted: the measure answers without it, and the trail keeps it.
    const deleted = await t.gql(`mutation($id: ID!) { deleteMilestone(id: $id) { id milestones { id } } }`, { id }, t.tokens.owner);
    expect(deleted.data!.deleteMilestone.milestones.map((x: { id: string }) => x.id)).not.toContain(id);
    const trail = (await t.gql(`query($id: ID!) { auditTrail(entityId: $id, first: 10) { edges { node { action before after } } } }`, { id }, t.tokens.owner)).data!.auditTrail.edges.map(
      (e: any) => e.node,
    );
    expect(trail.map((e: any) => e.action)).toEqual(['milestone.deleted', 'milestone.reopened', 'milestone.completed', 'milestone.updated', 'milestone.added']);
    expect(trail[0].before).toMatchObject({ title: 'Pilot in two stores', doneOn: null });
    expect(trail[3]).toMatchObject({ before: { title: 'Pilot' }, after: { title: 'Pilot in two stores' } });
  });

  it('keeps an owner’s status override with its reason, and refuses one without a reason', async () => {
    const m = await ownedMeasure();
    const noReason = await t.gql(
      `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: { implementationStatusOverride: GREEN }) { id } }`,
      { id: m.id, v: m.version },
      t.tokens.owner,
    );
    expect(errorCode(noReason)).toBe('BAD_USER_INPUT');
    const res = await t.gql(
      `mutation($id: ID!, $v: Int!) { updateMeasure(id: $id, version: $v, input: {
          implementationStatusOverride: AMBER, implementationStatusOverrideReason: "Vendor slot confirmed for next week" }) {
          implementationStatus implementationStatusReason implementationStatusOverridden } }`,
      { id: m.id, v: m.version },
      t.tokens.owner,
    );
    expect(res.data!.updateMeasure).toEqual({
      implementationStatus: 'AMBER',
      implementationStatusReason: 'Vendor slot confirmed for next week',
      implementationStatusOverridden: true,
    });
  });

  it('lets an owner create measures only for themselves', async () => {
    const pkg = (await t.gql(`{ measurePackages { id } }`, {}, t.tokens.owner)).data!.measurePackages[0];
    const res = await t.gql(
      `mutation($p: ID!, $o: ID!) { createMeasure(input: { packageId: $p, title: "For Priya", lever: COST_REDUCTION, ownerId: $o }) { id } }`,
      { p: pkg.id, o: t.demo!.users.priya },
      t.tokens.owner,
    );
    expect(errorCode(res)).toBe('FORBIDDEN');
  });
});
