import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';
import { processesApi, tasksApi, type Task } from '../../../shared/api/processes';
import type { InboxTab } from '../inbox';
import { useTaskInbox } from './use-task-inbox';

vi.mock('../../../shared/api/processes', async (original) => ({
  ...(await original<typeof import('../../../shared/api/processes')>()),
  tasksApi: { list: vi.fn() },
  processesApi: { list: vi.fn() },
}));

function task(id: number, overrides: Partial<Task> = {}): Task {
  return {
    id: `t${id}`, instanceId: 'i', processId: id % 2 ? 'p1' : 'p2', elementId: 'e', name: `Review ${id}`, assignee: 'me', candidateUsers: [],
    candidateGroups: [], ccUsers: [], ccGroups: [], status: 'open', formId: null, dueAt: null, followUpAt: null, createdAt: '2026-03-01T00:00:00Z', endedAt: null,
    outcome: null, processName: id % 2 ? 'Process 1' : 'Process 2', ...overrides,
  };
}

describe('useTaskInbox', () => {
  beforeEach(() => {
    vi.mocked(tasksApi.list).mockReset();
    vi.mocked(processesApi.list).mockReset().mockResolvedValue({
      items: [
        { id: 'p1', appId: 'a', name: 'Fund request', bpmnProcessId: null, latestVersion: 1, startFormId: null, updatedAt: '' },
        { id: 'p2', appId: 'a', name: 'Leave', bpmnProcessId: null, latestVersion: 1, startFormId: null, updatedAt: '' },
      ],
      total: 2, page: 1, pageSize: 500,
    });
  });

  it('reads every page of the tab so that filters and paging work across all its tasks', async () => {
    const all = Array.from({ length: 600 }, (_, i) => task(i + 1));
    vi.mocked(tasksApi.list).mockImplementation(async ({ page = 1, pageSize = 20 }) => ({
      items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize,
    }));
    const inbox = useTaskInbox(ref<InboxTab>('mine'), 20);
    await inbox.load();
    expect(tasksApi.list).toHaveBeenCalledTimes(2);
    expect(inbox.total.value).toBe(600);
    expect(inbox.items.value).toHaveLength(20);
    inbox.filters.processId = 'p2';
    inbox.filters.search = 'review 59';
    await nextTick();
    // Review 590, 592, ..., 598 of Leave — the last page's tasks are found too
    expect(inbox.items.value.map((t) => t.name)).toEqual(['Review 590', 'Review 592', 'Review 594', 'Review 596', 'Review 598']);
    expect(inbox.processes.value.map((p) => p.title)).toEqual(['Fund request', 'Leave']);
    expect(inbox.truncated.value).toBe(false);
  });

  it('shows the tab asked for last, even when an earlier answer arrives later', async () => {
    let answerMine!: (value: Awaited<ReturnType<typeof tasksApi.list>>) => void;
    vi.mocked(tasksApi.list).mockImplementation(({ scope }) =>
      scope === 'mine'
        ? new Promise((resolve) => (answerMine = resolve))
        : Promise.resolve({ items: [task(7, { assignee: null })], total: 1, page: 1, pageSize: 500 }),
    );
    const tab = ref<InboxTab>('mine');
    const inbox = useTaskInbox(tab);
    void inbox.load();
    tab.value = 'candidate';
    await nextTick();
    await new Promise((resolve) => setTimeout(resolve, 0));
    answerMine({ items: [task(1)], total: 1, page: 1, pageSize: 500 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(inbox.items.value.map((t) => t.id)).toEqual(['t7']);
    expect(inbox.loading.value).toBe(false);
  });
});
