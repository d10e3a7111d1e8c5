import { FeelExpression } from '../../core/feel/feel-expression.js';
import type { UiSchema } from '../forms/form-definition.js';

const MAX_SEARCH_TEXT = 20_000;

/** The data path of a control scope `#/properties/a/properties/b`, or null for scopes into arrays. */
export function pathOfScope(scope: string): string[] | null {
  const parts = scope.replace(/^#\//, '').split('/');
  if (!parts.every((p, i) => i % 2 === 1 || p === 'properties')) return null;
  return parts.filter((_, i) => i % 2 === 1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Every file-upload control (`options.widget: "file"`): where its file ids sit and what it accepts. */
export function fileFields(uischema: UiSchema): Array<{ path: string[]; accept?: string; maxSize?: number }> {
  const found: Array<{ path: string[]; accept?: string; maxSize?: number }> = [];
  const stack: UiSchema[] = [uischema];
  while (stack.length) {
    const element = stack.pop()!;
    if (!element || typeof element !== 'object') continue;
    const path = element.type === 'Control' && element.options?.widget === 'file' && typeof element.scope === 'string' ? pathOfScope(element.scope) : null;
    if (path) {
      const { accept, maxSize } = element.options ?? {};
      found.push({ path, ...(typeof accept === 'string' ? { accept } : {}), ...(typeof maxSize === 'number' ? { maxSize } : {}) });
    }
    stack.push(...(element.elements ?? []));
  }
  return found;
}

/** Every control of a UI schema with a FEEL calculation: `{ path, expression }` (path as data keys). */
export function calculatedFields(uischema: UiSchema): Array<{ path: string[]; expression: string }> {
  const found: Array<{ path: string[]; expression: string }> = [];
  const stack: UiSchema[] = [uischema];
  while (stack.length) {
    const element = stack.pop()!;
    if (!element || typeof element !== 'object') continue;
    const calculate = element.options?.calculate;
    const path = element.type === 'Control' && typeof element.scope === 'string' ? pathOfScope(element.scope) : null;
    if (path && typeof calculate === 'string' && calculate.startsWith('=')) found.push({ path, expression: calculate.slice(1) });
    stack.push(...(element.elements ?? []));
  }
  return found;
}

/**
 * Recomputes calculated fields on the server, so a client cannot send its own total.
 * A calculation that fails or yields nothing leaves the field empty, and validation decides.
 */
export function applyCalculations(data: Record<string, unknown>, uischema: UiSchema): Record<string, unknown> {
  const fields = calculatedFields(uischema);
  if (!fields.length) return data;
  const result = structuredClone(data);
  for (const { path, expression } of fields) {
    let value: unknown;
    try {
      value = FeelExpression.cached(expression).evaluate(result);
    } catch {
      value = undefined;
    }
    let target: Record<string, unknown> = result;
    for (const key of path.slice(0, -1)) {
      if (!target[key] || typeof target[key] !== 'object') target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value))) delete target[last];
    else target[last] = value;
  }
  return result;
}

/** The lower-cased text values of a record, for full-text search; hidden fields are left out. */
export function searchTextOf(data: Record<string, unknown>, hiddenFields: readonly string[]): string {
  const hidden = new Set(hiddenFields);
  const parts: string[] = [];
  let length = 0;
  const stack: Array<[unknown, string]> = [[data, '']];
  while (stack.length && length < MAX_SEARCH_TEXT) {
    const [value, path] = stack.pop()!;
    if (hidden.has(path)) continue;
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value).toLowerCase();
      parts.push(text);
      length += text.length + 1;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push([item, path]);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return parts.reverse().join(' ').slice(0, MAX_SEARCH_TEXT);
}

/** A copy of the data without the given dot paths. */
export function withoutFields(data: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  if (!paths.length) return data;
  const copy = structuredClone(data);
  for (const path of paths) {
    const keys = path.split('.');
    let target: unknown = copy;
    for (const key of keys.slice(0, -1)) target = target && typeof target === 'object' ? (target as Record<string, unknown>)[key] : undefined;
    if (target && typeof target === 'object') delete (target as Record<string, unknown>)[keys[keys.length - 1]];
  }
  return copy;
}

/** A copy of `data` in which the given dot paths hold the values they have in `source` (or are absent there too). */
export function withFieldsFrom(data: Record<string, unknown>, source: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  if (!paths.length) return data;
  const copy = structuredClone(data);
  for (const path of paths) {
    const keys = path.split('.');
    let from: unknown = source;
    for (const key of keys) from = from && typeof from === 'object' ? (from as Record<string, unknown>)[key] : undefined;
    let target: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
      if (!target[key] || typeof target[key] !== 'object' || Array.isArray(target[key])) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (from === undefined) delete target[last];
    else target[last] = structuredClone(from);
  }
  return copy;
}
