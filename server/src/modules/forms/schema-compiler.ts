import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../../core/errors/app-error.js';
import type { JsonSchema } from './form-definition.js';

// CommonJS packages seen from ESM: the classes sit on `default`.
const Ajv = AjvModule.default ?? AjvModule;
const addFormats = addFormatsModule.default ?? addFormatsModule;

export type Ajv = InstanceType<typeof Ajv>;

/** One ajv set-up for forms: draft-07, strict about schema keywords, every error reported, standard formats. */
export function createAjv(options: { coerceTypes?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, coerceTypes: options.coerceTypes ?? false, messages: true });
  addFormats(ajv);
  return ajv;
}

/**
 * The schema records are validated against: every object that lists properties refuses others
 * (unless the admin chose otherwise), so a submission cannot smuggle in fields the form does not have.
 */
export function closedSchema(schema: JsonSchema): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) copy[key] = key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? value : visit(value);
    if (copy.properties && typeof copy.properties === 'object' && copy.additionalProperties === undefined) copy.additionalProperties = false;
    return copy;
  };
  return visit(schema) as JsonSchema;
}

/** ajv's errors as `{ path, message }` with dotted paths under `prefix` (`data.items.0.amount`). */
export function toDetails(errors: ErrorObject[] | null | undefined, prefix: string): ErrorDetail[] {
  return (errors ?? []).map((error) => {
    const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (error.keyword === 'required') segments.push(String((error.params as { missingProperty: string }).missingProperty));
    if (error.keyword === 'additionalProperties') segments.push(String((error.params as { additionalProperty: string }).additionalProperty));
    return { path: [prefix, ...segments].filter(Boolean).join('.'), message: error.keyword === 'additionalProperties' ? 'is not a field of this form' : error.message ?? 'is not valid' };
  });
}

/** Compiled validators per published form version; a version never changes, so entries never go stale. */
export class ValidatorCache {
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly ajv: Ajv, private readonly max = 500) {}

  get(key: string, schema: JsonSchema): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(closedSchema(schema));
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, validate);
    }
    return validate;
  }
}
