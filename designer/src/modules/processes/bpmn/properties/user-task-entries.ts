import { h, type ComponentChild } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import { APPROVAL_MODES, DEFAULT_RATIO, readApproval, type ApprovalMode, type ApprovalSettings } from '../../model/approval';
import {
  ASSIGNEE_KINDS, CC_GROUPS_PROPERTY, CC_USERS_PROPERTY, EDITABLE_FIELDS_PROPERTY, FALLBACK_KINDS, FALLBACK_PROPERTY, MAX_MANAGER_LEVELS,
  fallbackProperty, idListProperty, mayFindNobody, readAssignee, readFallback, readIdList, requiredVariable,
  type AssigneeFallback, type AssigneeKind, type AssigneeRule,
} from '../../model/assignee';
import { parseDueDate, parseIsoDuration, toIsoDuration, type DurationParts } from '../../model/duration';
import { ESCALATION_ACTIONS, type EscalationAction } from '../opsflow-modeling';
import { is, nameOf, type DiagramElement } from '../util';
import type { CatalogOption, CatalogUser } from '../catalog';
import { button, description, entry, label, select, textInput, useCatalog, useOpsflowModeling, type Option } from './controls';
import { fieldTitle, useFormFields, useProcessFormIds } from './form-fields';

interface EntryProps {
  element: DiagramElement;
  id: string;
}

const NONE = '';

// ── form ────────────────────────────────────────────────────────────────

export function FormEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const current = opsflow.formId(element) ?? NONE;
  const forms = catalog.forms();
  const options: Option[] = [{ value: NONE, label: catalog.t('processDesigner.props.noForm') }, ...forms.map((f) => ({ value: f.value, label: f.title }))];
  if (current && !forms.some((f) => f.value === current)) options.push({ value: current, label: catalog.t('processDesigner.props.unknownForm') });
  return entry(id, [
    label(id, catalog.t('processDesigner.props.form')),
    select({ id, value: current, options, onChange: (value) => opsflow.setForm(element, value || undefined) }),
    description(catalog.t(forms.length ? 'processDesigner.props.formHint' : 'processDesigner.props.noPublishedForms')),
  ]);
}

// ── assignee ────────────────────────────────────────────────────────────

/** A rule of the kind just picked, with its settings' defaults. */
function ruleOfKind(kind: AssigneeKind): AssigneeRule | null {
  switch (kind) {
    case 'none': case 'initiator': return { kind };
    case 'initiatorManager': return { kind, levels: 1 };
    case 'departmentHead': return { kind, field: null };
    default: return null;
  }
}

export function AssigneeEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const stored = readAssignee(opsflow.assignment(element), opsflow.assigneeRule(element));
  const storedKey = JSON.stringify(stored);
  const [kind, setKind] = useState<AssigneeKind>(stored.kind);
  const [otherField, setOtherField] = useState(false);
  useEffect(() => setKind(stored.kind), [element.id, storedKey]);
  const t = catalog.t;
  const fields = useFormFields(useProcessFormIds());

  if (opsflow.loop(element)) {
    return entry(id, [label(id, t('processDesigner.props.assignee')), description(t('processDesigner.props.assigneeFromApprovers'), 'assignee-from-approvers')]);
  }

  const write = (rule: AssigneeRule) => opsflow.setAssignee(element, rule);
  const chooseKind = (value: string) => {
    const next = value as AssigneeKind;
    setKind(next);
    const rule = ruleOfKind(next);
    if (rule) write(rule);
  };
  const controls: ComponentChild[] = [
    label(id, t('processDesigner.props.assignee')),
    select({ id, value: kind, onChange: chooseKind, options: ASSIGNEE_KINDS.map((k) => ({ value: k, label: t(`processDesigner.assignee.${k}`) })) }),
  ];
  if (kind === 'user') {
    const userId = stored.kind === 'user' ? stored.userId : NONE;
    controls.push(select({ id: `${id}-user`, value: userId, options: userOptions(catalog, userId), ariaLabel: t('processDesigner.props.chooseUser'),
      onChange: (value) => (value ? write({ kind: 'user', userId: value }) : write({ kind: 'none' })) }));
  }
  if (kind === 'groups') {
    const chosen = stored.kind === 'groups' ? stored.groups : [];
    controls.push(checklist(`${id}-groups`, catalog.groups(), chosen, (groups) => write(groups.length ? { kind: 'groups', groups } : { kind: 'none' })));
    controls.push(description(t('processDesigner.props.groupsHint')));
  }
  if (kind === 'initiatorManager') {
    const levels = stored.kind === 'initiatorManager' ? stored.levels : 1;
    const options = Array.from({ length: Math.max(MAX_MANAGER_LEVELS, levels) }, (_, index) => index + 1).map((level) => ({
      value: String(level),
      label: level === 1 ? t('processDesigner.props.managerLevel1') : level === 2 ? t('processDesigner.props.managerLevel2') : t('processDesigner.props.managerLevelN', { levels: level }),
    }));
    controls.push(label(`${id}-levels`, t('processDesigner.props.managerLevels')));
    controls.push(select({ id: `${id}-levels`, value: String(levels), options, onChange: (value) => write({ kind: 'initiatorManager', levels: Number(value) }) }));
    controls.push(description(t('processDesigner.props.managerHint')));
  }
  if (kind === 'departmentHead') {
    const field = stored.kind === 'departmentHead' ? stored.field : null;
    // department pickers store an id (format uuid); person pickers too, so every such field is offered
    const pickers = fields.filter((candidate) => candidate.type === 'string' && candidate.format === 'uuid');
    const known = field === null || pickers.some((picker) => picker.path === field);
    const custom = otherField || !known;
    const options: Option[] = [
      { value: NONE, label: t('processDesigner.props.initiatorDepartment') },
      ...pickers.map((picker) => ({ value: picker.path, label: t('processDesigner.props.departmentFromField', { field: fieldTitle(picker) }) })),
      { value: OTHER, label: t('processDesigner.props.departmentOtherField') },
    ];
    controls.push(label(`${id}-department`, t('processDesigner.props.department')));
    controls.push(select({ id: `${id}-department`, value: custom ? OTHER : field ?? NONE, options, onChange: (value) => {
      setOtherField(value === OTHER);
      if (value !== OTHER) write({ kind: 'departmentHead', field: value || null });
    } }));
    if (custom) {
      controls.push(textInput({ id: `${id}-department-variable`, value: field ?? '', monospace: true, placeholder: 'department', ariaLabel: t('processDesigner.props.departmentVariable'),
        onCommit: (value) => write({ kind: 'departmentHead', field: /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.trim()) ? value.trim() : null }) }));
    }
    controls.push(description(t('processDesigner.props.departmentHint')));
  }
  if (kind === 'expression') {
    const expression = stored.kind === 'expression' ? stored.expression : '';
    controls.push(textInput({ id: `${id}-expression`, value: expression, monospace: true, placeholder: '=reviewer', ariaLabel: t('processDesigner.assignee.expression'),
      onCommit: (value) => write(value.trim() ? { kind: 'expression', expression: value } : { kind: 'none' }) }));
  }
  const variable = kind === stored.kind ? requiredVariable(stored) : null;
  if (variable) controls.push(description(t(`processDesigner.props.needs.${kind}`, { name: variable }), 'assignee-needs'));
  if (kind === stored.kind && mayFindNobody(stored)) controls.push(h(FallbackControls, { id: `${id}-fallback`, element }));
  return entry(id, controls);
}

const OTHER = '__other';

/** How a person reads in the pickers: name and address, since names repeat. */
const personOption = (user: CatalogUser): Option => ({ value: user.id, label: `${user.name} <${user.email}>` });

function userOptions(catalog: ReturnType<typeof useCatalog>, current: string): Option[] {
  const t = catalog.t;
  const users = catalog.users();
  const options: Option[] = [{ value: NONE, label: t('processDesigner.props.chooseUser') }, ...users.map(personOption)];
  if (current && !users.some((u) => u.id === current)) options.push({ value: current, label: t('processDesigner.props.unknownUser') });
  return options;
}

/** Checkboxes over options; `onChange` gets the ticked values in the options' order. */
function checklist(test: string, options: CatalogOption[], chosen: readonly string[], onChange: (values: string[]) => void): ComponentChild {
  return h('div', { class: 'opsflow-checklist', 'data-test': test }, options.map((option) =>
    h('label', { class: 'opsflow-check' }, [
      h('input', {
        type: 'checkbox', value: option.value, checked: chosen.includes(option.value),
        onChange: (event: Event) => {
          const on = (event.target as HTMLInputElement).checked;
          onChange(options.map((o) => o.value).filter((value) => (value === option.value ? on : chosen.includes(value))));
        },
      }),
      h('span', null, option.title),
    ])));
}

/** Chosen people, each with a remove button, and a select that adds one more (approvers, CC). */
function peopleList(props: {
  id: string; test: string; removeTest: string; addLabel: string; users: CatalogUser[]; chosen: readonly string[];
  t: (key: string, params?: Record<string, unknown>) => string; onChange: (userIds: string[]) => void;
}): ComponentChild[] {
  const { t, users, chosen } = props;
  return [
    h('ul', { class: 'opsflow-chosen', 'data-test': props.test }, chosen.map((userId) => {
      const name = users.find((user) => user.id === userId)?.name;
      return h('li', { key: userId }, [
        h('span', null, name ?? t('processDesigner.props.unknownUser')),
        button({ text: '×', test: props.removeTest, ariaLabel: t('processDesigner.props.remove', { name: name ?? userId }),
          onClick: () => props.onChange(chosen.filter((other) => other !== userId)) }),
      ]);
    })),
    select({ id: props.id, value: NONE, ariaLabel: props.addLabel,
      options: [{ value: NONE, label: props.addLabel }, ...users.filter((user) => !chosen.includes(user.id)).map(personOption)],
      onChange: (value) => value && props.onChange([...chosen, value]) }),
  ];
}

function FallbackControls({ id, element }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const fallback = readFallback(opsflow.property(element, FALLBACK_PROPERTY));
  const [kind, setKind] = useState(fallback.kind);
  useEffect(() => setKind(fallback.kind), [element.id, fallback.kind]);
  const write = (next: AssigneeFallback) => opsflow.setProperties(element, { [FALLBACK_PROPERTY]: fallbackProperty(next) });
  return h('div', { class: 'opsflow-subsection', 'data-test': id }, [
    label(id, t('processDesigner.props.fallback')),
    select({ id, value: kind, options: FALLBACK_KINDS.map((k) => ({ value: k, label: t(`processDesigner.fallback.${k}`) })), onChange: (value) => {
      const next = value as AssigneeFallback['kind'];
      setKind(next);
      if (next !== 'user') write({ kind: next } as AssigneeFallback);
    } }),
    kind === 'user'
      ? select({ id: `${id}-user`, value: fallback.kind === 'user' ? fallback.userId : NONE, options: userOptions(catalog, fallback.kind === 'user' ? fallback.userId : ''),
        ariaLabel: t('processDesigner.props.chooseUser'), onChange: (value) => write(value ? { kind: 'user', userId: value } : { kind: 'none' }) })
      : null,
    description(t('processDesigner.props.fallbackHint')),
  ]);
}

// ── 抄送 CC ─────────────────────────────────────────────────────────────

export function CcEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const usersText = opsflow.property(element, CC_USERS_PROPERTY);
  const groupsText = opsflow.property(element, CC_GROUPS_PROPERTY);
  const users = readIdList(usersText);
  const groups = readIdList(groupsText);
  const controls: ComponentChild[] = [label(`${id}-users`, t('processDesigner.props.ccUsers'))];
  if (users === null) {
    controls.push(description(t('processDesigner.props.ccExpression', { expression: usersText })));
  } else {
    controls.push(...peopleList({
      id: `${id}-users`, test: 'cc-users', removeTest: 'remove-cc-user', addLabel: t('processDesigner.props.addCcUser'), users: catalog.users(), chosen: users, t,
      onChange: (userIds) => opsflow.setProperties(element, { [CC_USERS_PROPERTY]: idListProperty(userIds) }),
    }));
  }
  controls.push(label(`${id}-groups`, t('processDesigner.props.ccGroups')));
  if (groups === null) {
    controls.push(description(t('processDesigner.props.ccExpression', { expression: groupsText })));
  } else {
    controls.push(checklist('cc-groups', catalog.groups(), groups, (chosen) => opsflow.setProperties(element, { [CC_GROUPS_PROPERTY]: idListProperty(chosen) })));
  }
  controls.push(description(t('processDesigner.props.ccHint')));
  return entry(id, controls);
}

// ── editable fields ─────────────────────────────────────────────────────

export function EditableFieldsEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const formId = opsflow.formId(element);
  const fields = useFormFields([formId]).filter((field) => !field.path.includes('.') && !field.path.includes('['));
  const stored = opsflow.property(element, EDITABLE_FIELDS_PROPERTY);
  const chosen = stored === undefined ? null : readIdList(stored) ?? [];
  if (!formId) return entry(id, [label(id, t('processDesigner.props.editable')), description(t('processDesigner.props.noFormFields'))]);
  const controls: ComponentChild[] = [
    label(id, t('processDesigner.props.editable')),
    select({ id, value: chosen === null ? 'all' : 'some', options: [
      { value: 'all', label: t('processDesigner.props.editableAll') }, { value: 'some', label: t('processDesigner.props.editableSome') },
    ], onChange: (value) => opsflow.setProperties(element, { [EDITABLE_FIELDS_PROPERTY]: value === 'all' ? undefined : '' }) }),
  ];
  if (chosen !== null) {
    controls.push(checklist(`${id}-fields`, fields.map((field) => ({ value: field.path, title: fieldTitle(field) })), chosen,
      (values) => opsflow.setProperties(element, { [EDITABLE_FIELDS_PROPERTY]: idListProperty(values) ?? '' })));
    controls.push(description(t(chosen.length ? 'processDesigner.props.editableHint' : 'processDesigner.props.editableNone'), 'editable-hint'));
  }
  return entry(id, controls);
}

// ── approval mode ───────────────────────────────────────────────────────

export function ApprovalEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const stored = readApproval(opsflow.loop(element));
  const storedKey = JSON.stringify(stored);
  const [mode, setMode] = useState<ApprovalMode>(stored.mode);
  const [source, setSource] = useState<'users' | 'expression'>(stored.approvers.kind);
  useEffect(() => {
    setMode(stored.mode);
    setSource(stored.approvers.kind);
  }, [element.id, storedKey]);
  const t = catalog.t;
  const users = catalog.users();

  const write = (settings: ApprovalSettings) => {
    const ready = settings.mode === 'single'
      || (settings.approvers.kind === 'users' ? settings.approvers.userIds.length > 0 : settings.approvers.expression.trim() !== '');
    if (ready) opsflow.setApproval(element, settings);
  };
  const approvers = stored.approvers.kind === source ? stored.approvers
    : source === 'users' ? { kind: 'users' as const, userIds: [] } : { kind: 'expression' as const, expression: '' };

  const controls: ComponentChild[] = [
    label(id, t('processDesigner.props.approvalMode')),
    select({ id, value: mode, options: APPROVAL_MODES.map((m) => ({ value: m, label: t(`processDesigner.approval.${m}`) })),
      onChange: (value) => {
        setMode(value as ApprovalMode);
        write({ ...stored, approvers, mode: value as ApprovalMode });
      } }),
    description(t(`processDesigner.approvalHint.${mode}`), 'approval-hint'),
  ];
  if (mode !== 'single') {
    controls.push(label(`${id}-source`, t('processDesigner.props.approvers')));
    controls.push(select({ id: `${id}-source`, value: source,
      options: [{ value: 'users', label: t('processDesigner.props.approversUsers') }, { value: 'expression', label: t('processDesigner.props.approversExpression') }],
      onChange: (value) => setSource(value as 'users' | 'expression') }));
    if (source === 'users') {
      const chosen = approvers.kind === 'users' ? approvers.userIds : [];
      controls.push(...peopleList({
        id: `${id}-add`, test: 'approvers-list', removeTest: 'remove-approver', addLabel: t('processDesigner.props.addApprover'), users, chosen, t,
        onChange: (userIds) => (userIds.length
          ? write({ mode, ratio: stored.ratio, approvers: { kind: 'users', userIds } })
          : opsflow.setApproval(element, { mode: 'single', ratio: stored.ratio, approvers: { kind: 'users', userIds: [] } })),
      }));
    } else {
      controls.push(textInput({ id: `${id}-expression`, monospace: true, placeholder: '=reviewers', ariaLabel: t('processDesigner.props.approversExpression'),
        value: approvers.kind === 'expression' ? approvers.expression : '',
        onCommit: (value) => write({ mode, ratio: stored.ratio, approvers: { kind: 'expression', expression: value } }) }));
      controls.push(description(t('processDesigner.props.approversExpressionHint')));
    }
    if (mode === 'vote') {
      controls.push(label(`${id}-ratio`, t('processDesigner.props.voteRatio')));
      controls.push(textInput({ id: `${id}-ratio`, type: 'number', min: 1, step: '1', value: String(Math.round((stored.mode === 'vote' ? stored.ratio : DEFAULT_RATIO) * 100)),
        onCommit: (value) => {
          const percent = Number(value);
          if (Number.isFinite(percent) && percent > 0 && percent <= 100) write({ mode, approvers, ratio: percent / 100 });
        } }));
      controls.push(description(t('processDesigner.props.voteRatioHint')));
    }
  }
  return entry(id, controls);
}

// ── durations (due date, escalation) ────────────────────────────────────

function durationInputs(id: string, parts: DurationParts, onChange: (parts: DurationParts) => void, t: (key: string) => string): ComponentChild {
  const field = (unit: keyof DurationParts) =>
    h('label', { class: 'opsflow-duration-part' }, [
      textInput({ id: `${id}-${unit}`, type: 'number', min: 0, step: '1', value: parts[unit] ? String(parts[unit]) : '',
        placeholder: '0', ariaLabel: t(`processDesigner.units.${unit}`),
        onCommit: (value) => onChange({ ...parts, [unit]: Math.max(0, Math.floor(Number(value) || 0)) }) }),
      h('span', null, t(`processDesigner.units.${unit}`)),
    ]);
  return h('div', { class: 'opsflow-duration', 'data-test': id }, [field('days'), field('hours'), field('minutes')]);
}

export function DueDateEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const stored = opsflow.dueDate(element);
  const iso = parseDueDate(stored);
  const parts = parseIsoDuration(iso) ?? { days: 0, hours: 0, minutes: 0 };
  const controls: ComponentChild[] = [label(`${id}-days`, t('processDesigner.props.dueAfter'))];
  if (stored && iso === null) {
    controls.push(description(t('processDesigner.props.customDueDate', { expression: stored })));
    controls.push(button({ text: t('processDesigner.props.clear'), onClick: () => opsflow.setDueDate(element, '') }));
  } else {
    controls.push(durationInputs(id, parts, (next) => opsflow.setDueDate(element, toIsoDuration(next)), t));
    controls.push(description(t('processDesigner.props.dueHint')));
  }
  return entry(id, controls);
}

// ── SLA escalation ──────────────────────────────────────────────────────

const NOTIFY_TYPE = /notif|mail|message|dingtalk|wecom|feishu|slack|sms/i;

export function EscalationEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const selection = useService<{ select(element: DiagramElement): void }>('selection');
  const t = catalog.t;
  const [parts, setParts] = useState<DurationParts>({ days: 2, hours: 0, minutes: 0 });
  const [action, setAction] = useState<EscalationAction>('notify');
  // the host is not among the changed elements when a boundary event is attached or removed: follow the stack
  const eventBus = useService<{ on(event: string, fn: () => void): void; off(event: string, fn: () => void): void }>('eventBus');
  const [, setRevision] = useState(0);
  useEffect(() => {
    const bump = () => setRevision((revision) => revision + 1);
    eventBus.on('commandStack.changed', bump);
    return () => eventBus.off('commandStack.changed', bump);
  }, [eventBus]);
  const timers = (element.attachers ?? []).filter((attached) => is(attached, 'bpmn:BoundaryEvent') && opsflow.isTimer(attached));

  const add = () => {
    const duration = toIsoDuration(parts);
    if (!duration) return;
    const notifyType = catalog.taskTypes().find((type) => NOTIFY_TYPE.test(type.type))?.type ?? 'log';
    const after = describeDuration(parts, t);
    opsflow.addEscalation({
      host: element, duration, action, notifyType,
      names: {
        timer: t('processDesigner.escalation.timerName', { after }),
        notify: t('processDesigner.escalation.notifyName'),
        notified: t('processDesigner.escalation.notifiedName'),
        reassign: t('processDesigner.escalation.reassignName', { name: nameOf(element) }),
        autoApprove: t('processDesigner.escalation.autoApproveName'),
      },
    });
  };

  return entry(id, [
    timers.length ? h('ul', { class: 'opsflow-chosen', 'data-test': 'escalations' }, timers.map((timer) => {
      const timerParts = parseIsoDuration(opsflow.timer(timer)?.value);
      const named = typeof timer.businessObject.get('name') === 'string' && timer.businessObject.get('name') !== '';
      return h('li', { key: timer.id }, [
        h('a', { href: '#', onClick: (event: Event) => { event.preventDefault(); selection.select(timer); } },
          named || !timerParts ? nameOf(timer) : describeDuration(timerParts, t)),
      ]);
    })) : description(t('processDesigner.escalation.none')),
    label(`${id}-days`, t('processDesigner.escalation.after')),
    durationInputs(id, parts, setParts, t),
    label(`${id}-action`, t('processDesigner.escalation.action')),
    select({ id: `${id}-action`, value: action, options: ESCALATION_ACTIONS.map((a) => ({ value: a, label: t(`processDesigner.escalation.actions.${a}`) })),
      onChange: (value) => setAction(value as EscalationAction) }),
    description(t(`processDesigner.escalation.hints.${action}`)),
    button({ text: t('processDesigner.escalation.add'), kind: 'primary', test: 'add-escalation', disabled: !toIsoDuration(parts), onClick: add }),
  ]);
}

export function describeDuration(parts: DurationParts, t: (key: string, params?: Record<string, unknown>) => string): string {
  return (['days', 'hours', 'minutes'] as const)
    .filter((unit) => parts[unit] > 0)
    .map((unit) => `${parts[unit]} ${t(`processDesigner.units.${unit}`)}`)
    .join(' ');
}
