import { inject, provide, type InjectionKey } from 'vue';
import { SIGNED_IN_UPLOAD_URL } from '../api/files';

/** What the file fields of one form share: where they upload to, and the uploads still running. */
export interface FormUploads {
  url: string;
  /** whether stored files can be downloaded here (a visitor of a public link cannot) */
  downloads: boolean;
  /** Counts an upload until it settles, so that sending the form can wait for it. */
  track(upload: Promise<unknown>): void;
  /** Resolves when every upload started so far has finished (or failed). */
  settled(): Promise<void>;
}

const KEY: InjectionKey<FormUploads> = Symbol('opsflow form uploads');

function createFormUploads(url: string): FormUploads {
  const running = new Set<Promise<unknown>>();
  return {
    url,
    downloads: url === SIGNED_IN_UPLOAD_URL,
    track(upload) {
      const settled = upload.then(() => undefined, () => undefined);
      running.add(settled);
      void settled.then(() => running.delete(settled));
    },
    async settled() {
      while (running.size) await Promise.all(running);
    },
  };
}

/** Called by the form: its file fields upload to `url`. */
export function provideFormUploads(url: string | undefined): FormUploads {
  const uploads = createFormUploads(url ?? SIGNED_IN_UPLOAD_URL);
  provide(KEY, uploads);
  return uploads;
}

/** Called by a file field: the form's uploads (the signed-in endpoint outside a form). */
export function useFormUploads(): FormUploads {
  return inject(KEY, () => createFormUploads(SIGNED_IN_UPLOAD_URL), true);
}
