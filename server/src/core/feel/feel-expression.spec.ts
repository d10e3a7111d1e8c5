import { evaluate } from 'feelin';
import { FeelExpression, FeelValue, toPlainJson } from './feel-expression.js';

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

  it('never lets a variable named now shadow the clock it was given, and gives each call its own inputs', () => {
    const volatile = FeelExpression.compile('string(today())');
    expect(volatile.evaluate({ today: 'x' }, at)).toBe('2027-03-01');
    const pure = FeelExpression.compile('amount * 2');
    expect(pure.evaluate({ amount: 2 })).toBe(4);
    expect(pure.evaluate({ amount: 3 })).toBe(6);
  });

  it('answers what feelin answers when it evaluates the text itself, whatever the context holds', () => {
    const contexts: Array<Record<string, unknown>> = [
      {}, { amount: 1500, items: [{ amount: 2 }, { amount: 3 }], approvals: [{ x: true }, { x: false }], nrOfInstances: 2, name: 'Anna' },
      { amount: null, items: [], approvals: [], nrOfInstances: 0 }, { amount: '12', items: 'x', sum: 4 },
      { 'first name': 'Anna', amount: 7 }, { items: [{ 'unit price': 2, amount: 1 }] }, { order: { total: 10, lines: [{ qty: 2 }] } },
    ];
    const sources = [
      'amount > 1000', 'sum(items.amount)', 'count(approvals[x=true]) / nrOfInstances >= 0.5', 'if amount > 5 then "big" else "small"',
      'name + " " + string(amount)', 'items[amount > 2].amount', 'order.total * 2', 'for l in order.lines return l.qty', '{ a: amount, b: [1, 2] }',
      'missing = null', 'amount', 'sum(items.amount) + amount', 'first name',
    ];
    for (const source of sources) {
      const expression = FeelExpression.compile(source);
      for (const context of contexts) {
        expect({ source, context, value: expression.evaluate(context) }).toEqual({ source, context, value: toPlainJson(evaluate(source, context).value) });
      }
    }
  });

  it('hands out results the next call cannot change, and keeps one compiled body per expression text', () => {
    const expression = FeelExpression.cached('items');
    const first = expression.evaluate({ items: [1, 2] }) as number[];
    first.push(3);
    expect(expression.evaluate({ items: [1, 2] })).toEqual([1, 2]);
    expect(FeelExpression.cached('items')).toBe(expression);
  });
});
