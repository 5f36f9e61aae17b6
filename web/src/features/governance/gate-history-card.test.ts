// @vitest-environment happy-dom
import { mount, RouterLinkStub } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { FORMAT_CURRENCY } from '../../components/format';
import GateHistoryCard from './gate-history-card.vue';
import type { MeasureGovernance } from './use-measure-governance';

const global = { provide: { [FORMAT_CURRENCY as symbol]: ref('EUR') }, stubs: { RouterLink: RouterLinkStub } };

const condition = (id: string, viewerCanMeet: boolean, metAt: string | null = null) => ({
  id,
  text: `Condition ${id}`,
  dueOn: '2026-12-31T00:00:00.000Z',
  metAt,
  metNote: null,
  viewerCanMeet,
  owner: { id: 'u1', name: 'Olivia Owner' },
});

function governance(conditions: ReturnType<typeof condition>[]): MeasureGovernance {
  return {
    gateRequests: [
      {
        id: 'r1',
        fromDoi: 1,
        toDoi: 2,
        status: 'APPROVED_WITH_CONDITIONS',
        decision: 'APPROVE_WITH_CONDITIONS',
        override: false,
        note: null,
        requestedAt: '2026-11-01T09:00:00.000Z',
        requestedBy: { id: 'u1', name: 'Olivia Owner' },
        decidedAt: '2026-11-02T09:00:00.000Z',
        decidedBy: { id: 'u2', name: 'Sam Steering' },
        rationale: 'Fine with conditions',
        review: null,
        decidedInReview: null,
        conditions,
      },
    ],
  } as unknown as MeasureGovernance;
}

describe('the gate history card', () => {
  it('offers "Mark met" exactly for the open conditions the server says the viewer may meet', () => {
    // Setup: one the viewer may meet, one they may not (say a steering member of another unit), one met already.
    const wrapper = mount(GateHistoryCard, {
      props: { governance: governance([condition('a', true), condition('b', false), condition('c', false, '2026-11-20T00:00:00.000Z')]), busy: false, meet: vi.fn(), scopeQuery: {} },
      global,
    });

    // Assert
    const button = (id: string) => wrapper.find(`[data-testid="condition-Condition ${id}"]`).findAll('button').some((b) => b.text() === 'Mark met');
    expect(button('a')).toBe(true);
    expect(button('b')).toBe(false);
    expect(button('c')).toBe(false);
    expect(wrapper.find('[data-testid="condition-Condition c"]').text()).toContain('Met');
  });
});
