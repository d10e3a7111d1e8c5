import { FeelEntry } from '@bpmn-io/properties-panel';
import { h, type ComponentChild } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import { APPROVED_VARIABLE } from '../../model/approval';
import { INITIATOR_VARIABLE } from '../../model/assignee';
import {
  conditionToFeel, opsFor, parseCondition, ruleProblem, UNARY_OPS, valueKind, type ConditionOp, type ConditionRule, type ConditionValue,
} from '../../model/condition';
import { is, type DiagramElement } from '../util';
import { button, description, entry, errorText, label, select, textInput, useCatalog, useOpsflowModeling, type Option } from './controls';
import { fieldTitle, useFormFields, useProcessFormIds } from './form-fields';

interface EntryProps {
  element: DiagramElement;
  id: string;
}

interface KnownField {
  path: string;
  type: string;
  title: string;
}

const OTHER = '__other';

/** The fields the condition can test: the start form's and every task form's, plus the variables the engine sets. */
function useKnownFields(): KnownField[] {
  const catalog = useCatalog();
  const fields = useFormFields(useProcessFormIds());
  const known = new Map<string, KnownField>();
  for (const field of fields) {
    if (field.type === 'object' || field.type === 'array' || known.has(field.path)) continue;
    known.set(field.path, { path: field.path, type: field.type, title: fieldTitle(field) });
  }
  for (const [path, type] of [[APPROVED_VARIABLE, 'boolean'], [INITIATOR_VARIABLE, 'string']] as const) {
    if (!known.has(path)) known.set(path, { path, type, title: catalog.t(`processDesigner.condition.variables.${path}`) });
  }
  return [...known.values()];
}

function valueControl(id: string, rule: ConditionRule, type: string, onValue: (value: ConditionValue | null) => void, t: (key: string) => string): ComponentChild {
  const kind = valueKind(type);
  if (kind === 'boolean') {
    return select({ id, value: rule.value === null ? '' : String(rule.value), ariaLabel: t('processDesigner.condition.value'),
      options: [{ value: '', label: '—' }, { value: 'true', label: t('processDesigner.condition.true') }, { value: 'false', label: t('processDesigner.condition.false') }],
      onChange: (value) => onValue(value === '' ? null : value === 'true') });
  }
  return textInput({ id, type: kind === 'number' ? 'number' : 'text', value: rule.value === null ? '' : String(rule.value),
    ariaLabel: t('processDesigner.condition.value'), placeholder: t('processDesigner.condition.value'),
    onCommit: (value) => onValue(value === '' ? null : kind === 'number' ? Number(value) : value) });
}

export function ConditionEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const feel = opsflow.condition(element) ?? '';
  const parsed = parseCondition(feel);
  const fields = useKnownFields();
  const debounce = useService<unknown>('debounceInput');
  const [raw, setRaw] = useState(parsed === null);
  const [join, setJoin] = useState<'and' | 'or'>(parsed?.join ?? 'and');
  const [rules, setRules] = useState<ConditionRule[]>(parsed?.rules.length ? parsed.rules : [{ field: '', op: 'gt', value: null }]);
  const [otherFields, setOtherFields] = useState<Set<number>>(new Set());
  useEffect(() => {
    const again = parseCondition(feel);
    if (again === null) setRaw(true);
    else if (again.rules.length) {
      setRules(again.rules);
      setJoin(again.join);
    }
  }, [element.id, feel]);

  if (opsflow.isDefault(element)) {
    return entry(id, [description(t('processDesigner.condition.isDefault'), 'default-flow-hint')]);
  }

  const apply = (nextRules: ConditionRule[], nextJoin: 'and' | 'or') => {
    setRules(nextRules);
    setJoin(nextJoin);
    const written = conditionToFeel({ join: nextJoin, rules: nextRules });
    if (written && written !== feel) opsflow.setCondition(element, written);
  };
  const typeOf = (path: string) => fields.find((f) => f.path === path)?.type;

  if (raw) {
    return entry(id, [
      h(FeelEntry, {
        element, id: `${id}-raw`, label: t('processDesigner.condition.raw'), feel: 'required', debounce,
        getValue: () => feel, setValue: (value: string | undefined) => opsflow.setCondition(element, value ?? ''),
        description: t('processDesigner.condition.rawHint'),
      }),
      button({ text: t('processDesigner.condition.useBuilder'), test: 'condition-use-builder', disabled: parseCondition(feel) === null,
        onClick: () => setRaw(false) }),
    ]);
  }

  const fieldOptions: Option[] = [{ value: '', label: t('processDesigner.condition.chooseField') }, ...fields.map((f) => ({ value: f.path, label: f.title })),
    { value: OTHER, label: t('processDesigner.condition.otherVariable') }];
  const rows = rules.map((rule, index) => {
    const type = typeOf(rule.field);
    const isOther = otherFields.has(index) || (rule.field !== '' && !fields.some((f) => f.path === rule.field));
    const update = (change: Partial<ConditionRule>) => apply(rules.map((r, i) => (i === index ? { ...r, ...change } : r)), join);
    const problem = rule.field || rule.value !== null ? ruleProblem(rule) : null;
    return h('div', { class: 'opsflow-rule', 'data-test': 'condition-rule', key: index }, [
      select({ id: `${id}-field-${index}`, test: 'condition-field', value: isOther ? OTHER : rule.field, options: fieldOptions, ariaLabel: t('processDesigner.condition.field'),
        onChange: (value) => {
          if (value === OTHER) {
            setOtherFields(new Set([...otherFields, index]));
            return;
          }
          setOtherFields(new Set([...otherFields].filter((i) => i !== index)));
          const ops = opsFor(typeOf(value));
          update({ field: value, op: ops.includes(rule.op) ? rule.op : ops[0] });
        } }),
      isOther ? textInput({ id: `${id}-variable-${index}`, test: 'condition-variable', value: rule.field, monospace: true, placeholder: 'budget',
        ariaLabel: t('processDesigner.condition.otherVariable'), onCommit: (value) => update({ field: value.trim() }) }) : null,
      select({ id: `${id}-op-${index}`, test: 'condition-op', value: rule.op, ariaLabel: t('processDesigner.condition.operator'),
        options: opsFor(type).map((op) => ({ value: op, label: t(`processDesigner.condition.ops.${op}`) })),
        onChange: (value) => update({ op: value as ConditionOp, value: UNARY_OPS.has(value as ConditionOp) ? null : rule.value }) }),
      UNARY_OPS.has(rule.op) ? null : valueControl(`${id}-value-${index}`, rule, type ?? 'string', (value) => update({ value }), t),
      rules.length > 1 ? button({ text: '×', test: 'condition-remove-rule', onClick: () => apply(rules.filter((_, i) => i !== index), join) }) : null,
      errorText(problem ? t(`processDesigner.condition.problems.${problem}`) : null),
    ]);
  });

  return entry(id, [
    label(`${id}-field-0`, t('processDesigner.condition.when')),
    rules.length > 1 ? select({ id: `${id}-join`, value: join, ariaLabel: t('processDesigner.condition.join'),
      options: [{ value: 'and', label: t('processDesigner.condition.all') }, { value: 'or', label: t('processDesigner.condition.any') }],
      onChange: (value) => apply(rules, value as 'and' | 'or') }) : null,
    ...rows,
    h('div', { class: 'opsflow-actions' }, [
      button({ text: t('processDesigner.condition.addRule'), test: 'condition-add-rule', onClick: () => setRules([...rules, { field: '', op: 'eq', value: null }]) }),
      button({ text: t('processDesigner.condition.writeFeel'), test: 'condition-write-feel', onClick: () => setRaw(true) }),
    ]),
    feel ? h('div', { class: 'bio-properties-panel-description opsflow-monospace', 'data-test': 'condition-feel' }, feel) : description(t('processDesigner.condition.noneYet')),
  ]);
}

export function DefaultFlowEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const isDefault = opsflow.isDefault(element);
  return entry(id, h('label', { class: 'opsflow-check' }, [
    h('input', { type: 'checkbox', id, 'data-test': 'default-flow', checked: isDefault,
      onChange: (event: Event) => opsflow.setDefault(element, (event.target as HTMLInputElement).checked) }),
    h('span', null, catalog.t('processDesigner.condition.default')),
  ]));
}
