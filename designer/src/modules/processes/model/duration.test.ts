import { describe, expect, it } from 'vitest';
import { dueDateExpression, parseCycle, parseDueDate, parseIsoDuration, toCycle, toIsoDuration } from './duration';

describe('durations', () => {
  it('become ISO 8601 and back', () => {
    expect(toIsoDuration({ days: 3, hours: 0, minutes: 0 })).toBe('P3D');
    expect(toIsoDuration({ days: 1, hours: 2, minutes: 30 })).toBe('P1DT2H30M');
    expect(toIsoDuration({ days: 0, hours: 0, minutes: 0 })).toBe('');
    expect(parseIsoDuration('P1DT2H30M')).toEqual({ days: 1, hours: 2, minutes: 30 });
    expect(parseIsoDuration('P2W')).toEqual({ days: 14, hours: 0, minutes: 0 });
    expect(parseIsoDuration('P1Y')).toBeNull();
  });

  it('make due dates the engine evaluates to a date-time', () => {
    expect(dueDateExpression('P3D')).toBe('=string(now() + duration("P3D"))');
    expect(parseDueDate('=string(now() + duration("PT4H"))')).toBe('PT4H');
    expect(parseDueDate('=deadline')).toBeNull();
  });

  it('make repeating cycles', () => {
    expect(toCycle({ repetitions: 3, every: { days: 0, hours: 1, minutes: 0 } })).toBe('R3/PT1H');
    expect(toCycle({ repetitions: 0, every: { days: 7, hours: 0, minutes: 0 } })).toBe('R/P7D');
    expect(parseCycle('R3/PT1H')).toEqual({ repetitions: 3, every: { days: 0, hours: 1, minutes: 0 } });
    expect(parseCycle('0 9 * * MON')).toBeNull();
  });
});
