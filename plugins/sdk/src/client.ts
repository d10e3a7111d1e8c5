import { client } from './generated/client.gen';

/** One entry of a 422 answer: which field (`email`, `rows[3].email`) and what is wrong with it. */
export interface ApiErrorDetail {
  path: string;
  message: string;
}

/**
 * Thrown for every non-2xx answer of the Opsflow API, and with status 0 and code
 * `network_error` when the server cannot be reached.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toDetails(value: unknown): ApiErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((d) => ({ path: String(d.path ?? ''), message: String(d.message ?? '') }));
}

/** Turns whatever the fetch client rejected with into an {@link ApiError}. */
export function toApiError(error: unknown, response: Response | undefined): ApiError {
  if (error instanceof ApiError) return error;
  if (!response) {
    const message = error instanceof Error ? error.message : 'The server could not be reached';
    return new ApiError(0, 'network_error', message);
  }
  if (isRecord(error) && typeof error.code === 'string') {
    return new ApiError(
      response.status,
      error.code,
      typeof error.message === 'string' ? error.message : response.statusText,
      toDetails(error.details),
    );
  }
  const text = typeof error === 'string' && error ? error : response.statusText;
  return new ApiError(response.status, response.status >= 500 ? 'internal_error' : 'http_error', text);
}

let errorInterceptor: number | undefined;

export interface ApiClientOptions {
  /** Origin of the API; '' (the default) sends requests to the page's own origin (`/api/...`). */
  baseUrl?: string;
  /** Replaces the global fetch, for tests and non-browser callers. */
  fetch?: typeof fetch;
  /** Extra headers, e.g. `Authorization: Bearer <api key>` for integrations. */
  headers?: Record<string, string>;
}

/**
 * Configures the shared client: same-origin requests with the session cookie, and an
 * {@link ApiError} for every failed call. Call once at start-up.
 */
export function configureApiClient(options: ApiClientOptions = {}): typeof client {
  client.setConfig({
    baseUrl: options.baseUrl ?? '',
    credentials: 'include',
    throwOnError: true,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (errorInterceptor === undefined) {
    errorInterceptor = client.interceptors.error.use((error, response) => toApiError(error, response));
  }
  return client;
}

export { client };
