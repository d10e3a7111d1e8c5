import { Group } from '@bpmn-io/properties-panel';
import type { FunctionComponent } from '@bpmn-io/properties-panel/preact';
import OpsflowModeling from '../opsflow-modeling';
import type { OpsflowCatalog } from '../catalog';
import { is, type DiagramElement } from '../util';
import { ConditionEntry, DefaultFlowEntry } from './flow-entries';
import { TaskInputsEntry, TaskTypeEntry } from './service-task-entries';
import { TimerEntry } from './timer-entries';
import { ApprovalEntry, AssigneeEntry, CcEntry, DueDateEntry, EditableFieldsEntry, EscalationEntry, FormEntry } from './user-task-entries';

interface PanelGroup {
  id: string;
  label: string;
  component: unknown;
  entries: { id: string; component: FunctionComponent<never>; element: DiagramElement }[];
}

/** Zeebe groups for features the Opsflow engine does not run: hidden so no one configures them in vain. */
const UNSUPPORTED = new Set(['Zeebe__ExecutionListeners', 'Zeebe__TaskListeners', 'userTaskImplementation']);
/** After the Zeebe provider (500), so its groups can be replaced. */
const PRIORITY = 400;

/**
 * Opsflow's own properties: forms (and the fields a step may change), assignees with their fallback, CC lists, approval modes, due dates and escalations of user tasks; conditions
 * and default paths of flows; plugin task types and their inputs; timers. Replaces the Zeebe groups that edit the
 * same attributes as raw text.
 */
export class OpsflowPropertiesProvider {
  static $inject = ['propertiesPanel', 'opsflowCatalog'];

  constructor(propertiesPanel: { registerProvider(priority: number, provider: unknown): void }, private readonly catalog: OpsflowCatalog) {
    propertiesPanel.registerProvider(PRIORITY, this);
  }

  getGroups(element: DiagramElement): (groups: PanelGroup[]) => PanelGroup[] {
    return (groups) => {
      const { replaces, added } = this.groupsFor(element);
      const kept = groups.filter((group) => !UNSUPPORTED.has(group.id) && !replaces.includes(group.id));
      const general = kept.findIndex((group) => group.id === 'general');
      kept.splice(general + 1, 0, ...added);
      return kept;
    };
  }

  private group(id: string, labelKey: string, element: DiagramElement, entries: [string, FunctionComponent<never>][]): PanelGroup {
    return { id, label: this.catalog.t(labelKey), component: Group, entries: entries.map(([entryId, component]) => ({ id: entryId, component, element })) };
  }

  private groupsFor(element: DiagramElement): { replaces: string[]; added: PanelGroup[] } {
    const c = <P>(component: FunctionComponent<P>) => component as unknown as FunctionComponent<never>;
    if (is(element, 'bpmn:UserTask')) {
      return {
        replaces: ['form', 'assignmentDefinition', 'multiInstance'],
        added: [
          this.group('opsflow-form-group', 'processDesigner.groups.form', element, [['opsflow-form', c(FormEntry)], ['opsflow-editable', c(EditableFieldsEntry)]]),
          this.group('opsflow-assignee-group', 'processDesigner.groups.assignee', element, [['opsflow-assignee', c(AssigneeEntry)]]),
          this.group('opsflow-cc-group', 'processDesigner.groups.cc', element, [['opsflow-cc', c(CcEntry)]]),
          this.group('opsflow-approval-group', 'processDesigner.groups.approval', element, [['opsflow-approval', c(ApprovalEntry)]]),
          this.group('opsflow-due-group', 'processDesigner.groups.due', element, [['opsflow-due', c(DueDateEntry)]]),
          this.group('opsflow-escalation-group', 'processDesigner.groups.escalation', element, [['opsflow-escalation', c(EscalationEntry)]]),
        ],
      };
    }
    if (is(element, 'bpmn:ServiceTask') || is(element, 'bpmn:SendTask')) {
      return {
        replaces: ['taskDefinition', 'inputs'],
        added: [
          this.group('opsflow-task-type-group', 'processDesigner.groups.taskType', element, [['opsflow-task-type', c(TaskTypeEntry)]]),
          this.group('opsflow-inputs-group', 'processDesigner.groups.inputs', element, [['opsflow-inputs', c(TaskInputsEntry)]]),
        ],
      };
    }
    if (is(element, 'bpmn:SequenceFlow') && this.isConditional(element)) {
      return {
        replaces: ['condition'],
        added: [this.group('opsflow-condition-group', 'processDesigner.groups.condition', element, [
          ['opsflow-default-flow', c(DefaultFlowEntry)], ['opsflow-condition', c(ConditionEntry)],
        ])],
      };
    }
    const definitions = (element.businessObject?.get?.('eventDefinitions') as { $type: string }[] | undefined) ?? [];
    if (definitions.some((definition) => definition.$type === 'bpmn:TimerEventDefinition')) {
      return { replaces: ['timer'], added: [this.group('opsflow-timer-group', 'processDesigner.groups.timer', element, [['opsflow-timer', c(TimerEntry)]])] };
    }
    return { replaces: [], added: [] };
  }

  /** Flows leaving an exclusive or inclusive gateway (or already carrying a condition) take conditions. */
  private isConditional(flow: DiagramElement): boolean {
    const source = flow.source;
    return is(source, 'bpmn:ExclusiveGateway') || is(source, 'bpmn:InclusiveGateway') || !!flow.businessObject.get('conditionExpression');
  }
}

export default {
  __init__: ['opsflowPropertiesProvider', 'opsflowModeling'],
  opsflowPropertiesProvider: ['type', OpsflowPropertiesProvider],
  opsflowModeling: ['type', OpsflowModeling],
};
