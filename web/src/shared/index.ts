export * from './api/types';
export { authApi } from './api/auth';
export type { LoginInput, ProfileChange, SignUpInput } from './api/auth';
export { createAppI18n, applyLocale, isLocale, LOCALES, storedLocale } from './i18n';
export type { AppI18n } from './i18n';
export { createAppVuetify } from './vuetify';
export { useErrorHandler, useFieldErrors, clearFieldErrors, errorMessage } from './errors';
export type { FieldErrors, HandleOptions } from './errors';
export { useSessionStore } from './stores/session';
export { useNotifyStore } from './stores/notify';
export { useLocale } from './composables/locale';
export { installAuthGuard } from './router';
export { default as AppShell } from './components/AppShell.vue';
export type { NavItem } from './nav';
export { default as SignInPage } from './components/SignInPage.vue';
export { default as AppSnackbar } from './components/AppSnackbar.vue';
export { default as ConfirmDialog } from './components/ConfirmDialog.vue';
export { default as CopyField } from './components/CopyField.vue';
export { default as LanguageMenu } from './components/LanguageMenu.vue';
export { default as SignedOutCard } from './components/SignedOutCard.vue';
export { default as EmptyState } from './components/EmptyState.vue';
export { formatDateTime, formatRelative } from './format';
export { bootstrapApp } from './bootstrap';
export type { AppSetup } from './bootstrap';
// The form renderer (JSON Forms and Opsflow's renderers) is exported apart, from './forms' (`@opsflow/web/shared/forms`),
// so that what only needs the shell does not load it.
export { formsApi, directoryApi, exportUrl, recordQueryParams } from './api/forms';
export type {
  AppSummary, FormSummary, FormVersion, FormSettings, PublicForm, FormRecord, MyRecord, FormField, FieldType, Filter,
  FilterCondition, FilterOp, RecordQuery, JsonObject, UserOption, DepartmentOption,
} from './api/forms';
export { APP_ICONS, appIcon } from './app-icons';
