import type { ErrorObject } from 'ajv';

/** A validation error the server answered with (`data.budget`, `data.items[0].amount`, or a bare field path). */
export interface FieldError {
  path: string;
  message: string;
}

/** `data.items[0].amount` → `/items/0/amount` (the JSON pointer JSON Forms puts errors on). */
export function toInstancePath(path: string): string {
  const bare = path.replace(/^data(\.|$)/, '');
  const parts = bare.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  return parts.length ? `/${parts.join('/')}` : '';
}

/** Server errors as extra ajv errors, so they appear under their fields like the browser's own. */
export function toAdditionalErrors(errors: readonly FieldError[]): ErrorObject[] {
  return errors.map((error) => ({
    instancePath: toInstancePath(error.path),
    schemaPath: '#/server',
    keyword: 'server',
    params: {},
    message: error.message,
  }));
}
