import { baseCompile } from '@intlify/message-compiler';

type Tree = { [key: string]: unknown };

/**
 * The keys of texts vue-i18n cannot compile. A bare `@` (a linked message) or a stray `|` passes in tests and
 * in the dev build, then breaks the page in a production build: every locale file is checked with this.
 */
export function uncompilableTexts(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    if (value && typeof value === 'object') return uncompilableTexts(value as Tree, `${path}.`);
    if (typeof value !== 'string') return [];
    let failed = false;
    baseCompile(value, { onError: () => (failed = true) });
    return failed ? [path] : [];
  });
}
