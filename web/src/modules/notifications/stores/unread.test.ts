import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { notificationsApi } from '../../../shared/api/notifications';
import { POLL_MS, useUnreadStore } from './unread';

vi.mock('../../../shared/api/notifications', () => ({ notificationsApi: { unreadCount: vi.fn() } }));

function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('the bell\'s unread count', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    vi.mocked(notificationsApi.unreadCount).mockReset().mockResolvedValue(3);
    setVisibility('visible');
  });

  afterEach(() => {
    useUnreadStore().stop();
    vi.useRealTimers();
  });

  it('asks at once and then every 30 seconds while the page is visible', async () => {
    const unread = useUnreadStore();
    unread.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(unread.count).toBe(3);
    await vi.advanceTimersByTimeAsync(POLL_MS * 2);
    expect(notificationsApi.unreadCount).toHaveBeenCalledTimes(3);
  });

  it('asks nothing while hidden, and catches up when shown again', async () => {
    const unread = useUnreadStore();
    unread.start();
    await vi.advanceTimersByTimeAsync(0);
    setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(POLL_MS * 5);
    expect(notificationsApi.unreadCount).toHaveBeenCalledTimes(1);
    vi.mocked(notificationsApi.unreadCount).mockResolvedValue(7);
    setVisibility('visible');
    await vi.advanceTimersByTimeAsync(0);
    expect(unread.count).toBe(7);
  });

  it('keeps the last number when the server cannot be reached, and one start polls once', async () => {
    const unread = useUnreadStore();
    unread.start();
    unread.start();
    await vi.advanceTimersByTimeAsync(0);
    vi.mocked(notificationsApi.unreadCount).mockRejectedValue(new Error('offline'));
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(unread.count).toBe(3);
    expect(notificationsApi.unreadCount).toHaveBeenCalledTimes(2);
  });
});
