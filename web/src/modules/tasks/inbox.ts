import type { Task, TaskScope, TaskStatus } from '../../shared/api/processes';

/** The inbox tabs and what each asks the API for. */
export const INBOX_TABS = [
  { value: 'mine', scope: 'mine', status: 'open' },
  { value: 'candidate', scope: 'candidate', status: 'open' },
  { value: 'involved', scope: 'involved', status: 'open' },
  { value: 'cc', scope: 'cc', status: 'all' },
  { value: 'done', scope: 'mine', status: 'done' },
] as const satisfies readonly { value: string; scope: TaskScope; status: TaskStatus }[];

export type InboxTab = (typeof INBOX_TABS)[number]['value'];

export function isInboxTab(value: unknown): value is InboxTab {
  return INBOX_TABS.some((tab) => tab.value === value);
}

export interface InboxFilters {
  /** only tasks of this process */
  processId: string | null;
  /** only open tasks past their due date */
  overdueOnly: boolean;
  /** words of the task's or the process's name */
  search: string;
}

export const NO_FILTERS: InboxFilters = { processId: null, overdueOnly: false, search: '' };

export function hasFilters(filters: InboxFilters): boolean {
  return filters.processId !== null || filters.overdueOnly || filters.search.trim() !== '';
}

/** How close a task is to its due date: no date, past it, within a day, or later. */
export type DueState = 'none' | 'overdue' | 'soon' | 'later';

const DAY_MS = 24 * 60 * 60 * 1000;

export function dueState(task: Pick<Task, 'dueAt' | 'status'>, now: number): DueState {
  if (!task.dueAt || task.status !== 'open') return 'none';
  const due = new Date(task.dueAt).getTime();
  if (Number.isNaN(due)) return 'none';
  if (due < now) return 'overdue';
  return due - now <= DAY_MS ? 'soon' : 'later';
}

/** Lower-cased, without the accents and widths people do not type (全角 → half-width). */
function normalise(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The tasks the filters keep; every search word must appear in the task's or its process's name. */
export function filterTasks(tasks: readonly Task[], filters: InboxFilters, processNames: ReadonlyMap<string, string>, now: number): Task[] {
  const words = normalise(filters.search).split(/\s+/).filter(Boolean);
  return tasks.filter((task) => {
    if (filters.processId !== null && task.processId !== filters.processId) return false;
    if (filters.overdueOnly && dueState(task, now) !== 'overdue') return false;
    if (words.length === 0) return true;
    const haystack = normalise(`${task.name} ${processNames.get(task.processId) ?? ''}`);
    return words.every((word) => haystack.includes(word));
  });
}

/** The processes the tasks belong to, by name, for the process filter. */
export function processOptions(tasks: readonly Task[], processNames: ReadonlyMap<string, string>): { value: string; title: string }[] {
  const ids = [...new Set(tasks.map((task) => task.processId))];
  return ids
    .map((id) => ({ value: id, title: processNames.get(id) ?? id }))
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** One page (1-based) of a list. */
export function pageSlice<T>(items: readonly T[], page: number, pageSize: number): T[] {
  const start = (Math.max(1, page) - 1) * pageSize;
  return items.slice(start, start + pageSize);
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
