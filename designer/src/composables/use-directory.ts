import { useErrorHandler, type User } from '@opsflow/web/shared';
import { computed, ref, shallowRef } from 'vue';
import { departmentsApi, usersApi } from '../api/admin';
import type { Department } from '../api/types';

/** Departments and (up to 500) users, for pickers and for showing names instead of ids. */
export function useDirectory() {
  const departments = shallowRef<Department[]>([]);
  const users = shallowRef<User[]>([]);
  const loading = ref(false);
  const errors = useErrorHandler();

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const [deps, people] = await Promise.all([departmentsApi.list(), usersApi.list({ page: 1, pageSize: 500 })]);
      departments.value = deps.items;
      users.value = people.items;
    } catch (e) {
      errors.handle(e);
    } finally {
      loading.value = false;
    }
  }

  /** `Engineering / Platform` for each department id. */
  const departmentPaths = computed(() => {
    const byId = new Map(departments.value.map((d) => [d.id, d]));
    const paths = new Map<string, string>();
    for (const dep of departments.value) {
      const names: string[] = [];
      let current: Department | undefined = dep;
      const seen = new Set<string>();
      while (current && !seen.has(current.id)) {
        seen.add(current.id);
        names.unshift(current.name);
        current = current.parentId ? byId.get(current.parentId) : undefined;
      }
      paths.set(dep.id, names.join(' / '));
    }
    return paths;
  });

  const departmentItems = computed(() =>
    departments.value
      .map((d) => ({ value: d.id, title: departmentPaths.value.get(d.id) ?? d.name }))
      .sort((a, b) => a.title.localeCompare(b.title)),
  );
  const userItems = computed(() => users.value.map((u) => ({ value: u.id, title: `${u.name} <${u.email}>` })));
  const userName = (id: string | null | undefined) => users.value.find((u) => u.id === id)?.name ?? '';

  return { departments, users, loading, load, departmentPaths, departmentItems, userItems, userName };
}
