import { evaluate, unaryTest } from 'feelin';

/** A FEEL expression as admins write it (`=sum(items.amount)`), without the leading `=`. */
function expressionOf(source: string): string {
  return source.trim().replace(/^=/, '').trim();
}

/** Evaluates a calculated field's FEEL expression against the form data; null when it cannot be computed. */
export function calculate(source: string, data: unknown): number | string | boolean | null {
  const context = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  try {
    const { value } = evaluate(expressionOf(source), context);
    if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1e10) / 1e10 : null;
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    return null;
  } catch {
    // a syntax error in the expression: show nothing rather than break the form
    return null;
  }
}

/** FEEL unary test (`> 10000`, `"a","b"`) of one value; false when it cannot be decided. */
export function matches(test: string, value: unknown, data: unknown = {}): boolean {
  const context = typeof data === 'object' && data !== null ? { ...(data as Record<string, unknown>), '?': value } : { '?': value };
  try {
    return unaryTest(test, context).value === true;
  } catch {
    return false;
  }
}
