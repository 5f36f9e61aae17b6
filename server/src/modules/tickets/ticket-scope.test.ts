import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governance } from '../../testing/governance-helpers.js';
import { LiveClients } from '../../testing/live-clients.js';
import { errorCode, startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * Ticket scope (docs/domain-rules.md): tickets mapped by assignment group or requesting unit to an org unit are
 * read by the roles on that unit (or above); unmapped tickets by the organisation's. The demo's tickets are
 * unmapped; every ticket here has a summary starting "Scope" so the counts below are only these.
 */
let t: TestApp;
let g: ReturnType<typeof governance>;
let itUnit: string;
let finance: string;
const tokens: Record<'itViewer' | 'itOwner' | 'finViewer' | 'noRole', string> = {} as never;
const ids: Record<string, string> = {};
const live = new LiveClients();

const IMPORT = `mutation($t: [TicketInput!]!) { importTickets(source: JIRA, tickets: $t) { inserted updated } }`;
const GROUPS = `query($q: String) { ticketGroups(first: 50, filter: { search: $q }) { totalCount edges { node { id title ticketCount openCount } } } }`;
const TICKETS = `query($q: String) { tickets(first: 50, filter: { search: $q }) { totalCount edges { node { externalId orgUnitId } } } }`;
const MAP = `mutation($f: TicketScopeField!, $v: String!, $u: ID!) { saveTicketScopeMapping(input: { field: $f, value: $v, orgUnitId: $u }) { id field value orgUnitId } }`;

async function user(key: keyof typeof tokens, role: string | null, scopeId?: string) {
  const email = `scope.${key.toLowerCase()}@northwind.example`;
  const created = (await g.must(`mutation($e: String!) { createUser(input: { email: $e, name: "Scope user", password: "a-long-password" }) { id } }`, { e: email }, t.tokens.admin)).createUser;
  if (role) await g.must(`mutation($u: ID!, $s: ID!, $r: Role!) { grantRole(userId: $u, role: $r, scopeId: $s) { id } }`, { u: created.id, s: scopeId, r: role }, t.tokens.admin);
  ids[key] = created.id;
  tokens[key] = await t.login(email, 'a-long-password');
}

const tickets = (prefix: string, n: number, summary: string, extra: Record<string, string> = {}) =>
  Array.from({ length: n }, (_, i) => ({ externalId: `${prefix}-${i + 1}`, summary, ...extra }));

/** Groups by title, with their counts, as `token` sees them. */
async function groupsSeen(token: string, q = 'Scope') {
  const res = await t.gql(GROUPS, { q }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.fromEntries(res.data!.ticketGroups.edges.map((e: any) => [e.node.title, { tickets: e.node.ticketCount, open: e.node.openCount }]));
}

beforeAll(async () => {
  t = await startTestApp();
  g = governance(t);
  const units = (await g.must(`{ orgUnits { id name } }`, {}, t.tokens.admin)).orgUnits;
  itUnit = units.find((u: any) => u.name === 'IT Service').id;
  finance = units.find((u: any) => u.name === 'Finance').id;
  await user('itViewer', 'VIEWER', itUnit);
  await user('itOwner', 'OWNER', itUnit);
  await user('finViewer', 'VIEWER', finance);
  await user('noRole', null);
  // Setup: IT's desk team and Finance's requesting unit are mapped; "Scope printer jam" has tickets of both and
  // one unmapped, "Scope invoice portal" is Finance's only.
  await g.must(MAP, { f: 'ASSIGNMENT_GROUP', v: 'IT Desk', u: itUnit }, t.tokens.admin);
  await g.must(MAP, { f: 'REQUESTING_UNIT', v: 'Accounts Payable', u: finance }, t.tokens.admin);
  await g.must(IMPORT, {
    t: [
      ...tickets('SC-IT', 3, 'Scope printer jam', { assignmentGroup: 'it desk ' }),
      ...tickets('SC-FIN', 2, 'Scope printer jam', { requestingUnit: 'Accounts Payable' }),
      ...tickets('SC-ORG', 1, 'Scope printer jam'),
      ...tickets('SC-INV', 2, 'Scope invoice portal', { requestingUnit: 'Accounts Payable', assignmentGroup: 'Finance apps' }),
    ],
  }, t.tokens.admin);
}, 240_000);
afterAll(async () => {
  await live.disposeAll();
  await t?.close();
});

describe('ticket scope', () => {
  it('lets an org-unit viewer read the tickets and groups of their unit only, counted over those tickets', async () => {
    // Action
    const itTickets = await t.gql(TICKETS, { q: 'Scope' }, tokens.itViewer);
    const itGroups = await groupsSeen(tokens.itViewer);
    const itTotal = (await g.must(GROUPS, { q: 'Scope' }, tokens.itViewer)).ticketGroups.totalCount;
    const finGroups = await groupsSeen(tokens.finViewer);
    const adminGroups = await groupsSeen(t.tokens.admin);
    // Assert: 3 IT tickets; the Finance-only group is not listed for IT at all
    expect(itTickets.errors).toBeUndefined();
    expect(itTickets.data!.tickets.totalCount).toBe(3);
    expect(itTickets.data!.tickets.edges.map((e: any) => e.node.externalId).sort()).toEqual(['SC-IT-1', 'SC-IT-2', 'SC-IT-3']);
    expect(itTickets.data!.tickets.edges.every((e: any) => e.node.orgUnitId === itUnit)).toBe(true);
    expect(itGroups).toEqual({ 'Scope printer jam': { tickets: 3, open: 3 } });
    expect(itTotal).toBe(1);
    expect(finGroups).toEqual({ 'Scope printer jam': { tickets: 2, open: 2 }, 'Scope invoice portal': { tickets: 2, open: 2 } });
    expect(adminGroups).toEqual({ 'Scope printer jam': { tickets: 6, open: 6 }, 'Scope invoice portal': { tickets: 2, open: 2 } });
  });

  it('refuses a single group none of whose tickets the caller may read, and gives a readable one its scoped counts', async () => {
    const invoice = (await g.must(GROUPS, { q: 'Scope invoice' }, t.tokens.admin)).ticketGroups.edges[0].node.id;
    const printer = (await g.must(GROUPS, { q: 'Scope printer' }, t.tokens.admin)).ticketGroups.edges[0].node.id;
    expect(errorCode(await t.gql(`query($id: ID!) { ticketGroup(id: $id) { id } }`, { id: invoice }, tokens.itViewer))).toBe('FORBIDDEN');
    const seen = await t.gql(`query($id: ID!) { ticketGroup(id: $id) { ticketCount trend(months: 1) { tickets } } }`, { id: printer }, tokens.itViewer);
    expect(seen.data!.ticketGroup.ticketCount).toBe(3);
    expect(seen.data!.ticketGroup.trend[0].tickets).toBe(3);
  });

  it('refuses tickets and groups to a user with no role at all', async () => {
    expect(errorCode(await t.gql(TICKETS, { q: 'Scope' }, tokens.noRole))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(GROUPS, { q: 'Scope' }, tokens.noRole))).toBe('FORBIDDEN');
  });

  it('lets an org-unit owner link a group of their scope to their own measure, and not a group out of their scope', async () => {
    // Setup: a measure the IT owner creates in an IT package
    const program = (await g.must(`query($u: ID) { programs(orgUnitId: $u) { id } }`, { u: itUnit }, t.tokens.admin)).programs[0].id;
    const pkg = (await g.must(`query($p: ID) { measurePackages(programId: $p) { id } }`, { p: program }, t.tokens.admin)).measurePackages[0].id;
    const measure = (
      await g.must(`mutation($p: ID!, $o: ID!) { createMeasure(input: { packageId: $p, title: "Fix the printers", lever: COST_REDUCTION, ownerId: $o, roughPotential: "1000.00" }) { id } }`, { p: pkg, o: ids.itOwner }, tokens.itOwner)
    ).createMeasure.id;
    const printer = (await g.must(GROUPS, { q: 'Scope printer' }, t.tokens.admin)).ticketGroups.edges[0].node.id;
    const invoice = (await g.must(GROUPS, { q: 'Scope invoice' }, t.tokens.admin)).ticketGroups.edges[0].node.id;
    // Action
    const linked = await t.gql(`mutation($g: ID!, $m: ID!) { linkTicketGroup(groupId: $g, measureId: $m) { ticketCount measures { id } } }`, { g: printer, m: measure }, tokens.itOwner);
    const outOfScope = await t.gql(`mutation($g: ID!, $m: ID!) { linkTicketGroup(groupId: $g, measureId: $m) { id } }`, { g: invoice, m: measure }, tokens.itOwner);
    // Assert
    expect(linked.errors).toBeUndefined();
    expect(linked.data!.linkTicketGroup).toEqual({ ticketCount: 3, measures: [{ id: measure }] });
    expect(errorCode(outOfScope)).toBe('FORBIDDEN');
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM ticket_group_link WHERE measure_id = $1`, [measure]);
    expect(n).toBe(1);
  });

  it('re-applies the mapping to stored tickets when it changes, and audits the change', async () => {
    // Action: IT's desk team now works for Finance
    const mapping = (await g.must(MAP, { f: 'ASSIGNMENT_GROUP', v: 'IT DESK', u: finance }, t.tokens.admin)).saveTicketScopeMapping;
    // Assert: the same mapping row, pointed elsewhere; the 3 tickets moved
    expect(mapping).toMatchObject({ field: 'ASSIGNMENT_GROUP', value: 'IT DESK', orgUnitId: finance });
    expect(await groupsSeen(tokens.itViewer)).toEqual({});
    expect((await groupsSeen(tokens.finViewer))['Scope printer jam']).toEqual({ tickets: 5, open: 5 });
    const [audit] = await t.db.dataSource.query(`SELECT action, before, after FROM audit_entry WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1`, [mapping.id]);
    expect(audit.action).toBe('ticketScopeMapping.saved');
    expect(audit.after).toMatchObject({ orgUnitId: finance, ticketsMoved: 3 });
    expect(audit.before).toMatchObject({ orgUnitId: itUnit });

    // Action: the mapping removed: the tickets belong to the organisation
    expect((await g.must(`mutation($id: ID!) { deleteTicketScopeMapping(id: $id) }`, { id: mapping.id }, t.tokens.admin)).deleteTicketScopeMapping).toBe(true);
    expect((await groupsSeen(tokens.finViewer))['Scope printer jam']).toEqual({ tickets: 2, open: 2 });
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM ticket WHERE external_id LIKE 'SC-IT-%' AND org_unit_id IS NULL`);
    expect(n).toBe(3);

    // Put back for the tests below
    await g.must(MAP, { f: 'ASSIGNMENT_GROUP', v: 'IT Desk', u: itUnit }, t.tokens.admin);
    expect(await groupsSeen(tokens.itViewer)).toEqual({ 'Scope printer jam': { tickets: 3, open: 3 } });
  });

  it('lets only an organisation admin read or change the mapping', async () => {
    expect(errorCode(await t.gql(`{ ticketScopeMappings { id } }`, {}, tokens.itOwner))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(MAP, { f: 'ASSIGNMENT_GROUP', v: 'X', u: itUnit }, tokens.itViewer))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(MAP, { f: 'ASSIGNMENT_GROUP', v: '  ', u: itUnit }, t.tokens.admin))).toBe('BAD_USER_INPUT');
    const list = (await g.must(`{ ticketScopeMappings { field value orgUnitId } }`, {}, t.tokens.admin)).ticketScopeMappings;
    expect(list).toEqual([
      { field: 'ASSIGNMENT_GROUP', value: 'IT Desk', orgUnitId: itUnit },
      { field: 'REQUESTING_UNIT', value: 'Accounts Payable', orgUnitId: finance },
    ]);
  });

  it('reads a scoped reader’s groups in as many statements for 3 groups as for 30', async () => {
    // Setup: 30 more IT groups
    await g.must(IMPORT, { t: Array.from({ length: 30 }, (_, i) => ({ externalId: `SC-MANY-${i}`, summary: `Scope many ${i} zebra${'x'.repeat(i)}`, assignmentGroup: 'IT Desk' })) }, t.tokens.admin);
    const query = `query($n: Int) { ticketGroups(first: $n, filter: { search: "Scope many" }) { edges { node { id ticketCount openCount breachedCount annualRate measures { id } } } } }`;
    const statements = async (n: number) => {
      const before = t.db.statements.count;
      const res = await t.gql(query, { n }, tokens.itViewer);
      expect(res.errors).toBeUndefined();
      expect(res.data!.ticketGroups.edges).toHaveLength(n);
      return t.db.statements.count - before;
    };
    expect(await statements(30)).toBe(await statements(3));
    // Paging goes by the scoped counts: two pages of 15 are the 30 groups, each once.
    const page = `query($a: String) { ticketGroups(first: 15, after: $a, filter: { search: "Scope many" }) { totalCount pageInfo { endCursor hasNextPage } edges { node { id } } } }`;
    const first = (await g.must(page, { a: null }, tokens.itViewer)).ticketGroups;
    const second = (await g.must(page, { a: first.pageInfo.endCursor }, tokens.itViewer)).ticketGroups;
    expect(first.totalCount).toBe(30);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...first.edges, ...second.edges].map((e: any) => e.node.id)).size).toBe(30);
  });
});

describe('ticketGroupsChanged follows the ticket scope', () => {
  function subscribe(token: string) {
    const c = live.connect(t.url, token);
    c.subscribe(`subscription { ticketGroupsChanged { inserted updated groups { title ticketCount } } }`);
    return c.events;
  }
  const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('sends nothing about tickets a subscriber may not read, and the scoped groups and counts about those they may', async () => {
    // Setup
    const noRole = subscribe(tokens.noRole);
    const fin = subscribe(tokens.finViewer);
    const it = subscribe(tokens.itViewer);
    await settle(300);
    // Action: two IT tickets of the printer group
    await g.must(IMPORT, { t: tickets('SC-LIVE-IT', 2, 'Scope printer jam', { assignmentGroup: 'IT Desk' }) }, t.tokens.admin);
    // Assert: IT hears of it with its own counts (3 + 2); Finance and the user with no role hear nothing
    await expect.poll(() => it.length, { timeout: 2000, interval: 20 }).toBe(1);
    expect(it[0].data.ticketGroupsChanged).toEqual({ inserted: 2, updated: 0, groups: [{ title: 'Scope printer jam', ticketCount: 5 }] });
    await settle(300);
    expect(fin).toEqual([]);
    expect(noRole).toEqual([]);

    // Action: one Finance ticket of the printer group and an unmapped one in the same import
    await g.must(IMPORT, { t: [...tickets('SC-LIVE-FIN', 1, 'Scope printer jam', { requestingUnit: 'Accounts Payable' }), ...tickets('SC-LIVE-ORG', 1, 'Scope printer jam')] }, t.tokens.admin);
    // Assert: Finance hears of its one ticket only; IT nothing more
    await expect.poll(() => fin.length, { timeout: 2000, interval: 20 }).toBe(1);
    expect(fin[0].data.ticketGroupsChanged).toEqual({ inserted: 1, updated: 0, groups: [{ title: 'Scope printer jam', ticketCount: 3 }] });
    await settle(300);
    expect(it).toHaveLength(1);
    expect(noRole).toEqual([]);
  });
});
