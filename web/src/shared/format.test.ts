import { describe, expect, it } from 'vitest';
import { formatRelative } from './format';

describe('formatRelative', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('says how long ago, in the UI language', () => {
    expect(formatRelative('2026-03-10T11:55:00Z', 'en', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-03-10T09:00:00Z', 'zh-CN', now)).toBe('3小时前');
    expect(formatRelative('2026-03-09T12:00:00Z', 'en', now)).toBe('yesterday');
    expect(formatRelative('2026-03-10T11:59:50Z', 'en', now)).toBe('now');
  });

  it('gives the date for what is older than a week, and a dash for nonsense', () => {
    expect(formatRelative('2026-02-01T12:00:00Z', 'en', now)).toMatch(/Feb 1, 2026/);
    expect(formatRelative('not a date', 'en', now)).toBe('—');
  });
});
