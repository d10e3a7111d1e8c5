import { feelSyntaxError } from './feel-syntax.js';

describe('feelSyntaxError', () => {
  it.each(['sum(items.amount)', 'budget > 10000', 'count(approvals[x = true]) / nrOfInstances >= 0.5', 'if a then "x" else "y"'])('accepts %s', (expression) => {
    expect(feelSyntaxError(expression)).toBeNull();
  });

  it.each(['sum(items.', 'a +', '(', 'budget >'])('explains why %s does not parse', (expression) => {
    expect(feelSyntaxError(expression)).toMatch(/does not parse/);
  });

  it('refuses == (feelin would read it and answer null, so the condition would never hold), but not inside text', () => {
    expect(feelSyntaxError('approved == true')).toMatch(/single "="/);
    expect(feelSyntaxError('note = "a == b"')).toBeNull();
  });
});
