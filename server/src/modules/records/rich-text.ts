import sanitizeHtml from 'sanitize-html';
import type { UiSchema } from '../forms/form-definition.js';
import { pathOfScope } from './record-data.js';

/** Marks "every item of the array here" in a rich-text path (a sub-table column). */
const EACH = Symbol('each item');
type Step = string | typeof EACH;

/**
 * What the rich-text editor produces and nothing else: text formatting, headings, lists, quotes, code and links
 * to web or mail addresses. No images, styles, classes, event handlers or other URL schemes.
 */
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'h1', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'hr', 'a'],
  allowedAttributes: { a: ['href', 'target', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // A link opens apart from the app and tells the target nothing about where it came from.
  transformTags: { a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }) },
};

/** The HTML of a rich-text value reduced to the allow-list (idempotent: a clean value comes back unchanged). */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, ALLOWED);
}

/** Where rich-text controls (`options.widget: "richtext"`) keep their HTML, sub-table columns included. */
export function richTextPaths(uischema: UiSchema, prefix: Step[] = []): Step[][] {
  const found: Step[][] = [];
  const stack: UiSchema[] = [uischema];
  while (stack.length) {
    const element = stack.pop()!;
    if (!element || typeof element !== 'object') continue;
    const path = element.type === 'Control' && typeof element.scope === 'string' ? pathOfScope(element.scope) : null;
    if (path && element.options?.widget === 'richtext') found.push([...prefix, ...path]);
    const detail = element.options?.detail;
    if (path && detail && typeof detail === 'object' && !Array.isArray(detail)) found.push(...richTextPaths(detail as UiSchema, [...prefix, ...path, EACH]));
    stack.push(...(element.elements ?? []));
  }
  return found;
}

const BLOCK_END = /<\/(?:p|li|h[1-6]|blockquote|pre)>|<br\s*\/?>/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };

/** The words of rich text without markup (blocks separated by a space), for full-text search. */
export function richTextToText(html: string): string {
  const text = sanitizeHtml(html.replace(BLOCK_END, '$& '), { allowedTags: [], allowedAttributes: {} });
  return text.replace(/&(?:amp|lt|gt|quot);/g, (entity) => ENTITIES[entity]!).replace(/\s+/g, ' ').trim();
}

/** A copy of a record's data whose rich-text values are sanitised; values that are not strings are left to validation. */
export function withSanitizedRichText(data: Record<string, unknown>, uischema: UiSchema): Record<string, unknown> {
  return mapRichText(data, uischema, sanitizeRichText);
}

/** A copy of a record's data with its rich text as plain text (what search should find). */
export function withRichTextAsText(data: Record<string, unknown>, uischema: UiSchema): Record<string, unknown> {
  return mapRichText(data, uischema, richTextToText);
}

function mapRichText(data: Record<string, unknown>, uischema: UiSchema, map: (html: string) => string): Record<string, unknown> {
  const paths = richTextPaths(uischema);
  if (!paths.length) return data;
  const copy = structuredClone(data);
  for (const path of paths) mapAt(copy, path, map);
  return copy;
}

function mapAt(container: unknown, path: Step[], map: (html: string) => string): void {
  if (!container || typeof container !== 'object') return;
  const [step, ...rest] = path;
  if (step === EACH) {
    if (Array.isArray(container)) for (const item of container) mapAt(item, rest, map);
    return;
  }
  if (Array.isArray(container) || step === undefined || !Object.hasOwn(container, step)) return;
  const target = container as Record<string, unknown>;
  if (rest.length) mapAt(target[step], rest, map);
  else if (typeof target[step] === 'string') target[step] = map(target[step]);
}
