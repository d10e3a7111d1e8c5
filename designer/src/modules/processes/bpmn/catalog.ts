import type { FormField, TaskType } from '../../../api/processes';

export interface CatalogUser {
  id: string;
  name: string;
  email: string;
}

export interface CatalogOption {
  value: string;
  title: string;
}

/**
 * What Opsflow's properties-panel entries offer and say, handed to the modeler as the `opsflowCatalog` service:
 * the app's published forms, people, roles and groups, the plugin task types, form fields, and texts in the
 * user's language. Functions, so a reload or a language switch shows at the next render.
 */
export interface OpsflowCatalog {
  t(key: string, params?: Record<string, unknown>): string;
  locale(): string;
  forms(): CatalogOption[];
  users(): CatalogUser[];
  /** Role names and group ids a candidate group may name. */
  groups(): CatalogOption[];
  taskTypes(): TaskType[];
  startFormId(): string | null;
  /** The fields of a form's latest published version (cached). */
  formFields(formId: string): Promise<FormField[]>;
}

/** A task type's title in the user's language. */
export function taskTypeTitle(type: TaskType, locale: string): string {
  return (locale === 'zh-CN' ? type.title['zh-CN'] : type.title.en) || type.type;
}
