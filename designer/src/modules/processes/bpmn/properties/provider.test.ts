import { describe, expect, it, vi } from 'vitest';
import type { OpsflowCatalog } from '../catalog';
import type { DiagramElement, ModdleElement } from '../util';
import { OpsflowPropertiesProvider } from './index';

// The entries are preact components over bpmn-js; here only which groups an element gets matters.
vi.mock('@bpmn-io/properties-panel', () => ({ Group: 'Group' }));
vi.mock('../opsflow-modeling', () => ({ default: class {} }));
vi.mock('./user-task-entries', () => ({ FormEntry: 0, EditableFieldsEntry: 0, AssigneeEntry: 0, CcEntry: 0, ApprovalEntry: 0, DueDateEntry: 0, EscalationEntry: 0 }));
vi.mock('./flow-entries', () => ({ ConditionEntry: 0, DefaultFlowEntry: 0 }));
vi.mock('./service-task-entries', () => ({ TaskTypeEntry: 0, TaskInputsEntry: 0 }));
vi.mock('./timer-entries', () => ({ TimerEntry: 0 }));

// A business object that answers $instanceOf for its type and the BPMN supertypes the provider asks about.
const SUPERTYPES: Record<string, string[]> = {
  'bpmn:UserTask': ['bpmn:Task', 'bpmn:Activity'],
  'bpmn:ServiceTask': ['bpmn:Task', 'bpmn:Activity'],
  'bpmn:ExclusiveGateway': ['bpmn:Gateway'],
  'bpmn:BoundaryEvent': ['bpmn:Event'],
  'bpmn:SequenceFlow': [],
};

function element(type: string, props: Record<string, unknown> = {}, extra: Partial<DiagramElement> = {}): DiagramElement {
  const bo = {
    $type: type,
    ...props,
    get: (name: string) => props[name],
    set: () => undefined,
    $instanceOf: (candidate: string) => candidate === type || (SUPERTYPES[type] ?? []).includes(candidate),
  } as unknown as ModdleElement;
  return { id: `${type}_1`, type, businessObject: bo, ...extra };
}

const catalog = { t: (key: string) => key } as unknown as OpsflowCatalog;
let registered: { getGroups(element: DiagramElement): (groups: { id: string }[]) => { id: string }[] } | null = null;
const provider = new OpsflowPropertiesProvider({ registerProvider: (_, p) => (registered = p as typeof registered) }, catalog);
const zeebeGroups = (...ids: string[]) => ids.map((id) => ({ id, label: id, component: null, entries: [] }));
const groupsFor = (target: DiagramElement, existing: string[]) =>
  provider.getGroups(target)(zeebeGroups(...existing) as never).map((group) => group.id);

describe('Opsflow properties provider', () => {
  it('registers itself after the Zeebe provider', () => {
    expect(registered).toBe(provider);
  });

  it('gives user tasks form, assignee, CC, approval, due date and escalation instead of the raw Zeebe groups', () => {
    const ids = groupsFor(element('bpmn:UserTask'), ['general', 'form', 'assignmentDefinition', 'multiInstance', 'Zeebe__TaskListeners', 'inputs']);
    expect(ids).toEqual([
      'general', 'opsflow-form-group', 'opsflow-assignee-group', 'opsflow-cc-group', 'opsflow-approval-group', 'opsflow-due-group', 'opsflow-escalation-group',
      'inputs',
    ]);
  });

  it('gives service tasks the plugin task type and its inputs', () => {
    expect(groupsFor(element('bpmn:ServiceTask'), ['general', 'taskDefinition', 'inputs', 'outputs', 'Zeebe__ExecutionListeners']))
      .toEqual(['general', 'opsflow-task-type-group', 'opsflow-inputs-group', 'outputs']);
  });

  it('gives flows leaving a gateway the condition builder and the default path', () => {
    const gateway = element('bpmn:ExclusiveGateway');
    const flow = element('bpmn:SequenceFlow', {}, { source: gateway });
    expect(groupsFor(flow, ['general', 'condition'])).toEqual(['general', 'opsflow-condition-group']);
    const plain = element('bpmn:SequenceFlow', {}, { source: element('bpmn:UserTask') });
    expect(groupsFor(plain, ['general'])).toEqual(['general']);
  });

  it('gives timer events the timer pickers', () => {
    const timer = element('bpmn:BoundaryEvent', { eventDefinitions: [{ $type: 'bpmn:TimerEventDefinition' }] });
    expect(groupsFor(timer, ['general', 'timer'])).toEqual(['general', 'opsflow-timer-group']);
  });
});
