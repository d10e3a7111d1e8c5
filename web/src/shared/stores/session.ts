import { ApiError } from '@opsflow/plugin-sdk';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { authApi, type LoginInput, type ProfileChange } from '../api/auth';
import type { Me, Role, Tenant, User } from '../api/types';

/** Who is signed in, to which tenant. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<User | null>(null);
  const tenant = ref<Tenant | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);

  const signedIn = computed(() => me.value !== null);
  const roles = computed<Role[]>(() => me.value?.roles ?? []);
  const isAdmin = computed(() => roles.value.includes('owner') || roles.value.includes('admin'));
  const canDesign = computed(() => isAdmin.value || roles.value.includes('designer'));

  function set(answer: Me | null): void {
    me.value = answer?.user ?? null;
    tenant.value = answer?.tenant ?? null;
    loaded.value = true;
  }

  async function run<T>(action: () => Promise<T>): Promise<T> {
    loading.value = true;
    error.value = null;
    try {
      return await action();
    } catch (e) {
      error.value = e instanceof ApiError ? e : new ApiError(0, 'internal_error', String(e));
      throw error.value;
    } finally {
      loading.value = false;
    }
  }

  /** Loads the current session; not being signed in is not an error. */
  async function refresh(): Promise<User | null> {
    loading.value = true;
    error.value = null;
    try {
      set(await authApi.me());
    } catch (e) {
      set(null);
      if (!(e instanceof ApiError && e.status === 401)) {
        error.value = e instanceof ApiError ? e : new ApiError(0, 'internal_error', String(e));
      }
    } finally {
      loading.value = false;
    }
    return me.value;
  }

  async function login(input: LoginInput): Promise<User> {
    return run(async () => {
      const answer = await authApi.login(input);
      set(answer);
      return answer.user;
    });
  }

  async function logout(): Promise<void> {
    await run(() => authApi.logout()).finally(() => set(null));
  }

  async function updateProfile(change: ProfileChange): Promise<User> {
    return run(async () => {
      const answer = await authApi.updateMe(change);
      set(answer);
      return answer.user;
    });
  }

  /** For pages whose call signs the user in (accept invite). */
  function signedInAs(answer: Me): void {
    set(answer);
  }

  return {
    me, tenant, loading, loaded, error, signedIn, roles, isAdmin, canDesign,
    refresh, login, logout, updateProfile, signedInAs,
  };
});
