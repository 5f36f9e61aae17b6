// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { FORMAT_CURRENCY } from '../../components/format';
import ApiTokensCard from './api-tokens-card.vue';
import type { ApiTokenOutcome, ApiTokenRow } from './use-api-tokens';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const TOKEN = 'gh_pat_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const rows: ApiTokenRow[] = [
  { id: 't1', name: 'Reporting export', readOnly: true, createdAt: '2026-11-01T10:00:00Z', expiresAt: '2027-01-30T10:00:00Z', lastUsedAt: null },
  { id: 't2', name: 'Provisioning', readOnly: false, createdAt: '2026-10-01T10:00:00Z', expiresAt: '2027-10-01T10:00:00Z', lastUsedAt: '2026-12-06T08:30:00Z' },
];

function card(create = vi.fn(async (): Promise<ApiTokenOutcome> => ({ ok: true, token: TOKEN })), revoke = vi.fn(async (): Promise<ApiTokenOutcome> => ({ ok: true }))) {
  const wrapper = mount(ApiTokensCard, { props: { tokens: rows, busy: { creating: false, revoking: null }, create, revoke }, global: { provide: { [FORMAT_CURRENCY as symbol]: ref('EUR') } } });
  return { wrapper, create, revoke };
}

describe('the API tokens card', () => {
  it('lists the tokens with their access and when they were last used', () => {
    const { wrapper } = card();
    const cells = wrapper.findAll('[data-testid="api-token-row"]').map((r) => r.findAll('td').map((c) => c.text()));
    expect(cells.map((c) => [c[0], c[1], c[4]])).toEqual([
      ['Reporting export', 'Read-only', 'Never'],
      ['Provisioning', 'Full (as you)', expect.stringContaining('2026')],
    ]);
  });

  it('sends nothing without a name', async () => {
    const { wrapper, create } = card();
    await wrapper.find('#token-name').setValue('   ');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.text()).toContain('Name the token');
    expect(create).not.toHaveBeenCalled();
  });

  it('creates a trimmed token, shows it once with a copy button, and hides it when done', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { wrapper, create } = card();
    await wrapper.find('#token-name').setValue('  CI pipeline ');
    await wrapper.find('#token-days').setValue('30');
    await wrapper.find('#token-read-only').setValue(false);
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(create).toHaveBeenCalledWith({ name: 'CI pipeline', expiresInDays: 30, readOnly: false });
    expect(wrapper.find('[data-testid="token-value"]').text()).toBe(TOKEN);
    expect(wrapper.find('[data-testid="created-token"]').text()).toContain('not shown again');
    const copyButton = wrapper.findAll('[data-testid="created-token"] button').find((b) => b.text() === 'Copy token')!;
    await copyButton.trigger('click');
    await flush();
    expect(writeText).toHaveBeenCalledWith(TOKEN);
    expect(copyButton.text()).toBe('Copied');
    await wrapper.findAll('[data-testid="created-token"] button').find((b) => b.text() === 'Done')!.trigger('click');
    expect(wrapper.text()).not.toContain(TOKEN);
  });

  it('revokes a row and says why when the server refuses', async () => {
    const { wrapper, revoke } = card(undefined, vi.fn(async (): Promise<ApiTokenOutcome> => ({ ok: false, message: 'The token was not revoked. Not found.' })));
    await wrapper.find('[aria-label="Revoke the token Provisioning"]').trigger('click');
    await flush();
    expect(revoke).toHaveBeenCalledWith('t2');
    expect(wrapper.find('[role="alert"]').text()).toBe('The token was not revoked. Not found.');
  });
});
