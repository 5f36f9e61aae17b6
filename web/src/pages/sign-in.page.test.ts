// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { SESSION } from '../features/session/session-store';
import SignInPage from './sign-in.page.vue';

const replace = vi.fn();
vi.mock('vue-router', () => ({ useRoute: () => ({ query: {} }), useRouter: () => ({ replace }) }));
vi.mock('../features/hierarchy/use-hierarchy', () => ({ useHierarchy: () => ({ reset: vi.fn() }) }));

function page(signIn: () => Promise<string | null>) {
  const session = { ensure: vi.fn(async () => 'signed-out'), signIn: vi.fn(signIn) };
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
});
