import type { ErrorTranslator, Translator, UISchemaElement } from '@jsonforms/core';
import type { ErrorObject } from 'ajv';

export type FormLocale = 'en' | 'zh-CN';

type Messages = Record<string, string>;

/** Labels per language: the root UI schema's `options.i18n`, plus per-control `options.labels` of select options. */
export function collectLabels(uischema: unknown, locale: string): Messages {
  const messages: Messages = {};
  const root = asRecord(uischema);
  const i18n = asRecord(asRecord(root?.options)?.i18n);
  const own = asRecord(i18n?.[locale]);
  for (const [key, value] of Object.entries(own ?? {})) if (typeof value === 'string') messages[key] = value;
  walk(uischema, (element) => {
    const scope = typeof element.scope === 'string' ? element.scope : undefined;
    const labels = asRecord(asRecord(asRecord(element.options)?.labels)?.[locale]);
    if (!scope || !labels) return;
    const prefix = scopeToPath(scope);
    for (const [value, label] of Object.entries(labels)) {
      const key = `${prefix}.${value}`;
      if (typeof label === 'string' && messages[key] === undefined) messages[key] = label;
    }
  });
  return messages;
}

/** `#/properties/a/properties/b` → `a.b` (the JSON Forms i18n key prefix of a control). */
export function scopeToPath(scope: string): string {
  const parts = scope.replace(/^#\/?/, '').split('/');
  const path: string[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    if (parts[i] === 'properties' && i + 1 < parts.length) {
      path.push(parts[i + 1]);
      i += 1;
    }
  }
  return path.join('.');
}

function walk(element: unknown, visit: (element: Record<string, unknown>) => void): void {
  const record = asRecord(element);
  if (!record) return;
  visit(record);
  if (Array.isArray(record.elements)) for (const child of record.elements) walk(child, visit);
  const detail = asRecord(record.options)?.detail;
  if (detail) walk(detail, visit);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

type Params = Record<string, unknown>;

const KEYWORD_MESSAGES: Record<FormLocale, Record<string, (p: Params) => string>> = {
  en: {
    required: () => 'Required',
    type: (p) => (p.type === 'number' || p.type === 'integer' ? 'Enter a number' : 'This value has the wrong type'),
    minimum: (p) => `Must be at least ${p.limit}`,
    maximum: (p) => `Must be at most ${p.limit}`,
    exclusiveMinimum: (p) => `Must be more than ${p.limit}`,
    exclusiveMaximum: (p) => `Must be less than ${p.limit}`,
    minLength: (p) => `At least ${p.limit} characters`,
    maxLength: (p) => `At most ${p.limit} characters`,
    minItems: (p) => `Add at least ${p.limit}`,
    maxItems: (p) => `At most ${p.limit} allowed`,
    uniqueItems: () => 'Each value may appear only once',
    pattern: () => 'This value does not have the expected format',
    multipleOf: (p) => (p.multipleOf === 0.01 ? 'At most 2 decimals' : `Must be a multiple of ${p.multipleOf}`),
    enum: () => 'Choose one of the options',
    additionalProperties: () => 'This field is not part of the form',
    format: (p) => FORMAT_MESSAGES.en[String(p.format)] ?? 'This value does not have the expected format',
  },
  'zh-CN': {
    required: () => '必填',
    type: (p) => (p.type === 'number' || p.type === 'integer' ? '请输入数字' : '值的类型不正确'),
    minimum: (p) => `不能小于 ${p.limit}`,
    maximum: (p) => `不能大于 ${p.limit}`,
    exclusiveMinimum: (p) => `必须大于 ${p.limit}`,
    exclusiveMaximum: (p) => `必须小于 ${p.limit}`,
    minLength: (p) => `至少 ${p.limit} 个字符`,
    maxLength: (p) => `最多 ${p.limit} 个字符`,
    minItems: (p) => `至少添加 ${p.limit} 项`,
    maxItems: (p) => `最多 ${p.limit} 项`,
    uniqueItems: () => '每个值只能出现一次',
    pattern: () => '格式不正确',
    multipleOf: (p) => (p.multipleOf === 0.01 ? '最多两位小数' : `必须是 ${p.multipleOf} 的倍数`),
    enum: () => '请从选项中选择',
    additionalProperties: () => '该字段不属于此表单',
    format: (p) => FORMAT_MESSAGES['zh-CN'][String(p.format)] ?? '格式不正确',
  },
};

const FORMAT_MESSAGES: Record<FormLocale, Record<string, string>> = {
  en: { email: 'Not a valid email address', uri: 'Not a valid web address', date: 'Not a valid date', 'date-time': 'Not a valid date and time', uuid: 'Choose an entry from the list' },
  'zh-CN': { email: '邮箱地址无效', uri: '网址无效', date: '日期无效', 'date-time': '日期时间无效', uuid: '请从列表中选择' },
};

function normalise(locale: string): FormLocale {
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** One ajv error as a sentence in the user's language; server-side errors keep their own message. */
export function validationMessage(error: Pick<ErrorObject, 'keyword' | 'params' | 'message'>, locale: string): string {
  const message = KEYWORD_MESSAGES[normalise(locale)][error.keyword];
  return message ? message(error.params as Params) : (error.message ?? '');
}

/** The sub-table texts JSON Forms only has in English (`<path>.addTooltip`, ...), by key suffix. */
const ARRAY_TEXTS_ZH: Record<string, string> = {
  addTooltip: '添加一行',
  addAriaLabel: '添加一行',
  removeTooltip: '删除',
  removeAriaLabel: '删除这一行',
  upAriaLabel: '上移',
  downAriaLabel: '下移',
  up: '上移',
  down: '下移',
  noDataMessage: '暂无数据',
  noSelection: '未选择',
  deleteDialogTitle: '确认删除',
  deleteDialogMessage: '确定要删除这一行吗？',
  deleteDialogAccept: '删除',
  deleteDialogDecline: '取消',
};

/** JSON Forms i18n: labels from the form's own translations, validation messages by ajv keyword. */
export function createFormI18n(uischema: unknown, locale: string) {
  const messages = collectLabels(uischema, locale);
  const zh = normalise(locale) === 'zh-CN';
  const translate: Translator = ((id: string, defaultMessage: string | undefined) => {
    if (messages[id] !== undefined) return messages[id];
    if (zh) {
      const suffix = id.slice(id.lastIndexOf('.') + 1);
      // an enum option whose value happens to be `up` keeps its own label
      const builtIn = defaultMessage !== suffix ? ARRAY_TEXTS_ZH[suffix] : undefined;
      if (builtIn !== undefined) return builtIn;
    }
    return defaultMessage;
  }) as Translator;
  const translateError: ErrorTranslator = (error) => {
    const custom = messages[`${errorPath(error)}.error.${error.keyword}`];
    return custom ?? validationMessage(error, locale);
  };
  return { locale, translate, translateError };
}

function errorPath(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').split('/').filter((p) => p && !/^\d+$/.test(p));
  if (error.keyword === 'required') path.push(String((error.params as Params).missingProperty));
  return path.join('.');
}

export type { UISchemaElement };
