import type { ControlElement, JsonFormsSubStates } from '@jsonforms/core';
import { useJsonFormsControl, type RendererProps } from '@jsonforms/vue';
import { useVuetifyControl } from '@jsonforms/vue-vuetify';
import { computed, inject } from 'vue';

/** JSON Forms control bindings plus the Vuetify wrapper's styles, label and change handler. */
export function useOpsflowControl(props: RendererProps<ControlElement>, adaptValue: (value: unknown) => unknown = (v) => v) {
  return useVuetifyControl(useJsonFormsControl(props), adaptValue);
}

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
