export { default as OpsflowForm } from './OpsflowForm.vue';
export { opsflowRendererEntries } from './renderers';
export { calculate, matches } from './calculate';
export { createFormI18n, collectLabels, scopeToPath, validationMessage } from './translate';
export type { FormLocale } from './translate';
export { toAdditionalErrors, toInstancePath } from './server-errors';
export type { FieldError } from './server-errors';
export { createFormValidator } from './validator';
