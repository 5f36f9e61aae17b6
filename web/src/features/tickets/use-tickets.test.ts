import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { fakeClient, until, type FakeRequest } from '../../testing/fake-graphql';
import { parseGroupListState } from './ticket-list-state';
import { packagesByProgram, useMeasureTickets, useTicketGroup, useTicketGroupActions, useTicketGroups, useTicketSettings, useTicketSettingsActions } from './use-tickets';

const group = (id: string, over: Record<string, unknown> = {}) => ({
  __typename: 'TicketGroup',
  id,
  title: `Group ${id}`,
  signature: `s:${id}`,
  basis: 'STRUCTURED',
  category: 'Category 45',
  ticketCount: 28,
  openCount: 1,
  firstDay: '2016-02-29',
  lastDay: '2016-03-02',
  peakWindowCount: 28,
  recurring: true,
  annualRate: 113.6,
  breachedCount: 19,
  measures: [],
  ...over,
});
const connection = (nodes: unknown[], hasNextPage = false) => ({
  __typename: 'TicketGroupConnection',
  totalCount: 38,
  pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: hasNextPage ? 'c25' : null },
  edges: nodes.map((node, i) => ({ __typename: 'TicketGroupEdge', cursor: `c${i}`, node })),
});
const forbidden = { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] };

describe('the ticket composables', () => {
  it('read one page of groups for the list state, and pause when the tab is closed', async () => {
    // Setup
    const { client, requests } = fakeClient(() => ({ data: { ticketGroups: connection([group('g1'), group('g2')], true) } }));
    const scope = effectScope();
    const state = parseGroupListState({ linked: 'no', q: 'vpn' });

    // Action
    const groups = scope.run(() => useTicketGroups(state, client))!;
    const paused = scope.run(() => useTicketGroups(null, client))!;
    await until(() => groups.data.value !== undefined);

    // Assert
    expect(requests).toHaveLength(1);
    expect(requests[0].variables).toEqual({ filter: { recurringOnly: true, linked: false, search: 'vpn' }, first: 25, after: null });
    expect(groups.data.value).toMatchObject({ totalCount: 38, hasNextPage: true, endCursor: 'c25' });
    expect(groups.data.value?.rows.map((g) => g.id)).toEqual(['g1', 'g2']);
    expect(paused.loading.value).toBe(false);
    scope.stop();
  });

  it('put the SLA policies in priority order and the categories by name', async () => {
    const policy = (id: string, priority: string, response: number, category: string | null = null) => ({
      __typename: 'SlaPolicy', id, priority, responseMinutes: response, resolutionMinutes: response * 10,
      category: category ? { __typename: 'ServiceCategory', id: `c-${category}`, name: category } : null,
    });
    const { client } = fakeClient(() => ({
      data: {
        organisation: { __typename: 'Organisation', id: 'org', currency: 'EUR', recurringThreshold: 5, recurringWindowDays: 90, costPerTicket: '25.00' },
        slaPolicies: [policy('p1', 'LOW', 480), policy('p2', 'CRITICAL', 15), policy('p3', 'MODERATE', 240), policy('p4', 'CRITICAL', 5, 'Network'), policy('p5', 'CRITICAL', 30, 'Access')],
        serviceCategories: [
          { __typename: 'ServiceCategory', id: 'c2', name: 'Network', description: '' },
          { __typename: 'ServiceCategory', id: 'c1', name: 'Access', description: '' },
        ],
      },
    }));
    const scope = effectScope();
    const settings = scope.run(() => useTicketSettings(client))!;
    await until(() => settings.data.value !== undefined);
    // Each priority's default first, then its category policies by name
    expect(settings.data.value?.slaPolicies.map((p) => p.id)).toEqual(['p2', 'p5', 'p4', 'p3', 'p1']);
    expect(settings.data.value?.categories.map((c) => c.name)).toEqual(['Access', 'Network']);
    scope.stop();
  });

  it('link a group, read the open group page again, and explain a refusal by its code', async () => {
    // Setup: the group page is open.
    let linked = false;
    const { client, requests } = fakeClient(({ operationName, variables }: FakeRequest) => {
      if (operationName === 'TicketGroup') {
        return { data: { ticketGroup: { ...group('g1'), updatedAt: '2026-01-01T00:00:00Z', measures: linked ? [{ __typename: 'Measure', id: 'm1', code: 'M-0001', title: 'T', doi: 1, owner: { __typename: 'User', id: 'o', name: 'O' }, viewerCan: { __typename: 'MeasurePermissions', linkTicketGroup: true } }] : [], trend: [], effects: [] } } };
      }
      if (operationName === 'LinkTicketGroup') {
        if (variables.measureId === 'not-mine') return forbidden;
        linked = true;
        return { data: { linkTicketGroup: group('g1', { measures: [{ __typename: 'Measure', id: 'm1', code: 'M-0001', title: 'T', doi: 1 }] }) } };
      }
      return { errors: [{ message: 'unexpected', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
    });
    const scope = effectScope();
    const page = scope.run(() => useTicketGroup('g1', 12, client))!;
    const actions = scope.run(() => useTicketGroupActions({ client }))!;
    await until(() => page.data.value !== undefined);

    // Action
    const refused = await actions.link('g1', 'not-mine');
    const outcome = await actions.link('g1', 'm1');

    // Assert
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/^The group was not linked\. Only the measure’s owner/) });
    expect(outcome.ok).toBe(true);
    await until(() => page.data.value?.measures.length === 1);
    expect(requests.map((r) => r.operationName)).toEqual(['TicketGroup', 'LinkTicketGroup', 'LinkTicketGroup', 'TicketGroup']);
    expect(actions.busy.link).toBe(false);
    scope.stop();
  });

  it('create a measure from a group and answer its id', async () => {
    const { client, requests } = fakeClient(() => ({ data: { createMeasureFromTicketGroup: { __typename: 'Measure', id: 'm9', code: 'M-0065', title: 'Remove recurring tickets: VPN' } } }));
    const scope = effectScope();
    const actions = scope.run(() => useTicketGroupActions({ client }))!;
    const outcome = await actions.createMeasure('g1', 'k1', 'u1');
    expect(outcome).toMatchObject({ ok: true, measureId: 'm9' });
    expect(requests[0].variables).toEqual({ groupId: 'g1', packageId: 'k1', ownerId: 'u1' });
    scope.stop();
  });

  it('save an SLA target for a new category by creating the category first, and reuse a known one', async () => {
    const { client, requests } = fakeClient(({ operationName, variables }: FakeRequest) => {
      if (operationName === 'SaveServiceCategory') return { data: { saveServiceCategory: { __typename: 'ServiceCategory', id: 'c-new', name: (variables.input as { name: string }).name, description: '' } } };
      return { data: { setSlaPolicy: { __typename: 'SlaPolicy', id: 'p', priority: 'HIGH', responseMinutes: 30, resolutionMinutes: 480 } } };
    });
    const scope = effectScope();
    const actions = scope.run(() => useTicketSettingsActions({ client }))!;
    const draft = { priority: 'HIGH' as const, category: 'Network', responseMinutes: 30, resolutionMinutes: 480 };

    expect((await actions.setSlaPolicy(draft, [])).ok).toBe(true);
    expect(requests.map((r) => r.operationName)).toEqual(['SaveServiceCategory', 'SetSlaPolicy']);
    expect(requests[1].variables.input).toEqual({ priority: 'HIGH', categoryId: 'c-new', responseMinutes: 30, resolutionMinutes: 480 });

    requests.length = 0;
    await actions.setSlaPolicy({ ...draft, category: 'network' }, [{ id: 'c7', name: 'Network' }]);
    expect(requests.map((r) => [r.operationName, (r.variables.input as { categoryId?: string }).categoryId])).toEqual([['SetSlaPolicy', 'c7']]);

    requests.length = 0;
    await actions.setSlaPolicy({ ...draft, category: '' }, []);
    expect((requests[0].variables.input as { categoryId: null }).categoryId).toBeNull();
    scope.stop();
  });

  it('re-apply the SLA policies and answer how many tickets changed, or why not', async () => {
    let refuse = false;
    const { client, requests } = fakeClient(() => (refuse ? forbidden : { data: { reapplySlaPolicies: { __typename: 'SlaReapplyResult', ticketsChanged: 4 } } }));
    const scope = effectScope();
    const actions = scope.run(() => useTicketSettingsActions({ client }))!;
    expect(await actions.reapplySlaPolicies()).toEqual({ ok: true, code: null, message: '', ticketsChanged: 4 });
    expect(requests.map((r) => r.operationName)).toEqual(['ReapplySlaPolicies']);
    refuse = true;
    expect(await actions.reapplySlaPolicies()).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/^The SLA policies were not re-applied\. Only admins/), ticketsChanged: 0 });
    expect(actions.busy.reapply).toBe(false);
    scope.stop();
  });

  it('read the measure page’s linked groups with the window of the effect check, and null for a missing measure', async () => {
    let exists = true;
    const { client } = fakeClient(() => ({
      data: {
        organisation: { __typename: 'Organisation', id: 'org', recurringWindowDays: 90 },
        measure: exists ? { __typename: 'Measure', id: 'm1', doi: 4, state: 'ACTIVE', ticketGroups: [{ ...group('g1'), trend: [] }], ticketEffects: [] } : null,
      },
    }));
    const scope = effectScope();
    const found = scope.run(() => useMeasureTickets('m1', 12, client))!;
    await until(() => found.data.value !== undefined);
    expect(found.data.value).toMatchObject({ windowDays: 90, measure: { id: 'm1', doi: 4 } });
    exists = false;
    const missing = scope.run(() => useMeasureTickets('m2', 12, client))!;
    await until(() => missing.data.value !== undefined);
    expect(missing.data.value).toBeNull();
    scope.stop();
  });
});

describe('the package picker’s options', () => {
  it('groups packages by program, both by name', () => {
    const programs = [
      { id: 'p2', name: 'Service Excellence' },
      { id: 'p1', name: 'Automation' },
    ];
    const packages = [
      { id: 'k3', name: 'Self-service', programId: 'p2' },
      { id: 'k1', name: 'Bots', programId: 'p1' },
      { id: 'k2', name: 'Access', programId: 'p2' },
    ];
    expect(packagesByProgram(programs, packages)).toEqual([
      { programId: 'p1', programName: 'Automation', packages: [{ id: 'k1', name: 'Bots' }] },
      { programId: 'p2', programName: 'Service Excellence', packages: [{ id: 'k2', name: 'Access' }, { id: 'k3', name: 'Self-service' }] },
    ]);
  });
});
