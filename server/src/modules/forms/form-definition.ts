import type { Role } from '../../core/tenancy/request-context.js';

/** A JSON Schema (draft-07) as stored; validated with ajv before it is saved. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  [keyword: string]: unknown;
}

/** A JSON Forms UI schema element (layouts, controls, categories), with rules. */
export interface UiSchema {
  type: string;
  scope?: string;
  label?: string | boolean | Record<string, unknown>;
  elements?: UiSchema[];
  rule?: Record<string, unknown>;
  options?: Record<string, unknown>;
  [key: string]: unknown;
}

export type SubmitAccess = 'public' | 'members' | Role[];

/** Who may submit and see records, what stays hidden, and whether submissions are anonymous. */
export interface FormSettings {
  access: { submit: SubmitAccess; viewAll: Role[] };
  anonymous: boolean;
  hiddenFields: string[];
}

export const DEFAULT_SETTINGS: FormSettings = { access: { submit: 'members', viewAll: ['owner', 'admin'] }, anonymous: false, hiddenFields: [] };
