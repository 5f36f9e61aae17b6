// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { GateRequestFieldsFragment } from '../../graphql/generated';
import type { DecisionForm } from './decision-form';
import GateDecisionForm from './gate-decision-form.vue';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function request(over: Partial<GateRequestFieldsFragment> = {}): GateRequestFieldsFragment {
  return {
    id: 'req-000001',
    status: 'PENDING',
    fromDoi: 1,
    toDoi: 2,
    note: null,
    requestedAt: '2026-01-01T00:00:00Z',
    requestedBy: { id: 'o', name: 'Olivia Owner' },
    decision: null,
    rationale: null,
    override: false,
    decidedAt: null,
    decidedBy: null,
    viewerCanDecide: true,
    viewerCanOverride: true,
    viewerCannotDecideReason: null,
    criteria: [
      { id: 'SPONSOR_ASSIGNED', kind: 'AUTOMATIC', label: 'Sponsor assigned', passed: false, detail: 'No sponsor assigned' },
      { id: 'manual:scope-agreed', kind: 'MANUAL', label: 'Scope agreed', passed: false, detail: 'To be confirmed by the decider' },
    ],
    conditions: [],
    review: null,
    decidedInReview: null,
    measure: {
      id: 'm1',
      code: 'M-0001',
      title: 'Idea',
      doi: 1,
      state: 'ACTIVE',
      owner: { id: 'o', name: 'Olivia Owner' },
      sponsor: null,
      program: { id: 'p', name: 'P' },
      package: { id: 'k', name: 'K' },
      planTotal: '0.00',
      forecastTotal: '0.00',
      actualTotal: '0.00',
      annualPotential: '0.00',
      implementationStatus: 'GREEN',
      implementationStatusReason: '',
      potentialStatus: 'GREEN',
      potentialStatusReason: '',
      potentialValidated: false,
    },
    ...over,
  } as GateRequestFieldsFragment;
}

describe('the gate decision form', () => {
  it('refuses to send without a decision and a rationale', async () => {
    const decide = vi.fn();
    const wrapper = mount(GateDecisionForm, { props: { request: request(), people: [], reviewId: null, decide } });
    await wrapper.find('form').trigger('submit');
    expect(decide).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('Choose a decision.');
    expect(wrapper.text()).toContain('Every decision needs a rationale.');
  });

  it('shows failing criteria with the override for an approval, lists GATE_CRITERIA_UNMET, and sends the checklist and the override', async () => {
    // Setup: the server refuses the first try with the unmet list.
    const decide = vi
      .fn<(form: DecisionForm) => Promise<{ ok: boolean; message: string; unmet: { id: string; label: string; detail: string }[] | null; decided: null }>>()
      .mockResolvedValueOnce({ ok: false, message: 'Not decided: some criteria are not met.', unmet: [{ id: 'SPONSOR_ASSIGNED', label: 'Sponsor assigned', detail: 'No sponsor assigned' }], decided: null })
      .mockResolvedValueOnce({ ok: true, message: '', unmet: null, decided: null });
    const onAgenda = request({ review: { id: 'rev-1', title: 'November review', heldOn: '2026-11-20T09:00:00Z' } });
    const wrapper = mount(GateDecisionForm, { props: { request: onAgenda, people: [], reviewId: 'rev-1', decide } });

    // Action: approve with the checklist item confirmed.
    await wrapper.find('input[type="radio"][value="APPROVE"]').setValue(true);
    await wrapper.find('input[type="checkbox"][value="scope-agreed"]').setValue(true);
    await wrapper.find('textarea').setValue('Go ahead');
    expect(wrapper.find('[data-testid="unmet"]').text()).toContain('Sponsor assigned');
    await wrapper.find('form').trigger('submit');
    await flush();

    // Assert: the refusal is shown with its list; the override then goes through.
    expect(decide.mock.calls[0][0]).toMatchObject({ decision: 'APPROVE', rationale: 'Go ahead', checked: ['scope-agreed'], override: false });
    expect(wrapper.find('[role="alert"]').text()).toContain('some criteria are not met');
    const override = wrapper.findAll('input[type="checkbox"]').find((c) => c.element.closest('.override'))!;
    await override.setValue(true);
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(decide.mock.calls[1][0]).toMatchObject({ override: true });
    expect(wrapper.emitted('decided')).toHaveLength(1);
    expect(wrapper.text()).toContain('Decided in this gate review.');
  });

  it('offers no override outside the review, nor to a participant who is not its chair', async () => {
    const review = { id: 'rev-1', title: 'November review', heldOn: '2026-11-20T09:00:00Z' };
    const cases = [
      { req: request({ review }), reviewId: null },
      { req: request({ review, viewerCanOverride: false }), reviewId: 'rev-1' },
    ];
    for (const c of cases) {
      const wrapper = mount(GateDecisionForm, { props: { request: c.req, people: [], reviewId: c.reviewId, decide: vi.fn() } });
      await wrapper.find('input[type="radio"][value="APPROVE"]').setValue(true);
      expect(wrapper.find('[data-testid="unmet"]').exists()).toBe(true);
      expect(wrapper.findAll('input[type="checkbox"]').some((x) => x.element.closest('.override'))).toBe(false);
      expect(wrapper.find('[data-testid="no-override"]').text()).toContain('Only the chair');
    }
  });

  it('asks once more before a stop cancels the measure, and sends nothing until confirmed', async () => {
    const decide = vi.fn().mockResolvedValue({ ok: true, message: '', unmet: null, decided: null });
    const wrapper = mount(GateDecisionForm, { props: { request: request(), people: [], reviewId: null, decide } });

    // Action: choose Stop with a rationale and record it.
    await wrapper.find('input[type="radio"][value="STOP"]').setValue(true);
    await wrapper.find('textarea').setValue('The saving is gone.');
    await wrapper.find('form').trigger('submit');
    await flush();

    // Assert: a confirmation names the measure; nothing was sent. Keeping it goes back to the form.
    const dialog = wrapper.find('[role="alertdialog"]');
    expect(dialog.text()).toContain('Stop M-0001 · Idea?');
    expect(dialog.text()).toContain('cannot be resumed');
    expect(decide).not.toHaveBeenCalled();
    await dialog.findAll('button').find((b) => b.text() === 'Keep the measure')!.trigger('click');
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false);
    expect(decide).not.toHaveBeenCalled();

    // Action: record again, and confirm with "Stop the measure" (the form's submit button now).
    await wrapper.find('form').trigger('submit');
    expect(wrapper.find('button[type="submit"]').text()).toBe('Stop the measure');
    expect(decide).not.toHaveBeenCalled();
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(decide).toHaveBeenCalledTimes(1);
    expect(decide.mock.calls[0][0]).toMatchObject({ decision: 'STOP', rationale: 'The saving is gone.' });
  });

  it('records a hold without asking twice', async () => {
    const decide = vi.fn().mockResolvedValue({ ok: true, message: '', unmet: null, decided: null });
    const wrapper = mount(GateDecisionForm, { props: { request: request(), people: [], reviewId: null, decide } });
    await wrapper.find('input[type="radio"][value="HOLD"]').setValue(true);
    await wrapper.find('textarea').setValue('Wait for the budget.');
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(decide).toHaveBeenCalledTimes(1);
  });
});
