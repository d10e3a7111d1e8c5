import { defineStore } from 'pinia';
import { ref } from 'vue';
import { notificationsApi } from '../../../shared/api/notifications';

/** How often the bell asks while the page is visible. */
export const POLL_MS = 30_000;

/**
 * The bell's unread count. It asks on demand, and every POLL_MS while the page is in front: a hidden tab
 * asks nothing, and comes back up to date when shown again.
 */
export const useUnreadStore = defineStore('notifications-unread', () => {
  const count = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | null = null;

  function refresh(): Promise<void> {
    running ??= (async () => {
      try {
        count.value = await notificationsApi.unreadCount();
      } catch {
        // the bell is a hint: keep the last number
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const onVisible = () => {
    if (document.visibilityState === 'visible') void refresh();
  };

  function start(): void {
    if (timer) return;
    void refresh();
    timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    document.addEventListener('visibilitychange', onVisible);
  }

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
    document.removeEventListener('visibilitychange', onVisible);
    count.value = 0;
  }

  return { count, refresh, start, stop };
});
