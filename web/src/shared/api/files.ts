import { ApiError, filesGet, toApiError, type FileDto } from '@opsflow/plugin-sdk';

export type StoredFile = FileDto;

/** Where a form's file fields upload to: signed in, or through a public link. */
export const SIGNED_IN_UPLOAD_URL = '/api/files';
export const publicUploadUrl = (token: string) => `/api/public/forms/${encodeURIComponent(token)}/files`;

/** The download address of a file (the server sends it as an attachment; plain images inline). */
export const fileContentUrl = (id: string) => `/api/files/${encodeURIComponent(id)}/content`;

export interface UploadOptions {
  /** called with 0…1 as the bytes go out */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

function errorOf(xhr: XMLHttpRequest): ApiError {
  let body: unknown = xhr.responseText;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    // not JSON: keep the text
  }
  return toApiError(body, new Response(null, { status: xhr.status, statusText: xhr.statusText }));
}

/**
 * Uploads one file as `multipart/form-data` (field `file`) with the session cookie. XMLHttpRequest rather than
 * the generated client, because only XMLHttpRequest reports upload progress.
 */
export function uploadFile(url: string, file: Blob, name: string, options: UploadOptions = {}): Promise<StoredFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(errorOf(xhr));
      try {
        const stored = JSON.parse(xhr.responseText) as StoredFile;
        rememberFile(stored);
        options.onProgress?.(1);
        resolve(stored);
      } catch (error) {
        reject(toApiError(error, undefined));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The server could not be reached'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const body = new FormData();
    body.append('file', file, name);
    xhr.send(body);
  });
}

const known = new Map<string, Promise<StoredFile>>();

/** Keeps what an upload answered, so the file shows without asking again (visitors of a public link cannot ask). */
export function rememberFile(file: StoredFile): void {
  known.set(file.id, Promise.resolve(file));
}

/** A file's name, size and type, asked once per page. */
export function fileInfo(id: string): Promise<StoredFile> {
  let found = known.get(id);
  if (!found) {
    found = filesGet({ path: { id } }).then((answer) => answer.data);
    found.catch(() => known.delete(id));
    known.set(id, found);
  }
  return found;
}
