import type { ControlElement, JsonFormsSubStates } from '@jsonforms/core';
import { useJsonFormsControl, type RendererProps } from '@jsonforms/vue';
import { useVuetifyControl } from '@jsonforms/vue-vuetify';
import { computed, inject } from 'vue';
import { useI18n } from 'vue-i18n';

/**
 * JSON Forms control bindings plus the Vuetify wrapper's styles, label and change handler, and the bindings every
 * Opsflow control repeats: `wrapperBindings` for `ControlWrapper`, `fieldBindings` for the Vuetify input inside it.
 */
export function useOpsflowControl(props: RendererProps<ControlElement>, adaptValue: (value: unknown) => unknown = (v) => v) {
  const bound = useVuetifyControl(useJsonFormsControl(props), adaptValue);
  const { control, controlWrapper, styles, isFocused, appliedOptions, computedLabel } = bound;
  const wrapperBindings = computed(() => ({
    ...controlWrapper.value,
    styles,
    isFocused: isFocused.value,
    appliedOptions: appliedOptions.value,
  }));
  const fieldBindings = computed(() => ({
    id: `${control.value.id}-input`,
    class: styles.control.input,
    label: computedLabel.value,
    disabled: !control.value.enabled,
    hint: control.value.description,
    required: control.value.required,
    errorMessages: control.value.errors,
  }));
  return { ...bound, wrapperBindings, fieldBindings };
}

/** The value adapter of text-like fields: an empty string clears the value. */
export const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The whole form's data, for calculated fields. */
export function useRootData() {
  const jsonforms = inject<JsonFormsSubStates | undefined>('jsonforms', undefined);
  return computed<unknown>(() => jsonforms?.core?.data);
}

/** The language the form is shown in (JSON Forms i18n state). */
export function useFormLocale() {
  const jsonforms = inject<JsonFormsSubStates | undefined>('jsonforms', undefined);
  return computed<string>(() => jsonforms?.i18n?.locale ?? 'en');
}

/** Whether the whole form is read-only (a record shown, not filled). */
export function useFormReadonly() {
  const jsonforms = inject<(JsonFormsSubStates & { readonly?: boolean }) | undefined>('jsonforms', undefined);
  return computed<boolean>(() => jsonforms?.readonly === true);
}

/**
 * The app's texts in the language the form is shown in (a Chinese preview in an English designer shows its
 * buttons in Chinese); outside a form, in the UI language.
 */
export function useFormTexts() {
  const { t, locale: uiLocale } = useI18n();
  const jsonforms = inject<JsonFormsSubStates | undefined>('jsonforms', undefined);
  const locale = computed<string>(() => jsonforms?.i18n?.locale ?? String(uiLocale.value));
  const text = (key: string, named: Record<string, unknown> = {}, plural?: number): string =>
    t(key, named, plural === undefined ? { locale: locale.value } : { locale: locale.value, plural });
  return { t: text, locale };
}
