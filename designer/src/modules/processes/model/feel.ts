/** FEEL text helpers shared by the builders: literals, the `=` prefix, and splitting at top level. */

/** A FEEL string literal: `"it's \"quoted\""`. */
export function feelString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The value of a FEEL string literal written by {@link feelString}, or null when `text` is not one. */
export function parseFeelString(text: string): string | null {
  const match = /^"((?:[^"\\]|\\.)*)"$/.exec(text.trim());
  if (!match) return null;
  return match[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** `=expr` for an expression with or without the prefix; '' stays ''. */
export function withEquals(expression: string): string {
  const trimmed = expression.trim();
  if (!trimmed) return '';
  return trimmed.startsWith('=') ? trimmed : `=${trimmed}`;
}

/** The expression without its `=` prefix, or null when the value is a static (non-FEEL) value. */
export function expressionOf(value: string | undefined | null): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.startsWith('=') ? trimmed.slice(1).trim() : null;
}

/** A FEEL list of string literals: `["a", "b"]`. */
export function feelStringList(values: readonly string[]): string {
  return `[${values.map(feelString).join(', ')}]`;
}

/** The strings of a FEEL list of string literals, or null when it is anything else. */
export function parseFeelStringList(text: string): string[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return null;
  const inner = trimmed.slice(1, -1).trim();
  if (!inner) return [];
  const parts = splitTopLevel(inner, ',');
  const values: string[] = [];
  for (const part of parts) {
    const value = parseFeelString(part);
    if (value === null) return null;
    values.push(value);
  }
  return values;
}

/**
 * Splits `text` at `separator` where it stands outside string literals, parentheses and brackets.
 * With a word separator (`and`, `or`) it must stand between spaces.
 */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  const word = /^[a-z]+$/.test(separator);
  const token = word ? ` ${separator} ` : separator;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') depth -= 1;
    else if (depth === 0 && text.startsWith(token, i)) {
      parts.push(text.slice(start, i).trim());
      i += token.length - 1;
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** Variable or field paths the builders accept: `budget`, `address.city`. */
export const FEEL_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
