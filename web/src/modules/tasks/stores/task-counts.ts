import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { tasksApi } from '../../../shared/api/processes';

/** How many open tasks wait for me and how many I could claim: the navigation's badge and the inbox tabs. */
export const useTaskCountsStore = defineStore('task-counts', () => {
  const mine = ref(0);
  const candidate = ref(0);
  const involved = ref(0);
  /** copied to me (抄送): for reading, not a task to do */
  const cc = ref(0);
  const loaded = ref(false);
  /** to do: assigned to me, or offered to me to claim */
  const toDo = computed(() => mine.value + candidate.value);

  let running: Promise<void> | null = null;
  let refreshedAt = 0;

  /** Asks the API for the totals (one tiny page per tab); a failure keeps the last numbers. */
  function refresh(): Promise<void> {
    running ??= (async () => {
      try {
        const [m, c, i, copied] = await Promise.all(
          [...(['mine', 'candidate', 'involved'] as const).map((scope) => tasksApi.list({ scope, status: 'open', page: 1, pageSize: 1 })),
            // every copy, decided or not: a CC'd reader follows the request to its end
            tasksApi.list({ scope: 'cc', status: 'all', page: 1, pageSize: 1 })],
        );
        mine.value = m.total;
        candidate.value = c.total;
        involved.value = i.total;
        cc.value = copied.total;
        loaded.value = true;
        refreshedAt = Date.now();
      } catch {
        // the badge is a hint: the inbox itself shows errors
      } finally {
        running = null;
      }
    })();
    return running;
  }

  /** For page changes: asks again only when the numbers are older than `maxAgeMs`. */
  function refreshIfStale(maxAgeMs = 10_000): Promise<void> {
    return Date.now() - refreshedAt < maxAgeMs ? Promise.resolve() : refresh();
  }

  function reset(): void {
    refreshedAt = 0;
    mine.value = 0;
    candidate.value = 0;
    involved.value = 0;
    cc.value = 0;
    loaded.value = false;
  }

  return { mine, candidate, involved, cc, toDo, loaded, refresh, refreshIfStale, reset };
});
