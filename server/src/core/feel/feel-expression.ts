import { evaluate, isFunction, parseDate, parseDateTime, parseExpression } from 'feelin';
import { feelSyntaxError } from './feel-syntax.js';

export type FeelContext = Record<string, unknown>;

/** Functions whose result changes between two calls with the same inputs. */
const VOLATILE_FUNCTIONS = new Set(['now', 'today', 'random number']);
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Distinct sets of present variable names compiled per expression (a process passes the same few). */
const SIGNATURES = 16;
const CACHED = 2000;

type Compiled = (...args: unknown[]) => unknown;

export class FeelError extends Error {}

/**
 * A FEEL expression parsed once (when a process version is deployed) and evaluated many times.
 *
 * feelin parses the text on every `evaluate` (some 100 µs for `sum(items.amount)`, nine tenths of the
 * time), and keeps its interpreter private. What it does hand out is a FEEL function value: the source
 * wrapped as `function(a, b) <source>` is parsed once per set of variable names the context offers, and
 * calling it runs the built interpreter tree with those values (about 2 µs). The parse of a name can
 * depend on the context's keys (FEEL names may contain spaces), so contexts with a key that is not a
 * plain identifier, at any depth, and expressions that read the clock, take feelin's own `evaluate`.
 */
export class FeelExpression {
  private static readonly cache = new Map<string, FeelExpression>();
  private readonly names: string[];
  private readonly volatile: boolean;
  private readonly compiled = new Map<string, Compiled>();

  private constructor(readonly source: string, names: Set<string>, volatile: boolean) {
    this.names = [...names];
    this.volatile = volatile;
  }

  /** Parses `source` (without the leading `=`); throws FeelError with the position when it does not parse. */
  static compile(source: string): FeelExpression {
    const problem = feelSyntaxError(source);
    if (problem) throw new FeelError(problem);
    const names = new Set<string>();
    let volatile = false;
    const tree = parseExpression(source, {}, undefined);
    tree.iterate({
      enter: (node) => {
        if (node.name === 'VariableName') {
          const text = source.slice(node.from, node.to).trim();
          names.add(text);
          if (VOLATILE_FUNCTIONS.has(text)) volatile = true;
        }
      },
    });
    return new FeelExpression(source, names, volatile);
  }

  /** `compile`, remembered per source text, for expressions that live in stored data rather than a deployed version. */
  static cached(source: string): FeelExpression {
    let expression = FeelExpression.cache.get(source);
    if (!expression) {
      expression = FeelExpression.compile(source);
      if (FeelExpression.cache.size >= CACHED) FeelExpression.cache.delete(FeelExpression.cache.keys().next().value as string);
      FeelExpression.cache.set(source, expression);
    }
    return expression;
  }

  /**
   * Evaluates against `context`; feelin answers null (never throws) for missing names or type errors.
   * `now` is the moment `now()` and `today()` read (the engine's clock), the system time when omitted.
   */
  evaluate(context: FeelContext, now?: Date): unknown {
    const input = this.inputOf(context);
    if (this.volatile || !input) return this.run(now && this.volatile ? { ...(input ?? context), ...clockFunctions(now) } : input ?? context);
    const names = Object.keys(input);
    const body = this.bodyFor(names);
    try {
      return toPlainJson(body(...names.map((name) => input[name])));
    } catch (error) {
      throw this.failure(error);
    }
  }

  private run(input: FeelContext): unknown {
    try {
      return toPlainJson(evaluate(this.source, input).value);
    } catch (error) {
      throw this.failure(error);
    }
  }

  private bodyFor(names: string[]): Compiled {
    const signature = names.join(',');
    let body = this.compiled.get(signature);
    if (!body) {
      let value: unknown;
      try {
        value = evaluate(`function(${signature}) ${this.source}`, {}).value;
      } catch (error) {
        throw this.failure(error);
      }
      if (!isFunction(value)) throw this.failure(new Error('feelin did not compile it to a function'));
      body = value.fn as Compiled;
      if (this.compiled.size >= SIGNATURES) this.compiled.delete(this.compiled.keys().next().value as string);
      this.compiled.set(signature, body);
    }
    return body;
  }

  private failure(error: unknown): FeelError {
    return new FeelError(`The expression "${this.source}" failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Only the names the expression reads, or undefined when a key at any depth is not a plain identifier. */
  private inputOf(context: FeelContext): FeelContext | undefined {
    for (const key of Object.keys(context)) {
      if (!PLAIN_NAME.test(key)) return undefined;
    }
    const input: FeelContext = {};
    for (const name of this.names) {
      if (!Object.hasOwn(context, name)) continue;
      if (!plainKeysOnly(context[name])) return undefined;
      input[name] = context[name];
    }
    return input;
  }
}

/** Whether every object key inside `value` is a plain identifier (JSON values; no recursion, no cycles expected). */
function plainKeysOnly(value: unknown): boolean {
  const stack = [value];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    if (Object.getPrototypeOf(node) !== Object.prototype) continue;
    for (const [key, item] of Object.entries(node)) {
      if (!PLAIN_NAME.test(key)) return false;
      if (item !== null && typeof item === 'object') stack.push(item);
    }
  }
  return true;
}

/** FEEL values (dates, durations, ranges) become JSON so they can be stored as process variables. */
export function toPlainJson(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (typeof value === 'object') {
    const toJson = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJson === 'function') return toJson.call(value);
    if (typeof (value as { toString?: unknown }).toString === 'function' && Object.getPrototypeOf(value) !== Object.prototype) {
      return String(value);
    }
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = toPlainJson(entry);
    return out;
  }
  return null;
}

/**
 * A property that is either a FEEL expression (`=...`) or a literal, as in Zeebe: `assignee="=initiator"`
 * or `assignee="anna"`. Parsed once; `static` is the literal value when there is no expression.
 */
export class FeelValue {
  private constructor(readonly raw: string, readonly expression: FeelExpression | null) {}

  static parse(raw: string): FeelValue {
    const trimmed = raw.trim();
    return trimmed.startsWith('=') ? new FeelValue(raw, FeelExpression.compile(trimmed.slice(1))) : new FeelValue(raw, null);
  }

  get isExpression(): boolean {
    return this.expression !== null;
  }

  evaluate(context: FeelContext, now?: Date): unknown {
    return this.expression ? this.expression.evaluate(context, now) : this.raw;
  }
}

/** `now()` and `today()` at a given moment (UTC), as FEEL values; context functions take precedence over built-ins. */
function clockFunctions(now: Date): FeelContext {
  const iso = now.toISOString();
  return { now: () => parseDateTime(iso), today: () => parseDate(iso.slice(0, 10)) };
}
