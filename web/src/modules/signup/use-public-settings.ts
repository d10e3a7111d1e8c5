import { onMounted, ref } from 'vue';
import { authApi, type PublicSettings } from '../../shared';

/** `GET /api/public/settings`; sign-up stays hidden until the server says it is open. */
export function usePublicSettings() {
  const data = ref<PublicSettings | null>(null);
  const loading = ref(true);
  const error = ref<unknown>(null);
  onMounted(async () => {
    try {
      data.value = await authApi.publicSettings();
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  });
  return { data, loading, error };
}
