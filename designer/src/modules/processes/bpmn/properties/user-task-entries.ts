import { h, type ComponentChild } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import { APPROVAL_MODES, DEFAULT_RATIO, readApproval, type ApprovalMode, type ApprovalSettings } from '../../model/approval';
import { ASSIGNEE_KINDS, readAssignee, requiredVariable, type AssigneeKind, type AssigneeRule } from '../../model/assignee';
import { parseDueDate, parseIsoDuration, toIsoDuration, type DurationParts } from '../../model/duration';
import { ESCALATION_ACTIONS, type EscalationAction } from '../opsflow-modeling';
import { is, nameOf, type DiagramElement } from '../util';
import { button, description, entry, label, select, textInput, useCatalog, useOpsflowModeling, type Option } from './controls';

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

export function AssigneeEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const stored = readAssignee(opsflow.assignment(element));
  const storedKey = JSON.stringify(stored);
  const [kind, setKind] = useState<AssigneeKind>(stored.kind);
  useEffect(() => setKind(stored.kind), [element.id, storedKey]);
  const t = catalog.t;

  if (opsflow.loop(element)) {
    return entry(id, [label(id, t('processDesigner.props.assignee')), description(t('processDesigner.props.assigneeFromApprovers'), 'assignee-from-approvers')]);
  }

  const write = (rule: AssigneeRule) => opsflow.setAssignee(element, rule);
  const chooseKind = (value: string) => {
    const next = value as AssigneeKind;
    setKind(next);
    if (next === 'initiator' || next === 'initiatorManager' || next === 'departmentHead' || next === 'none') write({ kind: next });
  };
  const controls: ComponentChild[] = [
    label(id, t('processDesigner.props.assignee')),
    select({ id, value: kind, onChange: chooseKind, options: ASSIGNEE_KINDS.map((k) => ({ value: k, label: t(`processDesigner.assignee.${k}`) })) }),
  ];
  if (kind === 'user') {
    const userId = stored.kind === 'user' ? stored.userId : NONE;
    const users = catalog.users();
    const options: Option[] = [{ value: NONE, label: t('processDesigner.props.chooseUser') }, ...users.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))];
    if (userId && !users.some((u) => u.id === userId)) options.push({ value: userId, label: t('processDesigner.props.unknownUser') });
    controls.push(select({ id: `${id}-user`, value: userId, options, ariaLabel: t('processDesigner.props.chooseUser'),
      onChange: (value) => (value ? write({ kind: 'user', userId: value }) : write({ kind: 'none' })) }));
  }
  if (kind === 'groups') {
    const chosen = stored.kind === 'groups' ? stored.groups : [];
    controls.push(h('div', { class: 'opsflow-checklist', 'data-test': `${id}-groups` }, catalog.groups().map((group) =>
      h('label', { class: 'opsflow-check' }, [
        h('input', {
          type: 'checkbox', value: group.value, checked: chosen.includes(group.value),
          onChange: (event: Event) => {
            const on = (event.target as HTMLInputElement).checked;
            const groups = on ? [...chosen, group.value] : chosen.filter((g) => g !== group.value);
            write(groups.length ? { kind: 'groups', groups } : { kind: 'none' });
          },
        }),
        h('span', null, group.title),
      ]))));
    controls.push(description(t('processDesigner.props.groupsHint')));
  }
  if (kind === 'expression') {
    const expression = stored.kind === 'expression' ? stored.expression : '';
    controls.push(textInput({ id: `${id}-expression`, value: expression, monospace: true, placeholder: '=reviewer', ariaLabel: t('processDesigner.assignee.expression'),
      onCommit: (value) => write(value.trim() ? { kind: 'expression', expression: value } : { kind: 'none' }) }));
  }
  const variable = requiredVariable({ kind } as AssigneeRule);
  if (variable) controls.push(description(t(`processDesigner.props.needs.${kind}`, { name: variable }), 'assignee-needs'));
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
      controls.push(h('ul', { class: 'opsflow-chosen', 'data-test': 'approvers-list' }, chosen.map((userId) => {
        const user = users.find((u) => u.id === userId);
        return h('li', { key: userId }, [
          h('span', null, user ? user.name : t('processDesigner.props.unknownUser')),
          button({ text: '×', test: 'remove-approver', onClick: () => {
            const rest = chosen.filter((u) => u !== userId);
            if (rest.length) write({ mode, ratio: stored.ratio, approvers: { kind: 'users', userIds: rest } });
            else opsflow.setApproval(element, { mode: 'single', ratio: stored.ratio, approvers: { kind: 'users', userIds: [] } });
          } }),
        ]);
      })));
      const addable = users.filter((u) => !chosen.includes(u.id));
      controls.push(select({ id: `${id}-add`, value: NONE, ariaLabel: t('processDesigner.props.addApprover'),
        options: [{ value: NONE, label: t('processDesigner.props.addApprover') }, ...addable.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))],
        onChange: (value) => value && write({ mode, ratio: stored.ratio, approvers: { kind: 'users', userIds: [...chosen, value] } }) }));
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
