// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { SESSION } from '../features/session/session-store';
import SignInPage from './sign-in.page.vue';

const replace = vi.fn();
const route = { query: {} as Record<string, string> };
vi.mock('vue-router', () => ({ useRoute: () => route, useRouter: () => ({ replace }) }));
vi.mock('../features/hierarchy/use-hierarchy', () => ({ useHierarchy: () => ({ reset: vi.fn() }) }));

const PASSWORD_ONLY = { password: true, oidc: null };

function page(signIn: () => Promise<string | null>, options: unknown = PASSWORD_ONLY) {
  const session = { ensure: vi.fn(async () => 'signed-out'), signIn: vi.fn(signIn), signInOptions: vi.fn(async () => options) };
  return mount(SignInPage, { global: { provide: { [SESSION as symbol]: session } } });
}

async function submit(wrapper: ReturnType<typeof page>) {
  await wrapper.find('#sign-in-email').setValue('owner@northwind.example');
  await wrapper.find('#sign-in-password').setValue('the-right-password');
  await wrapper.find('form').trigger('submit');
  await flushPromises();
}

describe('the sign-in page', () => {
  it('says that plain HTTP is why the session cannot be kept, not that the password is wrong', async () => {
    const wrapper = page(async () => 'INSECURE_TRANSPORT');
    await submit(wrapper);
    const alert = wrapper.find('[role="alert"]').text();
    expect(alert).toContain('This address uses plain HTTP, so the browser will not keep your session');
    expect(alert).toContain('https://');
    expect(alert).not.toMatch(/not correct/);
    expect(wrapper.find('#sign-in-password').attributes('aria-invalid')).toBeUndefined();
    expect(replace).not.toHaveBeenCalled();
  });

  it('still blames the password when the server said so', async () => {
    const wrapper = page(async () => 'UNAUTHENTICATED');
    await submit(wrapper);
    expect(wrapper.find('[role="alert"]').text()).toBe('The e-mail address or password is not correct.');
  });

  it('offers "Sign in with <provider>" beside the password form when single sign-on is configured', async () => {
    const wrapper = page(async () => null, { password: true, oidc: { label: 'Northwind ID', startUrl: '/auth/oidc/start' } });
    await flushPromises();
    const button = wrapper.find('[data-testid="sso-sign-in"]');
    expect(button.text()).toBe('Sign in with Northwind ID');
    expect(button.attributes('href')).toBe('/auth/oidc/start');
    route.query = { redirect: '/measures?doi=3' };
    try {
      const back = page(async () => null, { password: true, oidc: { label: 'Northwind ID', startUrl: '/auth/oidc/start' } });
      await flushPromises();
      expect(back.find('[data-testid="sso-sign-in"]').attributes('href')).toBe('/auth/oidc/start?redirect=%2Fmeasures%3Fdoi%3D3');
    } finally {
      route.query = {};
    }
    expect(wrapper.find('#sign-in-password').exists()).toBe(true);
  });

  it('shows only the single sign-on button when password sign-in is off', async () => {
    const wrapper = page(async () => null, { password: false, oidc: { label: 'Northwind ID', startUrl: '/auth/oidc/start' } });
    await flushPromises();
    expect(wrapper.find('[data-testid="sso-sign-in"]').exists()).toBe(true);
    expect(wrapper.find('form').exists()).toBe(false);
  });

  it('explains why a single sign-on came back, never with the server’s own words', async () => {
    route.query = { sso_error: 'unverified_email' };
    try {
      const wrapper = page(async () => null, { password: true, oidc: { label: 'Northwind ID', startUrl: '/auth/oidc/start' } });
      await flushPromises();
      expect(wrapper.find('[data-testid="sso-error"]').text()).toBe(
        'Northwind ID has not verified your e-mail address, so Gatehouse cannot tell who you are. Verify it there, then try again.',
      );
    } finally {
      route.query = {};
    }
  });
});
