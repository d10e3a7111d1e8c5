import { inspectJson } from './json-guard.js';

describe('inspectJson', () => {
  it('accepts ordinary bodies', () => {
    expect(inspectJson({ a: [1, { b: 'c' }], d: null }, 5)).toBeNull();
  });

  it('refuses nesting deeper than the limit, with the path where it happened', () => {
    const error = inspectJson({ a: { b: { c: {} } } }, 3);
    expect(error).toMatchObject({ status: 422, code: 'json_too_deep' });
    expect(error?.details?.[0].path).toBe('a.b.c');
    expect(inspectJson({ a: { b: { c: 1 } } }, 3)).toBeNull();
  });

  it('walks a 100,000-level array without overflowing the stack', () => {
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(inspectJson(JSON.parse(text), 32)?.code).toBe('json_too_deep');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any depth', (key) => {
    const body = JSON.parse(`{"safe":{"list":[{"${key}":{"polluted":true}}]}}`);
    const error = inspectJson(body, 10);
    expect(error).toMatchObject({ code: 'forbidden_key', details: [{ path: `safe.list.0.${key}` }] });
  });

  it('refuses NUL characters in values and keys, which PostgreSQL cannot store', () => {
    expect(inspectJson({ a: ['ok', 'bad\u0000text'] }, 10)).toMatchObject({ code: 'invalid_character', details: [{ path: 'a.1' }] });
    expect(inspectJson(JSON.parse('{"k\\u0000ey": 1}'), 10)?.code).toBe('forbidden_key');
    expect(inspectJson({ a: 'fine \u0001 control' }, 10)).toBeNull();
  });
});
