import { ApiError } from '@opsflow/plugin-sdk';
import { computed, ref, watch, type Ref } from 'vue';
import { fileInfo, uploadFile } from '../../api/files';
import type { FormUploads } from '../form-uploads';

/** One line of a file field: a stored file, one being uploaded, or one that failed. */
export interface FileEntry {
  key: string;
  id?: string;
  name: string;
  size?: number;
  state: 'loading' | 'uploading' | 'done' | 'failed' | 'unavailable';
  /** 0…1 while uploading */
  progress: number;
  error?: unknown;
}

let counter = 0;
const nextKey = () => `file-${(counter += 1)}`;

/**
 * The lines of a file field: the stored files its value names (their names looked up), plus uploads in
 * progress and failed ones. `commit` receives the ids whenever the set of stored files changes.
 */
export function useFileEntries(ids: Ref<readonly string[]>, uploads: FormUploads, commit: (ids: string[] | undefined) => void) {
  const entries = ref<FileEntry[]>([]);
  const cancels = new Map<string, AbortController>();

  const storedIds = () => entries.value.filter((e) => e.id && e.state !== 'uploading' && e.state !== 'failed').map((e) => e.id!);
  const emit = () => {
    const next = storedIds();
    commit(next.length ? next : undefined);
  };

  watch(ids, (current) => {
    const wanted = new Set(current);
    entries.value = entries.value.filter((e) => !e.id || e.state === 'uploading' || e.state === 'failed' || wanted.has(e.id));
    for (const id of current) {
      if (entries.value.some((e) => e.id === id)) continue;
      const entry: FileEntry = { key: nextKey(), id, name: '', state: 'loading', progress: 0 };
      entries.value.push(entry);
      fileInfo(id).then(
        (file) => update(entry.key, { name: file.name, size: file.size, state: 'done' }),
        () => update(entry.key, { state: 'unavailable' }),
      );
    }
  }, { immediate: true });

  function update(key: string, patch: Partial<FileEntry>): void {
    const index = entries.value.findIndex((e) => e.key === key);
    if (index >= 0) entries.value[index] = { ...entries.value[index]!, ...patch };
  }

  function upload(file: File): void {
    const key = nextKey();
    entries.value.push({ key, name: file.name, size: file.size, state: 'uploading', progress: 0 });
    const cancel = new AbortController();
    cancels.set(key, cancel);
    const options = { onProgress: (progress: number) => update(key, { progress }), signal: cancel.signal };
    const run = uploadFile(uploads.url, file, file.name, options).finally(() => cancels.delete(key)).then(
      (stored) => {
        if (!entries.value.some((e) => e.key === key)) return;
        update(key, { id: stored.id, name: stored.name, size: stored.size, state: 'done', progress: 1 });
        emit();
      },
      (error: unknown) => update(key, { state: 'failed', error }),
    );
    uploads.track(run);
  }

  function remove(key: string): void {
    cancels.get(key)?.abort();
    const entry = entries.value.find((e) => e.key === key);
    entries.value = entries.value.filter((e) => e.key !== key);
    if (entry?.id && entry.state !== 'failed') emit();
  }

  /** Files counted against the field's maximum: stored ones and those on their way. */
  const counted = computed(() => entries.value.filter((e) => e.state !== 'failed').length);

  return { entries, counted, upload, remove };
}

/** Whether an upload failed because the file is over the server's own limit. */
export const tooLargeForServer = (error: unknown) => error instanceof ApiError && error.status === 413;
