// @vitest-environment happy-dom
import { ErrorCode } from '@gatehouse/shared';
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import SlaReapplyControl from './sla-reapply-control.vue';
import type { SlaReapplyOutcome } from './use-tickets';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function control(reapply = vi.fn(async (): Promise<SlaReapplyOutcome> => ({ ok: true, code: null, message: '', ticketsChanged: 3 }))) {
  return { wrapper: mount(SlaReapplyControl, { props: { busy: false, reapply } }), reapply };
}

describe('re-applying the SLA policies to open tickets', () => {
  it('asks first, and a cancel sends nothing', async () => {
    const { wrapper, reapply } = control();
    await wrapper.find('[data-testid="sla-reapply-ask"]').trigger('click');
    expect(wrapper.find('[role="alertdialog"]').text()).toContain('Re-apply the current SLA policies to open tickets?');
    await wrapper.findAll('[role="alertdialog"] button').find((b) => b.text() === 'Cancel')!.trigger('click');
    expect(wrapper.find('[role="alertdialog"]').exists()).toBe(false);
    expect(reapply).not.toHaveBeenCalled();
  });

  it('re-applies once confirmed and says how many tickets changed', async () => {
    const { wrapper, reapply } = control();
    await wrapper.find('[data-testid="sla-reapply-ask"]').trigger('click');
    await wrapper.find('[data-testid="sla-reapply-confirm"]').trigger('click');
    await flush();
    expect(reapply).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[role="status"]').text()).toBe('Re-applied: 3 open tickets have new due times.');
  });

  it('shows the refusal and no count when it fails', async () => {
    const { wrapper } = control(vi.fn(async (): Promise<SlaReapplyOutcome> => ({ ok: false, code: ErrorCode.FORBIDDEN, message: 'The SLA policies were not re-applied. Only admins of the organisation change it.', ticketsChanged: 0 })));
    await wrapper.find('[data-testid="sla-reapply-ask"]').trigger('click');
    await wrapper.find('[data-testid="sla-reapply-confirm"]').trigger('click');
    await flush();
    expect(wrapper.find('[role="alert"]').text()).toContain('Only admins of the organisation change it.');
    expect(wrapper.find('[role="status"]').exists()).toBe(false);
  });
});
