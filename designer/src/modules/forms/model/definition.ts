import { isField } from './palette';
import { fromJsonFormsRule, toJsonFormsRule } from './rules';
import { dataFields } from './tree';
import {
  emptyText, LANGS, type ChoiceOption, type FieldKind, type FormElement, type I18nText, type JsonSchema, type Lang,
  type UiSchema,
} from './types';

/** The saved form: a JSON Schema (draft-07 object) and a JSON Forms UI schema. */
export interface FormDefinition {
  schema: JsonSchema;
  uischema: UiSchema;
}

type Dictionary = Record<Lang, Record<string, string>>;

export const PHONE_PATTERN = '^\\+?[0-9 ()-]{6,20}$';
const RICHTEXT_MAX = 20000;
const SIGNATURE_MAX = 200000;
const BYTES_PER_MB = 1024 * 1024;
const WIDGETS: Partial<Record<FieldKind, string>> = {
  money: 'money', phone: 'phone', rating: 'rating', user: 'user', department: 'department', richtext: 'richtext',
  signature: 'signature', file: 'file',
};

const firstText = (text: I18nText) => text.en || text['zh-CN'];
const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;

function fieldSchema(field: FormElement): JsonSchema {
  const common = defined({ title: firstText(field.label), description: firstText(field.help) });
  const range = defined({ minimum: field.minimum, maximum: field.maximum });
  const length = defined({ minLength: field.minLength, maxLength: field.maxLength });
  const values = (field.options ?? []).map((o) => o.value);
  let schema: JsonSchema;
  switch (field.kind as FieldKind) {
    case 'text': schema = { type: 'string', ...length, ...defined({ pattern: field.pattern }) }; break;
    case 'textarea': schema = { type: 'string', ...length }; break;
    case 'number': schema = { type: 'number', ...range }; break;
    case 'integer': schema = { type: 'integer', ...range }; break;
    case 'money': schema = { type: 'number', multipleOf: 0.01, ...range }; break;
    case 'date': schema = { type: 'string', format: 'date' }; break;
    case 'datetime': schema = { type: 'string', format: 'date-time' }; break;
    case 'select': case 'radio': schema = { type: 'string', enum: values }; break;
    case 'multiselect': schema = { type: 'array', items: { type: 'string', enum: values }, uniqueItems: true }; break;
    case 'checkbox': schema = { type: 'boolean' }; break;
    case 'email': schema = { type: 'string', format: 'email' }; break;
    case 'phone': schema = { type: 'string', pattern: PHONE_PATTERN }; break;
    case 'url': schema = { type: 'string', format: 'uri' }; break;
    case 'rating': schema = { type: 'integer', minimum: 1, maximum: 5 }; break;
    case 'user': case 'department': schema = { type: 'string', format: 'uuid' }; break;
    case 'richtext': schema = { type: 'string', maxLength: RICHTEXT_MAX }; break;
    case 'signature': schema = { type: 'string', maxLength: SIGNATURE_MAX }; break;
    // the ids of uploaded files; the server attaches them to the record and checks type and size
    case 'file':
      schema = {
        type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true,
        ...(field.multiple ? defined({ maxItems: field.maxItems }) : { maxItems: 1 }),
      };
      break;
    case 'table': {
      const columns = field.children ?? [];
      const required = columns.filter((c) => c.required).map((c) => c.key);
      schema = {
        type: 'array',
        items: {
          type: 'object',
          properties: Object.fromEntries(columns.map((c) => [c.key, fieldSchema(c)])),
          ...(required.length ? { required } : {}),
        },
        ...defined({ minItems: field.minItems, maxItems: field.maxItems }),
      };
      break;
    }
    case 'calculated': schema = { type: 'number', readOnly: true }; break;
  }
  if (field.default !== undefined && field.kind !== 'table' && field.kind !== 'calculated') schema.default = field.default;
  return { ...schema, ...common };
}

function putText(dict: Dictionary, key: string, text: I18nText): void {
  for (const lang of LANGS) if (text[lang]) dict[lang][key] = text[lang];
}

function controlFor(field: FormElement, path: string, dict: Dictionary, kinds: Map<string, FieldKind>): UiSchema {
  putText(dict, `${path}.label`, field.label);
  putText(dict, `${path}.description`, field.help);
  putText(dict, `${path}.placeholder`, field.placeholder);
  const options: Record<string, unknown> = {};
  const widget = WIDGETS[field.kind as FieldKind];
  if (widget) options.widget = widget;
  if (field.kind === 'money') options.currency = 'CNY';
  if (field.kind === 'textarea') options.multi = true;
  if (field.kind === 'radio') options.format = 'radio';
  if (field.kind === 'file') {
    if (field.accept?.trim()) options.accept = field.accept.trim();
    if (field.maxSizeMb) options.maxSize = Math.round(field.maxSizeMb * BYTES_PER_MB);
  }
  if (field.kind === 'calculated') options.calculate = field.expression ?? '';
  else if (field.readOnly) options.readonly = true;
  const placeholder = firstText(field.placeholder);
  if (placeholder) options.placeholder = placeholder;
  if (field.options) {
    const labels: Dictionary = { en: {}, 'zh-CN': {} };
    for (const option of field.options) {
      for (const lang of LANGS) if (option.label[lang]) labels[lang][option.value] = option.label[lang];
      putText(dict, `${path}.${option.value}`, option.label);
    }
    options.labels = labels;
  }
  if (field.kind === 'table') {
    options.detail = {
      type: 'VerticalLayout',
      elements: (field.children ?? []).map((c) => controlFor(c, `${path}.${c.key}`, dict, kinds)),
    };
  }
  const control: UiSchema = { type: 'Control', scope: `#/properties/${field.key}` };
  if (Object.keys(options).length) control.options = options;
  const rule = ruleFor(field, kinds);
  if (rule) control.rule = rule;
  return control;
}

function ruleFor(element: FormElement, kinds: Map<string, FieldKind>): Record<string, unknown> | undefined {
  if (element.rule) {
    // A rule on a field that no longer exists would be refused by the server (unknown_scope): drop it.
    if (!kinds.has(element.rule.field) || element.rule.field === element.key) return undefined;
    return toJsonFormsRule(element.rule, kinds.get(element.rule.field));
  }
  return element.rawRule;
}

function layoutFor(layout: FormElement, dict: Dictionary, kinds: Map<string, FieldKind>): UiSchema {
  putText(dict, `${layout.id}.label`, layout.label);
  const elements = (layout.children ?? []).map((c) => uiFor(c, dict, kinds));
  const label = firstText(layout.label);
  let ui: UiSchema;
  switch (layout.kind) {
    case 'group': ui = { type: 'Group', label, i18n: layout.id, elements }; break;
    case 'columns': ui = { type: 'HorizontalLayout', i18n: layout.id, elements, ...(label ? { label } : {}) }; break;
    case 'steps':
      ui = {
        type: 'Categorization', i18n: layout.id, elements, options: { variant: 'stepper', showNavButtons: true },
        ...(label ? { label } : {}),
      };
      break;
    default: ui = { type: 'Category', label, i18n: layout.id, elements }; break;
  }
  const rule = ruleFor(layout, kinds);
  if (rule) ui.rule = rule;
  return ui;
}

function uiFor(element: FormElement, dict: Dictionary, kinds: Map<string, FieldKind>): UiSchema {
  return isField(element.kind) ? controlFor(element, element.key, dict, kinds) : layoutFor(element, dict, kinds);
}

/** Derives the JSON Schema and the UI schema (labels in both languages in `options.i18n`) from the editor tree. */
export function toDefinition(elements: FormElement[]): FormDefinition {
  const fields = dataFields(elements);
  const kinds = new Map(fields.map((f) => [f.key, f.kind as FieldKind]));
  const required = fields.filter((f) => f.required && f.kind !== 'calculated').map((f) => f.key);
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)])),
    ...(required.length ? { required } : {}),
  };
  const dict: Dictionary = { en: {}, 'zh-CN': {} };
  const uiElements = elements.map((e) => uiFor(e, dict, kinds));
  return { schema, uischema: { type: 'VerticalLayout', elements: uiElements, options: { i18n: dict } } };
}

// ---------------------------------------------------------------------------------------------
// Back: a saved schema + UI schema into the editor tree, so a saved form reopens as it was built.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

function readDictionary(uischema: UiSchema | undefined): Dictionary {
  const raw = isRecord(uischema?.options) ? uischema.options.i18n : undefined;
  const dict: Dictionary = { en: {}, 'zh-CN': {} };
  if (isRecord(raw)) {
    for (const lang of LANGS) {
      const entries = raw[lang];
      if (isRecord(entries)) for (const [k, v] of Object.entries(entries)) if (typeof v === 'string') dict[lang][k] = v;
    }
  }
  return dict;
}

function readText(dict: Dictionary, key: string, fallback: string | undefined): I18nText {
  const text = { en: dict.en[key] ?? '', 'zh-CN': dict['zh-CN'][key] ?? '' };
  if (!text.en && !text['zh-CN'] && fallback) text.en = fallback;
  return text;
}

/** Which palette field a schema property with its control options was made from. */
export function inferKind(schema: JsonSchema, options: Record<string, unknown>): FieldKind {
  const widget = options.widget;
  if (typeof options.calculate === 'string') return 'calculated';
  if (schema.type === 'array' && widget === 'file') return 'file';
  if (schema.type === 'array') return isRecord(schema.items) && schema.items.type === 'object' ? 'table' : 'multiselect';
  if (schema.type === 'boolean') return 'checkbox';
  if (schema.type === 'integer') return widget === 'rating' ? 'rating' : 'integer';
  if (schema.type === 'number') return widget === 'money' ? 'money' : 'number';
  if (Array.isArray(schema.enum)) return options.format === 'radio' ? 'radio' : 'select';
  if (schema.format === 'date') return 'date';
  if (schema.format === 'date-time') return 'datetime';
  if (schema.format === 'email') return 'email';
  if (schema.format === 'uri') return 'url';
  if (widget === 'phone' || widget === 'user' || widget === 'department' || widget === 'richtext' || widget === 'signature') {
    return widget;
  }
  if (options.multi === true) return 'textarea';
  return 'text';
}

let readCounter = 0;
const readId = (prefix: string) => `${prefix}_r${(readCounter += 1).toString(36)}`;

function fieldFrom(
  key: string, schema: JsonSchema, control: UiSchema | undefined, required: boolean, path: string, dict: Dictionary,
): FormElement {
  const options = isRecord(control?.options) ? control.options : {};
  const kind = inferKind(schema, options);
  const field: FormElement = {
    id: readId('f'), kind, key,
    label: readText(dict, `${path}.label`, str(schema.title)),
    help: readText(dict, `${path}.description`, str(schema.description)),
    placeholder: readText(dict, `${path}.placeholder`, str(options.placeholder)),
    required: required && kind !== 'calculated',
    readOnly: kind === 'calculated' || options.readonly === true,
  };
  const value = schema.default;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') field.default = value;
  if (kind === 'text' || kind === 'textarea') {
    Object.assign(field, defined({ minLength: num(schema.minLength), maxLength: num(schema.maxLength) }));
    if (kind === 'text') Object.assign(field, defined({ pattern: str(schema.pattern) }));
  }
  if (kind === 'number' || kind === 'integer' || kind === 'money') {
    Object.assign(field, defined({ minimum: num(schema.minimum), maximum: num(schema.maximum) }));
  }
  if (kind === 'select' || kind === 'radio' || kind === 'multiselect') {
    const source = kind === 'multiselect' && isRecord(schema.items) ? schema.items : schema;
    const labels = isRecord(options.labels) ? options.labels : {};
    field.options = (Array.isArray(source.enum) ? source.enum : []).map((v): ChoiceOption => {
      const valueText = String(v);
      const label = emptyText();
      for (const lang of LANGS) {
        const perLang = labels[lang];
        label[lang] = (isRecord(perLang) ? str(perLang[valueText]) : undefined) ?? dict[lang][`${path}.${valueText}`] ?? '';
      }
      if (!label.en && !label['zh-CN']) label.en = valueText;
      return { value: valueText, label };
    });
  }
  if (kind === 'calculated') field.expression = str(options.calculate) ?? '';
  if (kind === 'file') {
    field.multiple = schema.maxItems !== 1;
    const maxSize = num(options.maxSize);
    Object.assign(field, defined({
      maxItems: field.multiple ? num(schema.maxItems) : undefined, accept: str(options.accept),
      maxSizeMb: maxSize ? maxSize / BYTES_PER_MB : undefined,
    }));
  }
  if (kind === 'table') {
    Object.assign(field, defined({ minItems: num(schema.minItems), maxItems: num(schema.maxItems) }));
    const items = isRecord(schema.items) ? (schema.items as JsonSchema) : {};
    const detail = isRecord(options.detail) ? (options.detail as UiSchema) : undefined;
    field.children = readFields(items, detail?.elements ?? [], dict, `${path}.`);
  }
  if (control?.rule) readRule(field, control.rule);
  return field;
}

function readRule(element: FormElement, rule: unknown): void {
  const simple = fromJsonFormsRule(rule);
  if (simple) element.rule = simple;
  else if (isRecord(rule)) element.rawRule = rule;
}

const keyOfScope = (scope: unknown) => {
  const match = typeof scope === 'string' ? /^#\/properties\/([^/]+)$/.exec(scope) : null;
  return match ? match[1]! : undefined;
};

/** Fields of an object schema in the order of their controls, then any property no control shows. */
function readFields(schema: JsonSchema, controls: UiSchema[], dict: Dictionary, prefix: string): FormElement[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const seen = new Set<string>();
  const fields: FormElement[] = [];
  for (const control of controls) {
    const key = keyOfScope(control.scope);
    if (!key || seen.has(key) || !isRecord(properties[key])) continue;
    seen.add(key);
    fields.push(fieldFrom(key, properties[key], control, required.has(key), `${prefix}${key}`, dict));
  }
  for (const [key, property] of Object.entries(properties)) {
    if (seen.has(key) || !isRecord(property)) continue;
    fields.push(fieldFrom(key, property, undefined, required.has(key), `${prefix}${key}`, dict));
  }
  return fields;
}

const LAYOUT_TYPES: Record<string, FormElement['kind']> = {
  Group: 'group', VerticalLayout: 'group', HorizontalLayout: 'columns', Categorization: 'steps', Category: 'step',
};

/** Reopens a saved form: the editor tree for a schema and UI schema (made here or elsewhere). */
export function fromDefinition(schema: JsonSchema | undefined, uischema: UiSchema | undefined): FormElement[] {
  const root: JsonSchema = isRecord(schema) ? schema : { type: 'object', properties: {} };
  const properties = isRecord(root.properties) ? root.properties : {};
  const required = new Set(Array.isArray(root.required) ? root.required : []);
  const dict = readDictionary(uischema);
  const used = new Set<string>();

  const read = (ui: UiSchema): FormElement | null => {
    if (ui.type === 'Control') {
      const key = keyOfScope(ui.scope);
      if (!key || used.has(key) || !isRecord(properties[key])) return null;
      used.add(key);
      return fieldFrom(key, properties[key], ui, required.has(key), key, dict);
    }
    const kind = LAYOUT_TYPES[ui.type];
    if (!kind) return null;
    const id = typeof ui.i18n === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(ui.i18n) ? ui.i18n : readId(kind);
    const layout: FormElement = {
      id, kind, key: '', label: readText(dict, `${id}.label`, str(ui.label)), help: emptyText(), placeholder: emptyText(),
      required: false, readOnly: false,
      children: (ui.elements ?? []).map(read).filter((e): e is FormElement => e !== null),
    };
    if (ui.rule) readRule(layout, ui.rule);
    return layout;
  };

  const top = isRecord(uischema) && Array.isArray(uischema.elements)
    ? (uischema.type === 'VerticalLayout' ? uischema.elements : [uischema]).map(read).filter((e): e is FormElement => e !== null)
    : [];
  for (const [key, property] of Object.entries(properties)) {
    if (used.has(key) || !isRecord(property)) continue;
    top.push(fieldFrom(key, property, undefined, required.has(key), key, dict));
  }
  return top;
}
