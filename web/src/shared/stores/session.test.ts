import { ApiError } from '@opsflow/plugin-sdk';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authApi } from '../api/auth';
import type { Me } from '../api/types';
import { useSessionStore } from './session';

vi.mock('../api/auth', () => ({
  authApi: { me: vi.fn(), login: vi.fn(), logout: vi.fn(), updateMe: vi.fn() },
}));

const ada: Me = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada', roles: ['admin'], locale: 'en', departmentId: null, managerId: null, active: true,
    platformAdmin: false, hasPassword: true, lastLoginAt: null, createdAt: '2026-01-01T00:00:00Z' },
  tenant: { id: 't1', name: 'Acme', slug: 'acme' },
  via: 'session',
};

describe('session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(authApi.me).mockReset();
    vi.mocked(authApi.login).mockReset();
    vi.mocked(authApi.logout).mockReset();
    vi.mocked(authApi.updateMe).mockReset();
  });

  it('knows the user and tenant after signing in', async () => {
    vi.mocked(authApi.login).mockResolvedValue(ada);
    const session = useSessionStore();
    await session.login({ email: 'ada@example.com', password: 'secret-123' });
    expect(authApi.login).toHaveBeenCalledWith({ email: 'ada@example.com', password: 'secret-123' });
    expect(session.me?.name).toBe('Ada');
    expect(session.tenant?.name).toBe('Acme');
    expect(session.isAdmin).toBe(true);
    expect(session.loading).toBe(false);
  });

  it('keeps the error and stays signed out when the login is refused', async () => {
    vi.mocked(authApi.login).mockRejectedValue(new ApiError(401, 'invalid_credentials', 'Wrong email or password'));
    const session = useSessionStore();
    await expect(session.login({ email: 'ada@example.com', password: 'nope' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(session.me).toBeNull();
    expect(session.error?.status).toBe(401);
    expect(session.loading).toBe(false);
  });

  it('treats 401 on refresh as not signed in, not as an error', async () => {
    vi.mocked(authApi.me).mockRejectedValue(new ApiError(401, 'unauthenticated', 'Not signed in'));
    const session = useSessionStore();
    expect(await session.refresh()).toBeNull();
    expect(session.loaded).toBe(true);
    expect(session.signedIn).toBe(false);
    expect(session.error).toBeNull();
  });

  it('reports other refresh failures', async () => {
    vi.mocked(authApi.me).mockRejectedValue(new ApiError(0, 'network_error', 'offline'));
    const session = useSessionStore();
    await session.refresh();
    expect(session.error?.code).toBe('network_error');
  });

  it('forgets the user on logout', async () => {
    vi.mocked(authApi.me).mockResolvedValue(ada);
    vi.mocked(authApi.logout).mockResolvedValue(undefined);
    const session = useSessionStore();
    await session.refresh();
    expect(session.signedIn).toBe(true);
    await session.logout();
    expect(session.me).toBeNull();
    expect(session.tenant).toBeNull();
  });

  it('a member is not an admin', async () => {
    vi.mocked(authApi.me).mockResolvedValue({ ...ada, user: { ...ada.user, roles: ['member'] } });
    const session = useSessionStore();
    await session.refresh();
    expect(session.isAdmin).toBe(false);
    expect(session.canDesign).toBe(false);
  });
});
