import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('the hierarchy', () => {
  it('lists top-level org units, their sub-units, programs and packages', async () => {
    const roots = (await t.gql(`{ orgUnits { id name parentId } }`, {}, t.tokens.viewer)).data!.orgUnits;
    expect(roots.map((u: any) => u.name)).toEqual(['Customer Service', 'Finance', 'IT Service', 'Sales Operations']);
    const it_ = roots.find((u: any) => u.name === 'IT Service');
    const children = (await t.gql(`query($p: ID) { orgUnits(parentId: $p) { name parent { name } } }`, { p: it_.id }, t.tokens.viewer)).data!.orgUnits;
    expect(children).toEqual([
      { name: 'Infrastructure & Operations', parent: { name: 'IT Service' } },
      { name: 'Service Desk', parent: { name: 'IT Service' } },
    ]);
    const programs = (await t.gql(`{ programs { name orgUnit { name } } }`, {}, t.tokens.viewer)).data!.programs;
    expect(programs).toHaveLength(3);
    const packages = (await t.gql(`{ measurePackages { name program { name } } }`, {}, t.tokens.viewer)).data!.measurePackages;
    expect(packages).toHaveLength(8);
  });

  it('lets an admin build a unit, sub-unit, program and package; the new package takes measures', async () => {
    const unit = await t.gql(`mutation { createOrgUnit(input: { name: "Legal" }) { id name parentId } }`, {}, t.tokens.admin);
    expect(unit.data!.createOrgUnit).toMatchObject({ name: 'Legal', parentId: null });
    const sub = await t.gql(`mutation($p: ID) { createOrgUnit(input: { name: "Contracts", parentId: $p }) { id parentId } }`, { p: unit.data!.createOrgUnit.id }, t.tokens.admin);
    const program = await t.gql(
      `mutation($u: ID!) { createProgram(input: { name: "Contract automation", orgUnitId: $u, objective: "Halve contract cycle time" }) { id objective } }`,
      { u: sub.data!.createOrgUnit.id },
      t.tokens.admin,
    );
    expect(program.data!.createProgram.objective).toBe('Halve contract cycle time');
    const pkg = await t.gql(
      `mutation($p: ID!, $o: ID) { createMeasurePackage(input: { name: "Templates", programId: $p, ownerId: $o }) { id owner { email } } }`,
      { p: program.data!.createProgram.id, o: t.demo!.users.owner },
      t.tokens.admin,
    );
    expect(pkg.data!.createMeasurePackage.owner.email).toBe('owner@northwind.example');
    const measure = await t.gql(
      `mutation($k: ID!, $o: ID!) { createMeasure(input: { packageId: $k, title: "Clause library", lever: COST_REDUCTION, ownerId: $o }) { doi state program { name } } }`,
      { k: pkg.data!.createMeasurePackage.id, o: t.demo!.users.owner },
      t.tokens.owner,
    );
    expect(measure.data!.createMeasure).toEqual({ doi: 1, state: 'ACTIVE', program: { name: 'Contract automation' } });
    const scoped = await t.gql(`query($s: ID) { measures(filter: { scopeId: $s }) { totalCount } }`, { s: unit.data!.createOrgUnit.id }, t.tokens.admin);
    expect(scoped.data!.measures.totalCount).toBe(1);
  });

  it('refuses structure changes without ADMIN, duplicates and unknown parents, changing nothing', async () => {
    const before = await t.checksum();
    expect(errorCode(await t.gql(`mutation { createOrgUnit(input: { name: "Shadow IT" }) { id } }`, {}, t.tokens.steering))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(`mutation { createOrgUnit(input: { name: "finance" }) { id } }`, {}, t.tokens.admin))).toBe('CONFLICT');
    expect(
      errorCode(await t.gql(`mutation { createOrgUnit(input: { name: "X", parentId: "00000000-0000-4000-8000-000000000000" }) { id } }`, {}, t.tokens.admin)),
    ).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(`mutation { createOrgUnit(input: { name: "   " }) { id } }`, {}, t.tokens.admin))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(`mutation($n: String!) { createOrgUnit(input: { name: $n }) { id } }`, { n: 'x'.repeat(201) }, t.tokens.admin))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await t.checksum()).toBe(before);
  });

  it('lets an admin of one org unit change structure there and nowhere else', async () => {
    const units = (await t.gql(`{ orgUnits { id name } }`, {}, t.tokens.admin)).data!.orgUnits;
    const finance = units.find((u: any) => u.name === 'Finance');
    const sales = units.find((u: any) => u.name === 'Sales Operations');
    const user = (await t.gql(`mutation { createUser(input: { email: "fin.admin@northwind.example", name: "Fin Admin", password: "a-long-password" }) { id } }`, {}, t.tokens.admin)).data!.createUser;
    await t.gql(`mutation($u: ID!, $s: ID!) { grantRole(userId: $u, role: ADMIN, scopeId: $s) { id } }`, { u: user.id, s: finance.id }, t.tokens.admin);
    const token = await t.login('fin.admin@northwind.example', 'a-long-password');
    expect((await t.gql(`mutation($u: ID!) { createProgram(input: { name: "Close faster", orgUnitId: $u }) { name } }`, { u: finance.id }, token)).data!.createProgram.name).toBe('Close faster');
    expect(errorCode(await t.gql(`mutation($u: ID!) { createProgram(input: { name: "Not mine", orgUnitId: $u }) { name } }`, { u: sales.id }, token))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(`mutation { createOrgUnit(input: { name: "Top level" }) { id } }`, {}, token))).toBe('FORBIDDEN');
  });
});
