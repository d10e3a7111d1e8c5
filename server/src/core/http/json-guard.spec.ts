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
});
