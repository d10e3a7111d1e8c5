import { onBeforeUnmount, ref } from 'vue';
import { directoryApi, type UserOption } from '../api/forms';

/**
 * Active people of the organisation, searched as someone types (once they pause), for the user pickers of
 * forms and of task actions. `selected()` is the chosen person, kept in the list while other names are shown.
 */
export function useUserSearch(selected: () => string | null | undefined) {
  const items = ref<UserOption[]>([]);
  const loading = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  async function search(q: string): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    try {
      const found = await directoryApi.searchUsers(q);
      if (ticket !== latest) return;
      const chosen = items.value.find((u) => u.id === selected());
      items.value = chosen && !found.some((u) => u.id === chosen.id) ? [chosen, ...found] : found;
    } catch {
      // the picker stays usable with what it has; whoever uses it reports a missing choice
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  function onSearch(q: string | null): void {
    clearTimeout(timer);
    const chosen = items.value.find((u) => u.id === selected());
    if (chosen && q === chosen.name) return;
    timer = setTimeout(() => void search(q ?? ''), 250);
  }

  /** Shows a person chosen earlier by their name (a person who no longer exists shows as the raw id). */
  async function showSelected(userId: string): Promise<void> {
    try {
      items.value = [await directoryApi.user(userId)];
    } catch {
      // keep the raw id
    }
  }

  onBeforeUnmount(() => clearTimeout(timer));
  return { items, loading, search, onSearch, showSelected };
}
