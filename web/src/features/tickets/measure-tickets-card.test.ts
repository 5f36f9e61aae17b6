// @vitest-environment happy-dom
import { mount, RouterLinkStub } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { FORMAT_CURRENCY } from '../../components/format';
import MeasureTicketsCard from './measure-tickets-card.vue';
import type { MeasureTickets } from './use-tickets';

vi.mock('../../components/chart-setup', () => ({ Chart: class { update() {} destroy() {} } }));

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const global = { provide: { [FORMAT_CURRENCY as symbol]: ref('EUR') }, stubs: { RouterLink: RouterLinkStub } };

function tickets(doi: number, effect: Partial<MeasureTickets['measure']['ticketEffects'][number]> = {}): MeasureTickets {
  return {
    windowDays: 90,
    measure: {
      id: 'm1',
      doi,
      state: 'ACTIVE',
      ticketGroups: [
        {
          id: 'g1',
          title: 'VPN drops after sleep',
          signature: 't:vpn drops sleep',
          basis: 'TEXT',
          category: 'Network',
          ticketCount: 40,
          openCount: 2,
          firstDay: '2025-11-01',
          lastDay: '2026-04-20',
          peakWindowCount: 36,
          recurring: true,
          annualRate: 85.2,
          breachedCount: 9,
          measures: [],
          trend: [
            { month: '2026-02', tickets: 12, breached: 3 },
            { month: '2026-03', tickets: 2, breached: 0 },
          ],
        },
      ],
      ticketEffects: [
        {
          groupId: 'g1',
          measureId: 'm1',
          implementedAt: '2026-03-01T00:00:00Z',
          ratePer30DaysBefore: 12,
          ratePer30DaysAfter: 3,
          changePercent: -75,
          ticketsBefore: 36,
          ticketsAfter: 4,
          daysAfter: 40,
          ...effect,
        },
      ],
    },
  };
}

const allowed = { allowed: true, reason: '' };

describe('the measure page’s recurring tickets', () => {
  it('offers a measured effect as value evidence at DoI 4, added in its own words', async () => {
    // Setup
    const addEvidence = vi.fn(async () => ({ ok: true, message: '' }));
    const wrapper = mount(MeasureTicketsCard, {
      props: { tickets: tickets(4), loading: false, error: null, retry: () => undefined, addEvidencePermission: allowed, addEvidence, scopeQuery: {} },
      global,
    });
    await flush();
    const quote = wrapper.find('[data-testid="effect-evidence"] blockquote').text();
    expect(quote).toContain('Recurring tickets "VPN drops after sleep": 12 tickets per 30 days in the 90 days before DoI 4');
    expect(quote).toContain('−75 %');
    expect(wrapper.find('[data-testid="effect-check"]').text()).toContain('−75 %');

    // Action
    await wrapper.findAll('button').find((b) => b.text() === 'Add as value evidence')!.trigger('click');
    await flush();

    // Assert
    expect(addEvidence).toHaveBeenCalledWith({ title: 'Effect check: VPN drops after sleep', kind: 'VALUE', url: null, note: quote });
    expect(wrapper.findAll('button').some((b) => b.text() === 'Added as evidence')).toBe(true);
  });

  it('offers no evidence before DoI 4, and says why it offers none yet at DoI 4', async () => {
    const props = { loading: false, error: null, retry: () => undefined, addEvidencePermission: allowed, addEvidence: vi.fn(), scopeQuery: {} };
    const before = mount(MeasureTicketsCard, { props: { ...props, tickets: tickets(3, { implementedAt: null, ratePer30DaysBefore: null, ratePer30DaysAfter: null, changePercent: null }) }, global });
    expect(before.find('[data-testid="effect-evidence"]').exists()).toBe(false);
    expect(before.find('[data-testid="effect-check"]').text()).toContain('Not at DoI 4 yet');

    const early = mount(MeasureTicketsCard, { props: { ...props, tickets: tickets(4, { ratePer30DaysAfter: null, changePercent: null, daysAfter: 0, ticketsAfter: 0 }) }, global });
    expect(early.find('[data-testid="effect-evidence"]').text()).toContain('Nothing to offer yet');
  });

  it('says when no group is linked, and shows loading and errors', () => {
    const props = { loading: false, error: null, retry: () => undefined, addEvidencePermission: allowed, addEvidence: vi.fn(), scopeQuery: {} };
    const empty = tickets(2);
    empty.measure.ticketGroups = [];
    empty.measure.ticketEffects = [];
    expect(mount(MeasureTicketsCard, { props: { ...props, tickets: empty }, global }).text()).toContain('No recurring ticket groups are linked');
    expect(mount(MeasureTicketsCard, { props: { ...props, tickets: undefined, loading: true }, global }).text()).toContain('Loading the linked ticket groups');
  });
});
