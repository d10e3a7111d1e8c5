import safeRegex from 'safe-regex2';
import type { ErrorDetail } from '../../core/errors/app-error.js';
import { feelSyntaxError } from '../../core/feel/feel-syntax.js';
import { ROLES } from '../../core/tenancy/request-context.js';
import type { FormSettings, JsonSchema, UiSchema } from './form-definition.js';
import { closedSchema, createAjv } from './schema-compiler.js';

const MAX_PROPERTIES = 300;
const MAX_UI_DEPTH = 12;
const UI_TYPES = new Set(['VerticalLayout', 'HorizontalLayout', 'Group', 'Categorization', 'Category', 'Control', 'Label']);
const ajv = createAjv();

/**
 * Checks a form definition before it is saved: the JSON Schema compiles, every pattern is safe from
 * catastrophic backtracking, every UI-schema scope points at a property, FEEL parses, settings make sense.
 * Returns every problem with its path; an empty list means the definition can be saved.
 */
export function validateFormDefinition(schema: JsonSchema, uischema: UiSchema, settings: FormSettings): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (schema.type !== 'object') problems.push({ path: 'schema.type', message: 'A form schema must be of type "object"' });
  let count = 0;
  walkSchema(schema, 'schema', (node, path) => {
    if (node.properties) count += Object.keys(node.properties).length;
    if (typeof node.pattern === 'string') {
      const problem = patternProblem(node.pattern);
      if (problem) problems.push({ path: `${path}.pattern`, message: problem });
    }
  });
  if (count > MAX_PROPERTIES) problems.push({ path: 'schema', message: `A form can have at most ${MAX_PROPERTIES} fields` });
  if (!problems.length) {
    try {
      ajv.compile(closedSchema(schema));
    } catch (error) {
      problems.push({ path: 'schema', message: `The schema is not valid JSON Schema: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  problems.push(...validateUiSchema(uischema, schema));
  problems.push(...validateSettings(settings, schema));
  return problems;
}

function patternProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
  } catch {
    return 'This pattern is not a valid regular expression';
  }
  return safeRegex(pattern) ? null : 'This pattern could take exponential time on some inputs (catastrophic backtracking); simplify nested repetition like (a+)+';
}

function walkSchema(node: JsonSchema, path: string, visit: (node: JsonSchema, path: string) => void): void {
  const stack: Array<[JsonSchema, string]> = [[node, path]];
  while (stack.length) {
    const [current, at] = stack.pop()!;
    if (!current || typeof current !== 'object') continue;
    visit(current, at);
    for (const [name, child] of Object.entries(current.properties ?? {})) stack.push([child, `${at}.properties.${name}`]);
    if (current.items && !Array.isArray(current.items)) stack.push([current.items, `${at}.items`]);
  }
}

/** The UI-schema scope of a dotted field path: `address.city` → `#/properties/address/properties/city`. */
export function scopeOf(path: string): string {
  return `#/${path.split('.').map((name) => `properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('/')}`;
}

/** Resolves `#/properties/a/properties/b` (and `/items/` steps) against the schema. */
export function resolveScope(schema: JsonSchema, scope: string): JsonSchema | undefined {
  if (scope === '#') return schema;
  if (!scope.startsWith('#/')) return undefined;
  let node: JsonSchema | undefined = schema;
  const parts = scope.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let i = 0; i < parts.length && node; i++) {
    const part = parts[i];
    if (part === 'properties') {
      const name = parts[++i];
      node = name !== undefined && node.properties && Object.hasOwn(node.properties, name) ? node.properties[name] : undefined;
    } else if (part === 'items' && node.items && !Array.isArray(node.items)) {
      node = node.items;
    } else {
      return undefined;
    }
  }
  return node;
}

function validateUiSchema(uischema: UiSchema, schema: JsonSchema): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const visit = (element: UiSchema, path: string, depth: number, base: JsonSchema) => {
    if (!element || typeof element !== 'object') {
      problems.push({ path, message: 'A UI schema element must be an object' });
      return;
    }
    if (depth > MAX_UI_DEPTH) {
      problems.push({ path, message: `Layouts can be nested at most ${MAX_UI_DEPTH} deep` });
      return;
    }
    if (!UI_TYPES.has(element.type)) problems.push({ path: `${path}.type`, message: `Unknown UI element type "${String(element.type)}"` });
    let scoped: JsonSchema | undefined;
    if (element.type === 'Control') {
      if (typeof element.scope !== 'string' || !(scoped = resolveScope(base, element.scope))) {
        problems.push({ path: `${path}.scope`, message: `"${String(element.scope)}" does not point at a field of this form` });
      }
    }
    const condition = (element.rule as { condition?: { scope?: unknown } } | undefined)?.condition;
    if (condition && (typeof condition.scope !== 'string' || !resolveScope(schema, condition.scope))) {
      problems.push({ path: `${path}.rule.condition.scope`, message: `The rule's field "${String(condition?.scope)}" does not exist in this form` });
    }
    const calculate = element.options?.calculate;
    if (calculate !== undefined) {
      if (typeof calculate !== 'string' || !calculate.startsWith('=')) {
        problems.push({ path: `${path}.options.calculate`, message: 'A calculation is a FEEL expression starting with "="' });
      } else {
        const problem = feelSyntaxError(calculate.slice(1));
        if (problem) problems.push({ path: `${path}.options.calculate`, message: problem });
      }
    }
    (element.elements ?? []).forEach((child, i) => visit(child, `${path}.elements.${i}`, depth + 1, base));
    // A sub-table's detail layout is scoped to one row of the array.
    const detail = element.options?.detail as UiSchema | undefined;
    const rowSchema = scoped && scoped.items && !Array.isArray(scoped.items) ? scoped.items : undefined;
    if (detail && typeof detail === 'object' && rowSchema) visit(detail, `${path}.options.detail`, depth + 1, rowSchema);
  };
  visit(uischema, 'uischema', 0, schema);
  return problems;
}

function validateSettings(settings: FormSettings, schema: JsonSchema): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const submit = settings?.access?.submit;
  if (!(submit === 'public' || submit === 'members' || (Array.isArray(submit) && submit.length > 0 && submit.every((r) => ROLES.includes(r))))) {
    problems.push({ path: 'settings.access.submit', message: 'must be "public", "members" or a list of roles' });
  }
  const viewAll = settings?.access?.viewAll;
  if (!Array.isArray(viewAll) || !viewAll.every((r) => ROLES.includes(r))) problems.push({ path: 'settings.access.viewAll', message: 'must be a list of roles' });
  if (typeof settings?.anonymous !== 'boolean') problems.push({ path: 'settings.anonymous', message: 'must be true or false' });
  if (!Array.isArray(settings?.hiddenFields) || !settings.hiddenFields.every((f) => typeof f === 'string')) {
    problems.push({ path: 'settings.hiddenFields', message: 'must be a list of field paths' });
  } else {
    settings.hiddenFields.forEach((field, i) => {
      if (!resolveScope(schema, scopeOf(field))) problems.push({ path: `settings.hiddenFields.${i}`, message: `"${field}" is not a field of this form` });
    });
  }
  return problems;
}
