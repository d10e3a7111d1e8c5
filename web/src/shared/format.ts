/** A date-time in the UI language, or an em dash when there is none. */
export function formatDateTime(value: string | Date | null | undefined, locale: string): string {
  if (!value) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];

/** "5 minutes ago" / "5 分钟前"; "just now" under a minute; a date after a week. */
export function formatRelative(value: string | Date, locale: string, now = Date.now()): string {
  const date = value instanceof Date ? value : new Date(value);
  const elapsed = now - date.getTime();
  if (Number.isNaN(elapsed)) return '—';
  if (elapsed > 7 * 86_400_000) return formatDateTime(date, locale);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) if (Math.abs(elapsed) >= ms) return format.format(-Math.round(elapsed / ms), unit);
  return format.format(0, 'second');
}
