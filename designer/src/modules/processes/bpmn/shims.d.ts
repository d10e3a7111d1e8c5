// The bpmn-io extensions ship no TypeScript types: what Opsflow uses of them, typed loosely at the border.

declare module 'bpmn-js-properties-panel' {
  import type { ModuleDeclaration } from 'didi';
  export const BpmnPropertiesPanelModule: ModuleDeclaration;
  export const BpmnPropertiesProviderModule: ModuleDeclaration;
  export const ZeebePropertiesProviderModule: ModuleDeclaration;
  export function useService<T = unknown>(name: string, strict?: boolean): T;
}

declare module '@bpmn-io/properties-panel' {
  import type { ComponentType, FunctionComponent } from 'preact';
  /** Entries are preact components taking `{ element, id, label, getValue, setValue, ... }`. */
  type Entry = FunctionComponent<Record<string, unknown>>;
  export const SelectEntry: Entry;
  export const TextFieldEntry: Entry;
  export const TextAreaEntry: Entry;
  export const NumberFieldEntry: Entry;
  export const CheckboxEntry: Entry;
  export const ToggleSwitchEntry: Entry;
  export const FeelEntry: Entry;
  export const Group: ComponentType<Record<string, unknown>>;
  export const ListGroup: ComponentType<Record<string, unknown>>;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isTextFieldEntryEdited(node: unknown): boolean;
  export function isFeelEntryEdited(node: unknown): boolean;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  import type { ModuleDeclaration } from 'didi';
  const module: ModuleDeclaration;
  export default module;
}

declare module 'bpmn-js-bpmnlint' {
  import type { ModuleDeclaration } from 'didi';
  const module: ModuleDeclaration;
  export default module;
}

declare module 'bpmnlint/rules/*' {
  const rule: unknown;
  export default rule;
}

declare module 'zeebe-bpmn-moddle/resources/zeebe.json' {
  const schema: Record<string, unknown>;
  export default schema;
}
