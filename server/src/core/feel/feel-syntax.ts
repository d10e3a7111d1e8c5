import { parseExpression } from 'feelin';

/**
 * Why a FEEL expression does not parse, or null when it does. feelin's parser recovers from errors
 * instead of throwing, so the tree is searched for error nodes.
 */
export function feelSyntaxError(expression: string): string | null {
  // feelin reads `a == b` without complaint and answers null, so such a condition would never hold.
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const doubled = withoutStrings.indexOf('==');
  if (doubled >= 0) return `FEEL compares with a single "=" (write a = b, not a == b), near position ${doubled + 1}`;
  try {
    const tree = parseExpression(expression, {}, undefined);
    let at = -1;
    tree.iterate({
      enter: (node) => {
        if (at < 0 && node.type.isError) at = node.from;
      },
    });
    return at < 0 ? null : `The FEEL expression does not parse near position ${at + 1}`;
  } catch (error) {
    return `The FEEL expression does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
}
