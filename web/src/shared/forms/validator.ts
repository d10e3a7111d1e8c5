// JSON Forms validates with an Ajv instance, and Ajv compiles every schema to JavaScript with `new Function`,
// which the server's Content Security Policy (script-src 'self', no 'unsafe-eval') rightly forbids. This
// gives JSON Forms the two Ajv calls it makes (compile, validate) on top of @cfworker/json-schema, a
// maintained draft-07 validator that interprets schemas instead of generating code, with errors in Ajv's
// shape so that JSON Forms places them on their fields and our translations read their params.
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** Keywords that only say "something inside did not match"; the inner errors say what. */
const WRAPPER_KEYWORDS = new Set([
  'properties', 'items', 'additionalItems', 'allOf', '$ref', 'if', 'then', 'else', 'patternProperties', 'dependencies',
  'dependentSchemas', 'prefixItems', 'unevaluatedItems', 'unevaluatedProperties', 'propertyNames',
]);

const LIMIT_KEYWORDS: Record<string, string> = {
  minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<',
  minLength: '', maxLength: '', minItems: '', maxItems: '', minProperties: '', maxProperties: '',
};

function pointerSegments(location: string): string[] {
  return location
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      let text = s;
      try {
        text = decodeURIComponent(s);
      } catch {
        // not percent-encoded
      }
      return text.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function resolve(root: unknown, segments: string[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function encodeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The last quoted name in a message such as `Instance does not have required property "title".` */
function quotedName(message: string): string | undefined {
  const match = /"((?:[^"\\]|\\.)*)"[^"]*$/.exec(message);
  return match?.[1];
}

function toAjvError(unit: OutputUnit, root: unknown): ErrorObject {
  const keywordPath = pointerSegments(unit.keywordLocation);
  const parentSchema = resolve(root, keywordPath.slice(0, -1)) as Record<string, unknown> | undefined;
  const value = parentSchema?.[unit.keyword];
  const params: Record<string, unknown> = {};
  if (unit.keyword in LIMIT_KEYWORDS) {
    params.limit = value;
    if (LIMIT_KEYWORDS[unit.keyword]) params.comparison = LIMIT_KEYWORDS[unit.keyword];
  } else if (unit.keyword === 'multipleOf') params.multipleOf = value;
  else if (unit.keyword === 'pattern') params.pattern = value;
  else if (unit.keyword === 'format') params.format = value;
  else if (unit.keyword === 'type') params.type = Array.isArray(value) ? value.join(',') : value;
  else if (unit.keyword === 'enum') params.allowedValues = value;
  else if (unit.keyword === 'const') params.allowedValue = value;
  else if (unit.keyword === 'required') params.missingProperty = quotedName(unit.error);
  else if (unit.keyword === 'additionalProperties') params.additionalProperty = quotedName(unit.error);
  const instancePath = pointerSegments(unit.instanceLocation).map((s) => `/${encodeSegment(s)}`).join('');
  return {
    instancePath,
    schemaPath: unit.keywordLocation,
    keyword: unit.keyword,
    params,
    message: unit.error,
    schema: value,
    parentSchema: parentSchema as ErrorObject['parentSchema'],
  };
}

function compile(schema: unknown): ValidateFunction {
  const validator = new Validator(schema as Schema, '7', false);
  const validate = ((data: unknown) => {
    const result = validator.validate(data);
    validate.errors = result.valid
      ? null
      : result.errors.filter((unit) => !WRAPPER_KEYWORDS.has(unit.keyword)).map((unit) => toAjvError(unit, schema));
    return result.valid;
  }) as ValidateFunction;
  validate.errors = null;
  validate.schema = schema as ValidateFunction['schema'];
  return validate;
}

/** An Ajv stand-in for JSON Forms that never evaluates generated code. One per form. */
export function createFormValidator(): Ajv {
  const compiled = new WeakMap<object, ValidateFunction>();
  const cached = (schema: unknown): ValidateFunction => {
    if (typeof schema !== 'object' || schema === null) return compile(schema);
    let validate = compiled.get(schema);
    if (!validate) {
      validate = compile(schema);
      compiled.set(schema, validate);
    }
    return validate;
  };
  const facade = {
    errors: null as ErrorObject[] | null,
    compile: (schema: unknown) => cached(schema),
    validate(schema: unknown, data: unknown): boolean {
      const validate = cached(schema);
      const valid = validate(data) as boolean;
      facade.errors = validate.errors ?? null;
      return valid;
    },
  };
  return facade as unknown as Ajv;
}
