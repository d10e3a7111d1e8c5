import { scopeToPath } from './translate';

/**
 * The Opsflow widget of each control outside sub-tables (`options.widget`: `file`, `richtext`, `signature`...),
 * by data path (`notes`, `address.city`), so that lists can show those values as they are meant.
 */
export function controlWidgets(uischema: unknown): Map<string, string> {
  const widgets = new Map<string, string>();
  const visit = (element: unknown) => {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) return;
    const { scope, options, elements } = element as { scope?: unknown; options?: { widget?: unknown }; elements?: unknown };
    if (typeof scope === 'string' && typeof options?.widget === 'string' && !scope.includes('/items/')) widgets.set(scopeToPath(scope), options.widget);
    if (Array.isArray(elements)) elements.forEach(visit);
  };
  visit(uischema);
  return widgets;
}
