import { h, type ComponentChild } from '@bpmn-io/properties-panel/preact';
import { useState } from '@bpmn-io/properties-panel/preact/hooks';
import { inputFields, inputProblem, inputSource, readInputSource, type InputField, type InputValue } from '../../model/task-inputs';
import { taskTypeTitle } from '../catalog';
import type { DiagramElement } from '../util';
import { description, entry, errorText, label, select, textInput, useCatalog, useOpsflowModeling, type Option } from './controls';

interface EntryProps {
  element: DiagramElement;
  id: string;
}

export function TaskTypeEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const current = opsflow.taskType(element) ?? '';
  const types = catalog.taskTypes();
  const options: Option[] = [{ value: '', label: t('processDesigner.props.chooseTaskType') },
    ...types.map((type) => ({ value: type.type, label: taskTypeTitle(type, catalog.locale()) }))];
  if (current && !types.some((type) => type.type === current)) options.push({ value: current, label: t('processDesigner.props.unknownTaskType', { type: current }) });
  const chosen = types.find((type) => type.type === current);
  return entry(id, [
    label(id, t('processDesigner.props.taskType')),
    select({ id, value: current, options, onChange: (value) => opsflow.setTaskType(element, value || undefined) }),
    description(chosen ? (catalog.locale() === 'zh-CN' ? chosen.description['zh-CN'] : chosen.description.en) : t('processDesigner.props.taskTypeHint')),
    current ? label(`${id}-retries`, t('processDesigner.props.retries')) : null,
    current ? textInput({ id: `${id}-retries`, type: 'number', min: 1, step: '1', placeholder: '3', value: opsflow.retries(element) ?? '',
      onCommit: (value) => {
        const retries = Math.floor(Number(value));
        if (value === '' || (Number.isInteger(retries) && retries >= 1 && retries <= 100)) opsflow.setRetries(element, value === '' ? '' : String(retries));
      } }) : null,
    current ? description(t('processDesigner.props.retriesHint')) : null,
  ]);
}

function InputControl({ element, field, value, idBase }: { element: DiagramElement; field: InputField; value: InputValue; idBase: string }): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const [mode, setMode] = useState<InputValue['mode']>(value.mode);
  const id = `${idBase}-${field.name}`;
  const write = (next: InputValue) => opsflow.setInput(element, field.name, inputSource(field, next));
  const current: InputValue = { mode, text: value.mode === mode ? value.text : '' };
  const alwaysFeel = field.type === 'object' || field.type === 'array';
  let control: ComponentChild;
  if (mode === 'literal' && !alwaysFeel && (field.options.length > 0 || field.type === 'boolean')) {
    const choices = field.type === 'boolean' ? ['true', 'false'] : field.options;
    control = select({ id, value: current.text, options: [{ value: '', label: '—' }, ...choices.map((c) => ({ value: c, label: c }))],
      onChange: (text) => write({ mode, text }) });
  } else {
    control = textInput({ id, value: current.text, monospace: mode === 'feel' || alwaysFeel,
      type: mode === 'literal' && (field.type === 'number' || field.type === 'integer') ? 'number' : 'text',
      placeholder: mode === 'feel' || alwaysFeel ? '=variable' : '', onCommit: (text) => write({ mode: alwaysFeel ? 'feel' : mode, text }) });
  }
  const problem = inputProblem(field, current);
  return h('div', { class: 'opsflow-input', 'data-test': `input-${field.name}` }, [
    label(id, `${field.title}${field.required ? ' *' : ''}`),
    control,
    alwaysFeel ? null : h('label', { class: 'opsflow-check opsflow-check--small' }, [
      h('input', { type: 'checkbox', checked: mode === 'feel', onChange: (event: Event) => setMode((event.target as HTMLInputElement).checked ? 'feel' : 'literal') }),
      h('span', null, t('processDesigner.props.inputAsFeel')),
    ]),
    description(field.description),
    errorText(problem ? t(`processDesigner.props.inputProblems.${problem}`) : null),
  ]);
}

export function TaskInputsEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const type = catalog.taskTypes().find((candidate) => candidate.type === opsflow.taskType(element));
  if (!type) return null;
  const fields = inputFields(type.inputSchema);
  const sources = opsflow.inputs(element);
  if (fields.length === 0) return entry(id, description(catalog.t('processDesigner.props.noInputs')));
  return entry(id, fields.map((field) => h(InputControl, {
    key: `${element.id}-${field.name}`, element, field, idBase: id, value: readInputSource(field, sources.get(field.name)),
  })));
}
