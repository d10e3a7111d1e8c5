import { FeelExpression, FeelValue } from './feel-expression.js';

describe('FeelExpression', () => {
  const at = new Date('2027-03-01T09:00:00.000Z');

  it('reads now() and today() from the given moment (the engine clock), not the system time', () => {
    expect(FeelExpression.compile('string(now() + duration("P2D"))').evaluate({}, at)).toBe('2027-03-03T09:00:00Z');
    expect(FeelExpression.compile('string(today())').evaluate({}, at)).toBe('2027-03-01');
    expect(FeelValue.parse('=now() > date and time("2027-02-28T00:00:00Z")').evaluate({}, at)).toBe(true);
    // without a moment it is the system time
    const year = Number(String(FeelExpression.compile('string(today())').evaluate({})).slice(0, 4));
    expect(year).toBe(new Date().getUTCFullYear());
  });

  it('never lets a variable named now shadow the clock it was given, and memoises only pure expressions', () => {
    const volatile = FeelExpression.compile('string(today())');
    expect(volatile.evaluate({ today: 'x' }, at)).toBe('2027-03-01');
    const pure = FeelExpression.compile('amount * 2');
    expect(pure.evaluate({ amount: 2 })).toBe(4);
    expect(pure.evaluate({ amount: 3 })).toBe(6);
  });
});
