// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import TicketScopeMappingsCard from './ticket-scope-mappings-card.vue';
import { scopeMappingRows } from './ticket-scope-form';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const units = [
  { id: 'u-fin', name: 'Finance' },
  { id: 'u-it', name: 'IT Service' },
];
const rows = scopeMappingRows([{ id: 'm1', field: 'ASSIGNMENT_GROUP', value: 'Service Desk L2', orgUnitId: 'u-it' }], units);

function card(save = vi.fn(async () => ({ ok: true, code: null, message: '' })), remove = vi.fn(async () => ({ ok: true, code: null, message: '' }))) {
  const wrapper = mount(TicketScopeMappingsCard, { props: { rows, units, busy: { saving: false, removing: null }, save, remove } });
  return { wrapper, save, remove };
}

describe('the ticket scope mapping card', () => {
  it('lists the mappings with their unit names', () => {
    const { wrapper } = card();
    expect(wrapper.findAll('[data-testid="scope-mapping-row"]').map((r) => r.findAll('td').slice(0, 3).map((c) => c.text()))).toEqual([['Assignment group', 'Service Desk L2', 'IT Service']]);
  });

  it('says what is missing and sends nothing', async () => {
    const { wrapper, save } = card();
    await wrapper.find('form').trigger('submit');
    expect(wrapper.text()).toContain('Enter the name the desk uses.');
    expect(wrapper.text()).toContain('Choose an org unit.');
    expect(save).not.toHaveBeenCalled();
  });

  it('saves a trimmed mapping, warns first when it moves an existing one, and removes a row', async () => {
    const { wrapper, save, remove } = card();
    await wrapper.find('#scope-value').setValue(' service desk l2 ');
    await wrapper.find('#scope-unit').setValue('u-fin');
    expect(wrapper.text()).toContain('saving moves it and its tickets');
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(save).toHaveBeenCalledWith({ field: 'ASSIGNMENT_GROUP', value: 'service desk l2', orgUnitId: 'u-fin' });
    await wrapper.find('[data-testid="scope-mapping-row"] button').trigger('click');
    await flush();
    expect(remove).toHaveBeenCalledWith('m1');
  });
});
