// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ProgressBar from './progress-bar.vue';

describe('the progress bar', () => {
  it('is a progressbar from 0 to 100 whose value is the rounded done part, with the attributes it is given', () => {
    const wrapper = mount(ProgressBar, { props: { value: 42.5, label: 'Upload progress', valueText: '42.5 % sent' }, attrs: { 'data-testid': 'bar' } });
    const bar = wrapper.get('[data-testid="bar"]');
    expect(bar.attributes()).toMatchObject({ role: 'progressbar', 'aria-label': 'Upload progress', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '43', 'aria-valuetext': '42.5 % sent' });
    expect(bar.get('.done').attributes('style')).toContain('width: 42.5%');
    expect(bar.find('.sent').exists()).toBe(false);
  });

  it('shows the part on its way behind the done part, and colours a failed bar', () => {
    const wrapper = mount(ProgressBar, { props: { value: 10, sent: 60, label: 'Import progress', tone: 'failed' } });
    expect(wrapper.get('.sent').attributes('style')).toContain('width: 60%');
    expect(wrapper.classes()).toContain('failed');
    expect(wrapper.attributes('aria-valuetext')).toBeUndefined();
  });
});
