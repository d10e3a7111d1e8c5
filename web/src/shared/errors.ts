import { ApiError } from '@opsflow/plugin-sdk';
import { reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { useNotifyStore } from './stores/notify';

/** Validation messages per field path (`email`, `rows[3].email`), bound to `:error-messages`. */
export type FieldErrors = Record<string, string[]>;

export function useFieldErrors(): FieldErrors {
  return reactive<FieldErrors>({});
}

export function clearFieldErrors(fields: FieldErrors): void {
  for (const key of Object.keys(fields)) delete fields[key];
}

type Translate = { t: (key: string) => string; te: (key: string) => boolean };

/** The message to show for an error: the translation of its code, else the server's message. */
export function errorMessage(error: unknown, { t, te }: Translate): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (te(key)) return t(key);
    return error.message || t('errors.internal_error');
  }
  return t('errors.internal_error');
}

export interface HandleOptions {
  /** Where 422 `details` go, by path; the snackbar is then skipped when every detail found a field. */
  fields?: FieldErrors;
  /** Field paths the form shows; details on other paths also go to the snackbar. */
  knownFields?: readonly string[];
  /** Only return the message (the page shows it itself). */
  silent?: boolean;
}

/** The one error handler: localized message, 422 details onto form fields, the rest to the snackbar. */
export function useErrorHandler() {
  const i18n = useI18n();
  const notify = useNotifyStore();
  const translate: Translate = { t: (key) => i18n.t(key), te: (key) => i18n.te(key) };

  function handle(error: unknown, options: HandleOptions = {}): string {
    const message = errorMessage(error, translate);
    const { fields, knownFields } = options;
    let allOnFields = false;
    if (fields) clearFieldErrors(fields);
    if (fields && error instanceof ApiError && error.status === 422 && error.details.length > 0) {
      allOnFields = true;
      for (const detail of error.details) {
        if (knownFields && !knownFields.includes(detail.path)) allOnFields = false;
        (fields[detail.path] ??= []).push(detail.message);
      }
    }
    if (!options.silent && !allOnFields) notify.error(message);
    if (!(error instanceof ApiError)) console.error(error);
    return message;
  }

  return { handle, message: (error: unknown) => errorMessage(error, translate) };
}
