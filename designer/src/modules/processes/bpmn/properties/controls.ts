import { h, type ComponentChild, type ComponentChildren } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import type { OpsflowCatalog } from '../catalog';
import type OpsflowModeling from '../opsflow-modeling';

// Small controls in the properties panel's own look (its CSS classes), for entries that combine several inputs.

export interface Option {
  value: string;
  label: string;
}

export const useCatalog = () => useService<OpsflowCatalog>('opsflowCatalog');
export const useOpsflowModeling = () => useService<OpsflowModeling>('opsflowModeling');

export function entry(id: string, children: ComponentChildren): ComponentChild {
  return h('div', { class: 'bio-properties-panel-entry opsflow-entry', 'data-entry-id': id }, children);
}

export function label(forId: string, text: string): ComponentChild {
  return h('label', { for: forId, class: 'bio-properties-panel-label' }, text);
}

export function description(text: string | null | undefined, test?: string): ComponentChild {
  return text ? h('div', { class: 'bio-properties-panel-description', 'data-test': test }, text) : null;
}

export function errorText(text: string | null | undefined): ComponentChild {
  return text ? h('div', { class: 'bio-properties-panel-error' }, text) : null;
}

export function select(props: {
  id: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  test?: string;
  ariaLabel?: string;
}): ComponentChild {
  return h(
    'select',
    {
      id: props.id,
      name: props.id,
      class: 'bio-properties-panel-input',
      'data-test': props.test ?? props.id,
      'aria-label': props.ariaLabel,
      value: props.value,
      onChange: (event: Event) => props.onChange((event.target as HTMLSelectElement).value),
    },
    props.options.map((option) => h('option', { value: option.value, selected: option.value === props.value }, option.label)),
  );
}

export function textInput(props: {
  id: string;
  value: string;
  onCommit: (value: string) => void;
  type?: string;
  test?: string;
  placeholder?: string;
  monospace?: boolean;
  ariaLabel?: string;
  min?: number;
  step?: string;
}): ComponentChild {
  return h('input', {
    id: props.id,
    name: props.id,
    type: props.type ?? 'text',
    class: `bio-properties-panel-input${props.monospace ? ' opsflow-monospace' : ''}`,
    'data-test': props.test ?? props.id,
    'aria-label': props.ariaLabel,
    placeholder: props.placeholder,
    min: props.min,
    step: props.step,
    value: props.value,
    spellcheck: false,
    autocomplete: 'off',
    // written on change (blur / Enter): one command per edit, not per key stroke
    onChange: (event: Event) => props.onCommit((event.target as HTMLInputElement).value),
  });
}

export function button(props: { text: string; onClick: () => void; test?: string; disabled?: boolean; kind?: 'primary' | 'plain'; ariaLabel?: string }): ComponentChild {
  return h('button', {
    type: 'button',
    class: `opsflow-button${props.kind === 'primary' ? ' opsflow-button--primary' : ''}`,
    'data-test': props.test,
    'aria-label': props.ariaLabel,
    disabled: props.disabled,
    onClick: props.onClick,
  }, props.text);
}
