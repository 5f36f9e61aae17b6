import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf } from '../../events/event-bus.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const IMPORT = `mutation($t: [TicketInput!]!) { importTickets(source: JIRA, tickets: $t) { inserted updated unchanged slaDisagreements } }`;
const SET_POLICY = `mutation($c: ID, $r: Int!, $s: Int!) { setSlaPolicy(input: { categoryId: $c, priority: HIGH, responseMinutes: $r, resolutionMinutes: $s }) { id } }`;
const REAPPLY = `mutation { reapplySlaPolicies { ticketsChanged } }`;
const HOUR = 3_600_000;

async function must(query: string, variables: Record<string, unknown> = {}, token = t.tokens.admin) {
  const res = await t.gql(query, variables, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

async function stored(externalId: string): Promise<{ response_due_at: Date | null; resolution_due_at: Date | null }> {
  const [row] = await t.db.dataSource.query(`SELECT response_due_at, resolution_due_at FROM ticket WHERE source = 'JIRA' AND external_id = $1`, [externalId]);
  return row;
}

const breachedIds = async () =>
  (await must(`{ tickets(first: 100, filter: { source: "JIRA", category: "SLA trial desk", breached: true }) { edges { node { externalId } } } }`, {}, t.tokens.viewer)).tickets.edges
    .map((e: { node: { externalId: string } }) => e.node.externalId)
    .sort();

describe('SLA policy changes and tickets already imported', () => {
  // Opened ten hours ago, so 8 hours (480 minutes) is breached and 16 hours (960) is not.
  const opened = new Date(Math.floor((Date.now() - 10 * HOUR) / 60_000) * 60_000);
  const at = (minutes: number) => new Date(opened.getTime() + minutes * 60_000);
  const base = { summary: 'VPN drops', category: 'SLA trial desk', priority: 'HIGH', openedAt: opened.toISOString() };
  let categoryId: string;

  it('keep the SLA they were opened under, also when the desk sends a newer version', async () => {
    // Arrange: a category of their own with HIGH at 30 / 480 minutes; any drift of the demo's tickets is settled first
    categoryId = (await must(`mutation { saveServiceCategory(input: { name: "SLA trial desk" }) { id } }`)).saveServiceCategory.id;
    await must(SET_POLICY, { c: categoryId, r: 30, s: 480 });
    await must(REAPPLY);
    await must(IMPORT, {
      t: [
        { ...base, externalId: 'SLA-OPEN', state: 'In Progress', revision: 1 },
        { ...base, externalId: 'SLA-OPEN-2', state: 'New', revision: 1 },
        { ...base, externalId: 'SLA-DONE', state: 'Resolved', resolvedAt: at(540).toISOString(), revision: 1 },
      ],
    });
    expect(await stored('SLA-OPEN')).toEqual({ response_due_at: at(30), resolution_due_at: at(480) });
    expect(await breachedIds()).toEqual(['SLA-DONE', 'SLA-OPEN', 'SLA-OPEN-2']);

    // Act: the policy becomes 60 / 960 minutes; the desk then sends a newer version of one open ticket
    await must(SET_POLICY, { c: categoryId, r: 60, s: 960 });
    const again = await must(IMPORT, {
      t: [
        { ...base, externalId: 'SLA-OPEN', state: 'On Hold', revision: 2 },
        // The desk now says it made its SLA: resolved at 540 minutes, that contradicts the 480 it was opened under
        { ...base, externalId: 'SLA-DONE', state: 'Resolved', resolvedAt: at(540).toISOString(), madeSla: true, revision: 2 },
      ],
    });

    // Assert: written, yet still due at 480 minutes and breached, as every other ticket of the trial desk
    expect(again.importTickets).toMatchObject({ updated: 2, slaDisagreements: 1 });
    expect(await stored('SLA-DONE')).toEqual({ response_due_at: at(30), resolution_due_at: at(480) });
    expect(await stored('SLA-OPEN')).toEqual({ response_due_at: at(30), resolution_due_at: at(480) });
    expect(await stored('SLA-OPEN-2')).toEqual({ response_due_at: at(30), resolution_due_at: at(480) });
    expect(await breachedIds()).toEqual(['SLA-DONE', 'SLA-OPEN', 'SLA-OPEN-2']);
  });

  it('take the current policy when their priority changes (another SLA applies)', async () => {
    await must(IMPORT, { t: [{ ...base, externalId: 'SLA-REPRIORITISED', priority: 'LOW', state: 'New', revision: 1 }] });
    await must(IMPORT, { t: [{ ...base, externalId: 'SLA-REPRIORITISED', state: 'New', revision: 2 }] });
    expect(await stored('SLA-REPRIORITISED')).toEqual({ response_due_at: at(60), resolution_due_at: at(960) });
  });

  it('refuses a re-application to anyone but an admin, and changes nothing', async () => {
    const before = await t.checksum();
    for (const token of [t.tokens.viewer, t.tokens.owner, t.tokens.controller]) expect(errorCode(await t.gql(REAPPLY, {}, token))).toBe('FORBIDDEN');
    expect(await t.checksum()).toBe(before);
  });

  it('re-applies the current policies to open tickets only, audited once and announced', async () => {
    const events: EventOf<'ticketGroupsChanged'>[] = [];
    const off = t.app.services.bus.on('ticketGroupsChanged', (e) => events.push(e));
    const [{ n: auditsBefore }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'slaPolicy.reapplied'`);
    try {
      // Act
      const result = await must(REAPPLY);

      // Assert: the two open tickets opened under 480 minutes, not the resolved one nor the one already at 960
      expect(result.reapplySlaPolicies).toEqual({ ticketsChanged: 2 });
      expect(await stored('SLA-OPEN')).toEqual({ response_due_at: at(60), resolution_due_at: at(960) });
      expect(await stored('SLA-OPEN-2')).toEqual({ response_due_at: at(60), resolution_due_at: at(960) });
      expect(await stored('SLA-DONE')).toEqual({ response_due_at: at(30), resolution_due_at: at(480) });
      expect(await breachedIds()).toEqual(['SLA-DONE']);
      const audits = await t.db.dataSource.query(`SELECT after FROM audit_entry WHERE action = 'slaPolicy.reapplied' ORDER BY at`);
      expect(audits).toHaveLength(auditsBefore + 1);
      expect(audits.at(-1).after).toEqual({ ticketsChanged: 2 });
      await expect.poll(() => events.length).toBe(1);
      const [{ group_id }] = await t.db.dataSource.query(`SELECT group_id FROM ticket WHERE source = 'JIRA' AND external_id = 'SLA-OPEN'`);
      expect(events[0].groupIds).toContain(group_id);
      expect(events[0].scopeIds).toContain(t.demo!.organisationId);

      // A second time nothing differs: nothing changes, nothing is announced
      expect((await must(REAPPLY)).reapplySlaPolicies).toEqual({ ticketsChanged: 0 });
      expect(events).toHaveLength(1);
    } finally {
      off();
    }
  });
});
