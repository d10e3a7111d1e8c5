import { CronExpressionParser } from 'cron-parser';
import { FeelValue } from '../../../core/feel/feel-expression.js';

/** A BPMN timer: `timeDuration` (ISO 8601 duration), `timeDate` (ISO date-time) or `timeCycle` (`R3/PT1H`, `R/P1W` or cron). */
export interface TimerDefinition {
  kind: 'duration' | 'date' | 'cycle';
  value: FeelValue;
}

export interface ScheduledTimer {
  dueAt: Date;
  /** For cycles: what makes the next occurrence; null when nothing repeats. */
  repeat: TimerRepeat | null;
}

export interface TimerRepeat {
  /** Either an ISO repeating interval or a cron expression. */
  spec: string;
  /** Occurrences still to come after this one; null = unbounded. */
  remaining: number | null;
}

export class TimerSpecError extends Error {}

const DURATION = /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const REPEAT = /^R(\d*)(?:\/([^/]+))?\/(P[^/]+)$/;

/** Adds an ISO 8601 duration to a moment (calendar months and years as in a calendar, not fixed lengths). */
export function addDuration(from: Date, iso: string): Date {
  const match = DURATION.exec(iso.trim());
  if (!match || iso.trim() === 'P' || iso.trim().endsWith('T')) throw new TimerSpecError(`"${iso}" is not an ISO 8601 duration such as PT10M or P3D`);
  const [, minus, y, mo, w, d, h, mi, s] = match;
  const sign = minus ? -1 : 1;
  const at = new Date(from.getTime());
  if (y) at.setUTCFullYear(at.getUTCFullYear() + sign * Number(y));
  if (mo) at.setUTCMonth(at.getUTCMonth() + sign * Number(mo));
  const ms = ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 86_400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0)) * 1000;
  return new Date(at.getTime() + sign * ms);
}

function parseDate(value: string): Date {
  const at = new Date(value);
  if (!value || Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new TimerSpecError(`"${value}" is not an ISO 8601 date-time such as 2027-01-31T09:00:00Z`);
  }
  return at;
}

function nextCron(spec: string, after: Date): Date {
  try {
    return CronExpressionParser.parse(spec, { currentDate: after, tz: 'UTC' }).next().toDate();
  } catch (error) {
    throw new TimerSpecError(`"${spec}" is neither a repeating interval (R3/PT1H) nor a cron expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The first due moment of a timer whose value (a FEEL result or a literal) is `text`. */
export function scheduleTimer(kind: TimerDefinition['kind'], text: string, now: Date): ScheduledTimer {
  if (kind === 'duration') return { dueAt: addDuration(now, text), repeat: null };
  if (kind === 'date') return { dueAt: parseDate(text), repeat: null };
  return nextOccurrence({ spec: text.trim(), remaining: null }, now, true);
}

/** The next occurrence of a cycle; `first` reads the repetition count from the spec. */
export function nextOccurrence(repeat: TimerRepeat, now: Date, first = false): ScheduledTimer {
  const match = REPEAT.exec(repeat.spec);
  if (!match) {
    return { dueAt: nextCron(repeat.spec, now), repeat: { spec: repeat.spec, remaining: null } };
  }
  const [, count, start, period] = match;
  const total = count === '' ? null : Number(count);
  const remaining = first ? (total === null ? null : total - 1) : repeat.remaining;
  let dueAt = start && first ? parseDate(start) : addDuration(now, period);
  if (dueAt.getTime() <= now.getTime() && !(start && first)) dueAt = addDuration(now, period);
  if (total === 0) throw new TimerSpecError(`"${repeat.spec}" repeats zero times`);
  return { dueAt, repeat: remaining === null || remaining > 0 ? { spec: repeat.spec, remaining } : null };
}

/** After an occurrence fired: the one after it, or null when the cycle is done. */
export function followingOccurrence(repeat: TimerRepeat, firedAt: Date): ScheduledTimer | null {
  if (repeat.remaining !== null && repeat.remaining <= 0) return null;
  const next = nextOccurrence(repeat, firedAt);
  const remaining = repeat.remaining === null ? null : repeat.remaining - 1;
  return { dueAt: next.dueAt, repeat: remaining === null || remaining > 0 ? { spec: repeat.spec, remaining } : null };
}

/** Checks a literal timer value when the process is deployed (expressions are checked when they run). */
export function checkTimerLiteral(definition: TimerDefinition): string | null {
  if (definition.value.isExpression) return null;
  try {
    scheduleTimer(definition.kind, definition.value.raw, new Date());
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
