/** ISO 8601 durations and the timer / due-date values built from them, for pickers that never show the syntax. */

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function toIsoDuration(parts: DurationParts): string {
  const days = Math.max(0, Math.floor(parts.days || 0));
  const hours = Math.max(0, Math.floor(parts.hours || 0));
  const minutes = Math.max(0, Math.floor(parts.minutes || 0));
  if (!days && !hours && !minutes) return '';
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** The parts of a duration in weeks/days/hours/minutes(/seconds, rounded up to a minute); null for anything else. */
export function parseIsoDuration(text: string | null | undefined): DurationParts | null {
  const value = (text ?? '').trim();
  const match = ISO.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return null;
  const [, w, d, h, m, s] = match;
  return {
    days: Number(w ?? 0) * 7 + Number(d ?? 0),
    hours: Number(h ?? 0),
    minutes: Number(m ?? 0) + (Number(s ?? 0) > 0 ? Math.ceil(Number(s) / 60) : 0),
  };
}

/** A due date the engine evaluates to a date-time: `=string(now() + duration("P3D"))`. */
export function dueDateExpression(iso: string): string {
  return iso ? `=string(now() + duration("${iso}"))` : '';
}

const DUE = /^=\s*string\(\s*now\(\)\s*\+\s*duration\(\s*"([^"]+)"\s*\)\s*\)$/;

export function parseDueDate(expression: string | null | undefined): string | null {
  const match = DUE.exec((expression ?? '').trim());
  return match ? match[1] : null;
}

/** Timer event definitions: a wait (duration), a moment (date) or a repetition (cycle). */
export type TimerKind = 'duration' | 'date' | 'cycle';

export interface CycleParts {
  /** 0 = repeat without end. */
  repetitions: number;
  every: DurationParts;
}

export function toCycle(parts: CycleParts): string {
  const every = toIsoDuration(parts.every);
  if (!every) return '';
  return `R${parts.repetitions > 0 ? Math.floor(parts.repetitions) : ''}/${every}`;
}

export function parseCycle(text: string | null | undefined): CycleParts | null {
  const match = /^R(\d*)\/(P[^/]+)$/.exec((text ?? '').trim());
  if (!match) return null;
  const every = parseIsoDuration(match[2]);
  return every ? { repetitions: match[1] ? Number(match[1]) : 0, every } : null;
}

/** A `datetime-local` input value as the ISO date-time a timer needs (UTC), and back. */
export function localToIso(local: string): string {
  if (!local) return '';
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoToLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
