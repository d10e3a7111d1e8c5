import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tasksApi } from '../../../shared/api/processes';
import { useTaskCountsStore } from './task-counts';

vi.mock('../../../shared/api/processes', async (original) => ({
  ...(await original<typeof import('../../../shared/api/processes')>()),
  tasksApi: { list: vi.fn() },
}));

const totals = { mine: 2, candidate: 3, involved: 5, cc: 7 };

describe('task counts', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(tasksApi.list).mockReset().mockImplementation(async ({ scope }) => ({ items: [], total: totals[scope], page: 1, pageSize: 1 }));
  });

  it('counts what waits for me and what I could claim, asking for one-item pages', async () => {
    const counts = useTaskCountsStore();
    await counts.refresh();
    expect(counts.toDo).toBe(5);
    expect(counts.involved).toBe(5);
    // a copy is to read, not to do: counted apart, not in the badge
    expect(counts.cc).toBe(7);
    expect(tasksApi.list).toHaveBeenCalledWith({ scope: 'mine', status: 'open', page: 1, pageSize: 1 });
  });

  it('asks once for calls at the same time, and not again while the numbers are fresh', async () => {
    const counts = useTaskCountsStore();
    await Promise.all([counts.refresh(), counts.refresh()]);
    expect(tasksApi.list).toHaveBeenCalledTimes(4);
    await counts.refreshIfStale();
    expect(tasksApi.list).toHaveBeenCalledTimes(4);
    await counts.refresh();
    expect(tasksApi.list).toHaveBeenCalledTimes(8);
  });

  it('keeps the last numbers when the server cannot be reached, and forgets them on sign-out', async () => {
    const counts = useTaskCountsStore();
    await counts.refresh();
    vi.mocked(tasksApi.list).mockRejectedValue(new Error('offline'));
    await counts.refresh();
    expect(counts.toDo).toBe(5);
    counts.reset();
    expect(counts.toDo).toBe(0);
  });
});
