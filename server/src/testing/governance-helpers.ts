import type { TestApp } from './test-app.js';

/**
 * Setup steps for governance tests, through the API as the demo users would take them. Each returns what the
 * next step needs and fails loudly when the API refuses, so a broken setup never hides behind a later assert.
 */
export function governance(t: TestApp) {
  const must = async <T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
    const res = await t.gql<T>(query, variables, token);
    if (res.errors) throw new Error(`setup failed: ${JSON.stringify(res.errors)}\n${query}`);
    return res.data!;
  };
  const users = t.demo!.users;

  return {
    must,
    async firstPackage(): Promise<string> {
      return (await must(`{ measurePackages { id name } }`, {}, t.tokens.admin)).measurePackages[0].id;
    },

    /** A fresh DoI-1 measure owned by the demo owner, sponsored by Jonas (steering) and controlled by the demo controller. */
    async newMeasure(title = 'Self-service laptop re-imaging', packageId?: string): Promise<{ id: string; version: number }> {
      packageId ??= await this.firstPackage();
      const m = (
        await must(
          `mutation($p: ID!, $o: ID!, $s: ID, $c: ID, $t: String!) { createMeasure(input: { packageId: $p, title: $t, lever: COST_REDUCTION,
             ownerId: $o, sponsorId: $s, controllerId: $c, roughPotential: "120000.00",
             businessCase: "Cuts 40 tickets a month at 25 minutes each; payback within a year." }) { id version } }`,
          { p: packageId, o: users.owner, s: users.jonas, c: users.controller, t: title },
          t.tokens.owner,
        )
      ).createMeasure;
      return m;
    },

    async version(id: string): Promise<number> {
      return (await must(`query($id: ID!) { measure(id: $id) { version } }`, { id }, t.tokens.admin)).measure.version;
    },

    async setValues(id: string, values: { month: string; kind: string; amount: string }[], token = t.tokens.owner) {
      return (
        await must(
          `mutation($id: ID!, $v: Int!, $values: [MeasureValueInput!]!) { setMeasureValues(measureId: $id, version: $v, values: $values) { version } }`,
          { id, v: await this.version(id), values },
          token,
        )
      ).setMeasureValues;
    },

    async plan(id: string) {
      const values = ['2026-01', '2026-02', '2026-03', '2026-04'].map((month) => ({ month, kind: 'PLAN', amount: '10000.00' }));
      return this.setValues(id, values);
    },

    async requestGate(id: string, token = t.tokens.owner): Promise<{ id: string; toDoi: number }> {
      return (await must(`mutation($id: ID!) { requestGate(measureId: $id, note: "Ready") { id toDoi status } }`, { id }, token)).requestGate;
    },

    async decide(requestId: string, decision = 'APPROVE', extra: Record<string, unknown> = {}, token = t.tokens.steering) {
      return t.gql(
        `mutation($r: ID!, $d: GateDecision!, $why: String!, $o: Boolean, $c: [GateConditionInput!], $rev: ID, $items: [String!]) {
           decideGate(requestId: $r, decision: $d, rationale: $why, override: $o, conditions: $c, reviewId: $rev, checkedItems: $items) {
             id status decision override measure { doi state } } }`,
        { r: requestId, d: decision, why: 'Business case holds', ...extra },
        token,
      );
    },

    /** A gate review of the whole organisation chaired by the demo steering committee member, with these requests on its agenda. */
    async review(requestIds: string[], chairId = users.steering): Promise<string> {
      const org = (await must(`{ organisation { id } }`, {}, t.tokens.steering)).organisation.id;
      return (
        await must(
          `mutation($s: ID!, $c: ID!, $r: [ID!]!) { createGateReview(input: { scopeId: $s, chairId: $c, date: "2026-12-01T09:00:00Z", requestIds: $r }) { id } }`,
          { s: org, c: chairId, r: requestIds },
          t.tokens.steering,
        )
      ).createGateReview.id;
    },

    async milestone(id: string, title = 'Pilot'): Promise<string> {
      return (
        await must(
          `mutation($id: ID!, $due: DateTime!, $t: String!) { addMilestone(measureId: $id, input: { title: $t, dueOn: $due }) { id } }`,
          { id, due: new Date(Date.now() + 60 * 86_400_000).toISOString(), t: title },
          t.tokens.owner,
        )
      ).addMilestone.id;
    },

    /** Walks a fresh measure to DoI 4 with actuals recorded by its owner; returns its id. */
    async measureAtDoi4(title = 'Automated licence harvesting', packageId?: string): Promise<string> {
      const m = await this.newMeasure(title, packageId);
      await this.plan(m.id);
      let r = await this.requestGate(m.id);
      await this.decide(r.id, 'APPROVE', { items: ['scope-agreed'] });
      const ms = await this.milestone(m.id);
      await must(`mutation($id: ID!) { validatePotential(measureId: $id, note: "Checked against ticket volumes") { id } }`, { id: m.id }, t.tokens.controller);
      r = await this.requestGate(m.id);
      const d3 = await this.decide(r.id, 'APPROVE', { rev: await this.review([r.id]), items: ['resources-committed'] });
      if (d3.errors) throw new Error(JSON.stringify(d3.errors));
      await must(`mutation($id: ID!) { completeMilestone(id: $id) { id } }`, { id: ms }, t.tokens.owner);
      await must(`mutation($id: ID!) { addEvidence(measureId: $id, input: { title: "Go-live report", url: "https://wiki.example/golive", kind: "IMPLEMENTATION" }) { id } }`, { id: m.id }, t.tokens.owner);
      r = await this.requestGate(m.id);
      const d = await this.decide(r.id, 'APPROVE', { items: ['handover-done'] });
      if (d.errors) throw new Error(JSON.stringify(d.errors));
      await this.setValues(m.id, [
        { month: '2026-01', kind: 'ACTUAL', amount: '9500.00' },
        { month: '2026-02', kind: 'ACTUAL', amount: '10250.00' },
      ]);
      return m.id;
    },
  };
}
