import { describe, expect, it } from 'vitest';
import { createFormValidator } from './validator';

const schema = {
  type: 'object',
  required: ['title'],
  properties: {
    title: { type: 'string', minLength: 3 },
    budget: { type: 'number', minimum: 5000, maximum: 20000 },
    email: { type: 'string', format: 'email' },
    lines: { type: 'array', items: { type: 'object', properties: { 'a/b': { type: 'number', multipleOf: 0.01 } } } },
  },
};

describe('form validator (Ajv stand-in without generated code)', () => {
  it('reports leaf errors in Ajv shape, with the params the messages use', () => {
    const validate = createFormValidator().compile(schema);
    expect(validate({ budget: 10, email: 'nope', lines: [{ 'a/b': 1.001 }] })).toBe(false);
    const errors = validate.errors!.map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { instancePath: '', keyword: 'required', params: { missingProperty: 'title' } },
        { instancePath: '/budget', keyword: 'minimum', params: { limit: 5000, comparison: '>=' } },
        { instancePath: '/email', keyword: 'format', params: { format: 'email' } },
        { instancePath: '/lines/0/a~1b', keyword: 'multipleOf', params: { multipleOf: 0.01 } },
      ]),
    );
    // no "property does not match" wrappers: only what the person has to fix
    expect(errors.map((e) => e.keyword)).not.toContain('properties');
    expect(errors).toHaveLength(4);
    expect(validate.errors!.find((e) => e.keyword === 'minimum')!.parentSchema).toEqual(schema.properties.budget);
  });

  it('accepts valid data and evaluates rule conditions', () => {
    const ajv = createFormValidator();
    expect(ajv.compile(schema)({ title: 'Fine', budget: 8000 })).toBe(true);
    expect(ajv.validate({ exclusiveMinimum: 10000 }, 15000)).toBe(true);
    expect(ajv.validate({ exclusiveMinimum: 10000 }, 9000)).toBe(false);
  });

  it('never builds code from the schema (works under a CSP without unsafe-eval)', () => {
    const original = globalThis.Function;
    globalThis.Function = function forbidden() {
      throw new EvalError('unsafe-eval');
    } as unknown as FunctionConstructor;
    try {
      const validate = createFormValidator().compile(schema);
      expect(validate({ title: 'ok' })).toBe(false);
      expect(validate({ title: 'okay' })).toBe(true);
    } finally {
      globalThis.Function = original;
    }
  });
});
