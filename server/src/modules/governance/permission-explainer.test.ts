import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApp, type DemoRole, type TestApp } from '../../testing/test-app.js';

/**
 * explainPermission answers for another person what that person's own `viewerCan` answers them (the same rule
 * functions run for them), for every demo person, a spread of measures in every state and level, and each
 * action with a `viewerCan` field; READ agrees with whether the person can open the measure at all.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const FIELDS: Record<string, string> = {
  UPDATE: 'update',
  SET_VALUES: 'setValues',
  ADD_MILESTONE: 'addMilestone',
  ADD_EVIDENCE: 'addEvidence',
  COMMENT: 'comment',
  REQUEST_GATE: 'requestGate',
  VALIDATE_POTENTIAL: 'validatePotential',
  SIGN_OFF: 'signOff',
  REOPEN: 'reopen',
  MOVE_BACK: 'moveBack',
  RESUME: 'resume',
  LINK_TICKET_GROUP: 'linkTicketGroup',
};
const PEOPLE: DemoRole[] = ['admin', 'owner', 'steering', 'controller', 'viewer', 'itOwner', 'salesSteering', 'financeController', 'programViewer', 'priya'];
const EMAILS: Partial<Record<DemoRole, string>> = {
  itOwner: 'it.owner@northwind.example',
  salesSteering: 'sales.steering@northwind.example',
  financeController: 'finance.controller@northwind.example',
  programViewer: 'lead-to-cash.viewer@northwind.example',
  priya: 'priya.patel@northwind.example',
};

describe('explainPermission', () => {
  it('agrees with each person’s own viewerCan, measure by measure', async () => {
    // Arrange: one measure of every (DoI, state) the demo holds
    const all = (await t.gql(`{ measures(first: 500) { edges { node { id doi state } } } }`, {}, t.tokens.admin)).data!.measures.edges.map((e: any) => e.node);
    const picked = [...new Map(all.map((m: any) => [`${m.doi}/${m.state}`, m])).values()] as { id: string }[];
    expect(picked.length).toBeGreaterThan(4);
    let compared = 0;
    for (const key of PEOPLE) {
      const userId = t.demo!.users[key];
      const token = t.tokens[key] ?? (await t.login(EMAILS[key]!));
      for (const m of picked) {
        // Act
        const own = await t.gql(`query($id: ID!) { measure(id: $id) { viewerCan { ${Object.values(FIELDS).join(' ')} } } }`, { id: m.id }, token);
        const readable = !own.errors && own.data!.measure != null;
        if (own.errors && errorCode(own) !== "FORBIDDEN") throw new Error(JSON.stringify(own.errors));
        const explain = async (action: string) =>
          (
            await t.gql(`query($u: ID!, $a: PermissionAction!, $m: ID!) { explainPermission(userId: $u, action: $a, measureId: $m) { allowed reasons } }`, { u: userId, a: action, m: m.id }, t.tokens.admin)
          ).data!.explainPermission;
        // Assert
        expect((await explain('READ')).allowed, `${key} READ ${m.id}`).toBe(readable);
        if (!readable) continue;
        for (const [action, field] of Object.entries(FIELDS)) {
          const answer = await explain(action);
          expect(answer.allowed, `${key} ${action} ${m.id}: ${answer.reasons.join(' / ')}`).toBe(own.data!.measure.viewerCan[field]);
          expect(answer.reasons.length).toBeGreaterThan(0);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  }, 240_000);

  it('says why: the roles held, the policy’s grants, the rule that refused', async () => {
    const closed = (await t.gql(`{ measures(first: 500) { edges { node { id state owner { id } } } } }`, {}, t.tokens.admin)).data!.measures.edges
      .map((e: any) => e.node)
      .find((m: any) => m.state === 'ACTIVE');
    const answer = (
      await t.gql(
        `query($u: ID!, $m: ID!) { explainPermission(userId: $u, action: SIGN_OFF, measureId: $m) { allowed policyAction roles grants { grant matched missing } reasons } }`,
        { u: t.demo!.users.viewer, m: closed.id },
        t.tokens.admin,
      )
    ).data!.explainPermission;
    expect(answer.allowed).toBe(false);
    expect(answer.policyAction).toBe('closure.signOff');
    expect(answer.roles).toEqual(['VIEWER']);
    expect(answer.grants[0]).toMatchObject({ matched: false, missing: expect.stringContaining('holds no CONTROLLER role') });
    expect(answer.reasons.join(' ')).toMatch(/Vera Viewer holds VIEWER/);
    expect(answer.reasons[answer.reasons.length - 1]).toBe('Only a controller in scope signs off closure');
  });

  it('is for admins of the measure’s scope only', async () => {
    const m = (await t.gql(`{ measures(first: 1) { edges { node { id } } } }`, {}, t.tokens.admin)).data!.measures.edges[0].node;
    const q = `query($u: ID!, $m: ID!) { explainPermission(userId: $u, action: UPDATE, measureId: $m) { allowed } }`;
    expect(errorCode(await t.gql(q, { u: t.demo!.users.viewer, m: m.id }, t.tokens.steering))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(q, { u: t.demo!.users.viewer, m: '00000000-0000-4000-8000-000000000000' }, t.tokens.admin))).toBe('NOT_FOUND');
  });
});
