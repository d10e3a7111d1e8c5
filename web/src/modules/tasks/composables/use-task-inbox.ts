import { computed, reactive, ref, watch, type Ref } from 'vue';
import { MAX_PAGE_SIZE, processesApi, tasksApi, type Task } from '../../../shared/api/processes';
import { filterTasks, INBOX_TABS, pageSlice, processOptions, type InboxFilters, type InboxTab } from '../inbox';

/** How many tasks of one tab the inbox reads to filter in the browser (the API has no task filters yet). */
export const INBOX_LIMIT = 2000;

/**
 * One inbox tab: `{ items, total, loading, error, load }` plus filters and paging. The tab's open tasks are read
 * whole (up to INBOX_LIMIT) so that the process, overdue and name filters work across pages.
 */
export function useTaskInbox(tab: Ref<InboxTab>, pageSize = 20) {
  const all = ref<Task[]>([]);
  const serverTotal = ref(0);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const filters = reactive<InboxFilters>({ processId: null, overdueOnly: false, search: '' });
  const page = ref(1);
  const processNames = ref(new Map<string, string>());
  const now = ref(Date.now());
  let namesLoaded = false;
  let round = 0;

  const filtered = computed(() => filterTasks(all.value, filters, processNames.value, now.value));
  const items = computed(() => pageSlice(filtered.value, page.value, pageSize));
  const total = computed(() => filtered.value.length);
  /** the tab holds more tasks than the inbox read */
  const truncated = computed(() => serverTotal.value > all.value.length);
  const processes = computed(() => processOptions(all.value, processNames.value));

  async function loadProcessNames(): Promise<void> {
    if (namesLoaded) return;
    try {
      const answer = await processesApi.list();
      processNames.value = new Map(answer.items.map((process) => [process.id, process.name]));
      namesLoaded = true;
    } catch {
      // names are a nicety: the tasks still show with their own names
    }
  }

  async function load(): Promise<void> {
    const mine = ++round;
    const { scope, status } = INBOX_TABS.find((entry) => entry.value === tab.value)!;
    loading.value = true;
    error.value = null;
    try {
      const [first] = await Promise.all([tasksApi.list({ scope, status, page: 1, pageSize: MAX_PAGE_SIZE }), loadProcessNames()]);
      const tasks = [...first.items];
      for (let next = 2; tasks.length < Math.min(first.total, INBOX_LIMIT); next += 1) {
        const more = await tasksApi.list({ scope, status, page: next, pageSize: MAX_PAGE_SIZE });
        if (more.items.length === 0) break;
        tasks.push(...more.items);
      }
      if (mine !== round) return;
      all.value = tasks;
      serverTotal.value = first.total;
      now.value = Date.now();
      const pages = Math.max(1, Math.ceil(filtered.value.length / pageSize));
      if (page.value > pages) page.value = pages;
    } catch (e) {
      if (mine === round) error.value = e;
    } finally {
      if (mine === round) loading.value = false;
    }
  }

  watch(tab, () => {
    page.value = 1;
    all.value = [];
    void load();
  });
  watch(() => [filters.processId, filters.overdueOnly, filters.search], () => (page.value = 1));

  return { items, total, loading, error, load, filters, page, pageSize, processNames, processes, truncated, now };
}
