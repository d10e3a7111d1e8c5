import { ApiError } from '@opsflow/plugin-sdk';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authApi } from '../api/auth';
import type { Me } from '../api/types';
import { flush, mountWithApp } from '../testing';
import SignInPage from './SignInPage.vue';

vi.mock('../api/auth', () => ({
  authApi: { me: vi.fn(), login: vi.fn(), logout: vi.fn(), updateMe: vi.fn() },
}));

const ada: Me = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada', roles: ['member'], locale: 'en', departmentId: null, managerId: null, active: true,
    platformAdmin: false, hasPassword: true, lastLoginAt: null, createdAt: '2026-01-01T00:00:00Z' },
  tenant: { id: 't1', name: 'Acme', slug: 'acme' },
  via: 'session',
};

async function fillAndSubmit(wrapper: Awaited<ReturnType<typeof mountWithApp>>['wrapper'], email: string, password: string) {
  await wrapper.find('input[name="email"]').setValue(email);
  await wrapper.find('input[name="password"]').setValue(password);
  await wrapper.find('form').trigger('submit');
  await flush();
}

describe('SignInPage', () => {
  beforeEach(() => {
    vi.mocked(authApi.login).mockReset();
    document.body.innerHTML = '';
  });

  it('signs in with the typed credentials and goes to the app', async () => {
    vi.mocked(authApi.login).mockResolvedValue(ada);
    const { wrapper, router } = await mountWithApp(SignInPage, { props: { title: 'Opsflow' } });
    await router.push('/sign-in?redirect=/profile-not-there');
    await fillAndSubmit(wrapper, ' ada@example.com ', 'correct horse');
    expect(authApi.login).toHaveBeenCalledWith({ email: 'ada@example.com', password: 'correct horse' });
    expect(router.currentRoute.value.fullPath).toBe('/profile-not-there');
    expect(wrapper.find('[data-test="sign-in-error"]').exists()).toBe(false);
  });

  it('shows the translated error when the server refuses the credentials', async () => {
    vi.mocked(authApi.login).mockRejectedValue(new ApiError(401, 'invalid_credentials', 'Invalid email or password'));
    const { wrapper, router } = await mountWithApp(SignInPage, { props: { title: 'Opsflow' } });
    await router.push('/sign-in');
    await fillAndSubmit(wrapper, 'ada@example.com', 'wrong');
    expect(wrapper.find('[data-test="sign-in-error"]').text()).toBe('Wrong email or password.');
    expect(router.currentRoute.value.path).toBe('/sign-in');
  });

  it("shows the server's own message for an error it has no translation for, in Chinese too", async () => {
    vi.mocked(authApi.login).mockRejectedValue(new ApiError(403, 'account_locked', 'This account is locked'));
    const { wrapper } = await mountWithApp(SignInPage, { props: { title: 'Opsflow' }, locale: 'zh-CN' });
    expect(wrapper.text()).toContain('登录');
    await fillAndSubmit(wrapper, 'ada@example.com', 'whatever');
    expect(wrapper.find('[data-test="sign-in-error"]').text()).toBe('This account is locked');
  });

  it('asks for the organisation when the account exists in several', async () => {
    vi.mocked(authApi.login)
      .mockRejectedValueOnce(new ApiError(409, 'tenant_required', 'Choose a tenant', [
        { path: 'tenant', message: 'acme' }, { path: 'tenant', message: 'globex' },
      ]))
      .mockResolvedValueOnce(ada);
    const { wrapper } = await mountWithApp(SignInPage, { props: { title: 'Opsflow' } });
    await fillAndSubmit(wrapper, 'ada@example.com', 'pw-123456');
    expect(wrapper.find('[data-test="sign-in-error"]').text()).toContain('several organisations');
    expect(wrapper.find('[data-test="tenant-select"]').exists()).toBe(true);
  });

  it('does not call the server with empty fields', async () => {
    const { wrapper } = await mountWithApp(SignInPage, { props: { title: 'Opsflow' } });
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(authApi.login).not.toHaveBeenCalled();
  });
});
