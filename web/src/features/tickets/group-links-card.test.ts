// @vitest-environment happy-dom
import { mount, RouterLinkStub } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { SESSION } from '../session/session-store';
import GroupLinksCard from './group-links-card.vue';
import type { TicketGroupDetail } from './use-tickets';

const global = { provide: { [SESSION as symbol]: { organisation: { value: { currency: 'EUR' } } } }, stubs: { RouterLink: RouterLinkStub, MeasureLinkPicker: true } };

function group(viewerCan: TicketGroupDetail['viewerCan']): TicketGroupDetail {
  return { id: 'g1', title: 'VPN drops after sleep', annualRate: 85.2, measures: [], effects: [], viewerCan } as unknown as TicketGroupDetail;
}

function card(viewerCan: TicketGroupDetail['viewerCan']) {
  return mount(GroupLinksCard, {
    props: {
      group: group(viewerCan),
      user: { id: 'u1', roles: [] },
      busy: {},
      link: vi.fn(),
      unlink: vi.fn(),
      createMeasure: vi.fn(),
      people: [],
      packages: [],
      packagesError: false,
      costPerTicket: '25.00',
      scopeQuery: {},
    },
    global,
  });
}
const buttons = (w: ReturnType<typeof card>) => w.findAll('.buttons button').map((b) => b.text());

describe('the linked-measures card', () => {
  it('offers linking and creating as the server’s verdicts on the group say, whatever roles the session lists', () => {
    expect(buttons(card({ linkMeasure: true, createMeasure: true, assignOwner: true }))).toEqual(['Link to a measure', 'Create measure from group']);
    expect(buttons(card({ linkMeasure: true, createMeasure: false, assignOwner: false }))).toEqual(['Link to a measure']);
  });

  it('says who links groups when the caller may do neither', () => {
    const w = card({ linkMeasure: false, createMeasure: false, assignOwner: false });
    expect(buttons(w)).toEqual([]);
    expect(w.text()).toContain('the steering committee and admins link groups to measures');
  });

  it('lets only a caller who may name other owners choose the owner of the new measure', async () => {
    for (const assignOwner of [true, false]) {
      const w = card({ linkMeasure: true, createMeasure: true, assignOwner });
      await w.findAll('.buttons button').find((b) => b.text() === 'Create measure from group')!.trigger('click');
      expect(w.find('#create-owner').attributes('disabled'), String(assignOwner)).toBe(assignOwner ? undefined : '');
    }
  });
});
