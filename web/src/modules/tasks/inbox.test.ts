import { describe, expect, it } from 'vitest';
import type { Task } from '../../shared/api/processes';
import { dueState, filterTasks, hasFilters, NO_FILTERS, pageCount, pageSlice, processOptions } from './inbox';

const NOW = Date.parse('2026-03-10T12:00:00Z');

function task(overrides: Partial<Task>): Task {
  return {
    id: 't', instanceId: 'i', processId: 'p1', elementId: 'review', name: 'Manager review', assignee: 'u1', candidateUsers: [],
    candidateGroups: [], ccUsers: [], ccGroups: [], status: 'open', formId: null, dueAt: null, followUpAt: null, createdAt: '2026-03-01T00:00:00Z', endedAt: null,
    outcome: null, processName: 'Fund request', ...overrides,
  };
}

const names = new Map([['p1', 'Fund request'], ['p2', 'Leave request 请假']]);

describe('dueState', () => {
  it('tells overdue, due within a day, later and no due date apart', () => {
    expect(dueState(task({ dueAt: '2026-03-10T11:59:00Z' }), NOW)).toBe('overdue');
    expect(dueState(task({ dueAt: '2026-03-11T11:00:00Z' }), NOW)).toBe('soon');
    expect(dueState(task({ dueAt: '2026-03-20T00:00:00Z' }), NOW)).toBe('later');
    expect(dueState(task({ dueAt: null }), NOW)).toBe('none');
  });

  it('never calls a finished task overdue', () => {
    expect(dueState(task({ dueAt: '2026-03-01T00:00:00Z', status: 'done' }), NOW)).toBe('none');
  });
});

describe('filterTasks', () => {
  const tasks = [
    task({ id: 'a', name: 'Manager review', processId: 'p1', dueAt: '2026-03-09T00:00:00Z' }),
    task({ id: 'b', name: 'Finance review', processId: 'p1' }),
    task({ id: 'c', name: '主管审批', processId: 'p2', dueAt: '2026-03-12T00:00:00Z' }),
  ];
  const ids = (list: Task[]) => list.map((t) => t.id);

  it('keeps everything without filters', () => {
    expect(ids(filterTasks(tasks, NO_FILTERS, names, NOW))).toEqual(['a', 'b', 'c']);
    expect(hasFilters(NO_FILTERS)).toBe(false);
  });

  it('filters by process, overdue and words of the task or process name', () => {
    expect(ids(filterTasks(tasks, { ...NO_FILTERS, processId: 'p2' }, names, NOW))).toEqual(['c']);
    expect(ids(filterTasks(tasks, { ...NO_FILTERS, overdueOnly: true }, names, NOW))).toEqual(['a']);
    expect(ids(filterTasks(tasks, { ...NO_FILTERS, search: 'FINANCE' }, names, NOW))).toEqual(['b']);
    expect(ids(filterTasks(tasks, { ...NO_FILTERS, search: 'fund review' }, names, NOW))).toEqual(['a', 'b']);
    expect(ids(filterTasks(tasks, { ...NO_FILTERS, search: '请假' }, names, NOW))).toEqual(['c']);
    expect(ids(filterTasks(tasks, { ...NO_FILTERS, search: '审批' }, names, NOW))).toEqual(['c']);
    expect(hasFilters({ ...NO_FILTERS, search: ' x ' })).toBe(true);
  });

  it('lists the processes of the tasks by name', () => {
    expect(processOptions(tasks, names)).toEqual([{ value: 'p1', title: 'Fund request' }, { value: 'p2', title: 'Leave request 请假' }]);
  });
});

describe('paging', () => {
  it('slices pages and counts at least one page', () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    expect(pageSlice(items, 3, 20)).toEqual([40, 41, 42, 43, 44]);
    expect(pageSlice(items, 0, 20)).toHaveLength(20);
    expect(pageCount(45, 20)).toBe(3);
    expect(pageCount(0, 20)).toBe(1);
  });
});
