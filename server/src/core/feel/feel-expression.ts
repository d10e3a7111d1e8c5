import { evaluate, parseDate, parseDateTime, parseExpression } from 'feelin';
import { feelSyntaxError } from './feel-syntax.js';

export type FeelContext = Record<string, unknown>;

/** Functions whose result changes between two calls with the same inputs: their results are never memoised. */
const VOLATILE_FUNCTIONS = new Set(['now', 'today', 'random number']);
const MEMO_SIZE = 64;
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class FeelError extends Error {}

/**
 * A FEEL expression parsed once (when a process version is deployed) and evaluated many times.
 *
 * feelin keeps its interpreter private, so what is cached is what the parse tells: the syntax is
 * known to be good, the top-level variable names it reads (so each evaluation hands feelin only
 * those, instead of deep-copying every process variable), and a small memo of results per input
 * when the expression calls nothing volatile such as now().
 */
export class FeelExpression {
  private readonly names: string[];
  private readonly memoisable: boolean;
  private readonly memo = new Map<string, unknown>();

  private constructor(readonly source: string, names: Set<string>, volatile: boolean) {
    this.names = [...names];
    this.memoisable = !volatile;
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

  /**
   * Evaluates against `context`; feelin answers null (never throws) for missing names or type errors.
   * `now` is the moment `now()` and `today()` read (the engine's clock), the system time when omitted.
   */
  evaluate(context: FeelContext, now?: Date): unknown {
    const input = this.inputOf(context);
    if (!this.memoisable) return this.run(now ? { ...input, ...clockFunctions(now) } : input);
    const key = JSON.stringify(input);
    if (this.memo.has(key)) return copyOf(this.memo.get(key));
    const plain = this.run(input);
    if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(key, plain);
    return copyOf(plain);
  }

  private run(input: FeelContext): unknown {
    try {
      return toPlainJson(evaluate(this.source, input).value);
    } catch (error) {
      throw new FeelError(`The expression "${this.source}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Only the names the expression reads; the whole context when a variable name needs FEEL's context-sensitive parsing. */
  private inputOf(context: FeelContext): FeelContext {
    const input: FeelContext = {};
    for (const key of Object.keys(context)) {
      if (!PLAIN_NAME.test(key)) return context;
    }
    for (const name of this.names) {
      if (Object.hasOwn(context, name)) input[name] = context[name];
    }
    return input;
  }
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

/** Memoised lists and contexts are handed out as copies, so a caller changing one cannot change the memo. */
function copyOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
