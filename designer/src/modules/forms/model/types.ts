import type { FormSettingsDto } from '@opsflow/plugin-sdk';

/** The two languages every admin-entered text is kept in. */
export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];
export type I18nText = Record<Lang, string>;

export const FIELD_KINDS = [
  'text', 'textarea', 'number', 'integer', 'money', 'date', 'datetime', 'select', 'multiselect', 'checkbox', 'radio',
  'email', 'phone', 'url', 'rating', 'user', 'department', 'richtext', 'file', 'signature', 'table', 'calculated',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const LAYOUT_KINDS = ['group', 'columns', 'steps', 'step'] as const;
export type LayoutKind = (typeof LAYOUT_KINDS)[number];
export type ElementKind = FieldKind | LayoutKind;

export interface ChoiceOption {
  value: string;
  label: I18nText;
}

export type RuleEffect = 'SHOW' | 'HIDE' | 'ENABLE' | 'DISABLE';
export type RuleOperator = 'eq' | 'ne' | 'gt' | 'contains';
export type RuleValue = string | number | boolean;

/** A show/hide or enable/disable rule on one other field's value, as the rule builder edits it. */
export interface SimpleRule {
  effect: RuleEffect;
  /** key of the top-level field the condition reads */
  field: string;
  operator: RuleOperator;
  value: RuleValue;
}

/** One node of the editor tree: a field (with its schema fragment) or a layout holding children. */
export interface FormElement {
  id: string;
  kind: ElementKind;
  /** the property name in the data (fields only) */
  key: string;
  /** the key follows the English label until the admin edits the key */
  autoKey?: boolean;
  label: I18nText;
  help: I18nText;
  placeholder: I18nText;
  required: boolean;
  readOnly: boolean;
  default?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  options?: ChoiceOption[];
  /** file uploads: several files (up to `maxItems`) or one */
  multiple?: boolean;
  /** file uploads: the largest file, in MB */
  maxSizeMb?: number;
  /** file uploads: accepted types as in `<input accept>` (`.pdf,image/*`) */
  accept?: string;
  /** FEEL expression of calculated fields, `=` prefixed */
  expression?: string;
  rule?: SimpleRule;
  /** a rule the builder cannot show, kept as it was so that saving does not drop it */
  rawRule?: Record<string, unknown>;
  /** layouts; for `table` its columns; for `steps` its `step`s */
  children?: FormElement[];
}

export type FormSettings = FormSettingsDto;
export type Role = FormSettings['access']['viewAll'][number];

export const DEFAULT_SETTINGS: FormSettings = {
  access: { submit: 'members', viewAll: ['owner', 'admin'] },
  anonymous: false,
  hiddenFields: [],
};

/** What the designer edits: everything that is saved as the form's draft. */
export interface FormDocument {
  name: string;
  elements: FormElement[];
  settings: FormSettings;
}

export type JsonSchema = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
};

export type UiSchema = Record<string, unknown> & {
  type: string;
  scope?: string;
  label?: string;
  i18n?: string;
  elements?: UiSchema[];
  options?: Record<string, unknown>;
  rule?: Record<string, unknown>;
};

export const emptyText = (): I18nText => ({ en: '', 'zh-CN': '' });
