import type { Page } from '@opsflow/web/shared';
import { useErrorHandler } from '@opsflow/web/shared';
import { computed, ref, shallowRef } from 'vue';

/** A server-paged list for v-data-table-server: `{ items, total, loading, error, load }`. */
export function usePagedList<T>(fetchPage: (page: number, pageSize: number) => Promise<Page<T>>, pageSize = 25) {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const size = ref(pageSize);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const errors = useErrorHandler();

  async function load(options: { page?: number; itemsPerPage?: number } = {}): Promise<void> {
    page.value = options.page ?? page.value;
    size.value = options.itemsPerPage ?? size.value;
    loading.value = true;
    error.value = null;
    try {
      const answer = await fetchPage(page.value, size.value);
      items.value = answer.items;
      total.value = answer.total;
    } catch (e) {
      error.value = e;
      errors.handle(e);
    } finally {
      loading.value = false;
    }
  }

  /** What v-data-table-server needs from the list: `v-bind="list.tableProps.value"`. */
  const tableProps = computed(() => ({
    items: items.value,
    itemsLength: total.value,
    loading: loading.value,
    itemsPerPage: size.value,
    page: page.value,
  }));

  return { items, total, page, pageSize: size, loading, error, load, tableProps };
}
