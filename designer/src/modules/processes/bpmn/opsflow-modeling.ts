import { approvalPlan, type ApprovalSettings, type LoopPlan } from '../model/approval';
import { assigneeWrite, RULE_PROPERTY, type AssigneeRule, type AssignmentAttributes } from '../model/assignee';
import { dueDateExpression } from '../model/duration';
import type { TimerKind } from '../model/duration';
import {
  addExtensionCommands, attr, bodyOf, extensionCommands, formalExpression, getExtension, is, runCommands, updateModdle, updateProperties,
  type BpmnFactory, type Command, type CommandStack, type DiagramElement, type ElementFactory, type ModdleElement, type Modeling,
} from './util';

export type EscalationAction = 'notify' | 'reassign' | 'autoApprove';
export const ESCALATION_ACTIONS: readonly EscalationAction[] = ['notify', 'reassign', 'autoApprove'];

export interface EscalationRequest {
  host: DiagramElement;
  /** ISO 8601 duration after which the timer fires. */
  duration: string;
  action: EscalationAction;
  /** The task type that notifies (a plugin's, else `log`). */
  notifyType: string;
  names: { timer: string; notify: string; notified: string; reassign: string; autoApprove: string };
}

const ADD_ESCALATION = 'opsflow.escalation.add';
/** Runs groups of commands one after the other, each planned on what the previous one left, as one undo step. */
const STEPS = 'opsflow.steps';
type Step = () => Command[];

/**
 * Writes what Opsflow's properties entries decide into the diagram: every change is one command on the
 * command stack (several moddle updates bundled), so a single undo takes it back.
 */
export default class OpsflowModeling {
  static $inject = ['bpmnFactory', 'commandStack', 'modeling', 'elementFactory'];

  constructor(
    private readonly bpmnFactory: BpmnFactory,
    private readonly commandStack: CommandStack,
    private readonly modeling: Modeling,
    private readonly elementFactory: ElementFactory,
  ) {
    // diagram-js instantiates handlers itself: a class that hands the work back to this service
    const build = (request: EscalationRequest) => this.buildEscalation(request);
    class AddEscalationHandler {
      static $inject: string[] = [];
      preExecute(context: EscalationRequest): void {
        build(context);
      }
    }
    commandStack.registerHandler(ADD_ESCALATION, AddEscalationHandler);
    class StepsHandler {
      static $inject: string[] = [];
      preExecute(context: { steps: Step[] }): void {
        for (const step of context.steps) runCommands(commandStack, step());
      }
    }
    commandStack.registerHandler(STEPS, StepsHandler);
  }

  private runSteps(steps: Step[]): void {
    this.commandStack.execute(STEPS, { steps });
  }

  // ── zeebe:properties (Opsflow's own settings) ───────────────────────────

  /** A `zeebe:property` value; '' when it is there but empty, undefined when it is not there. */
  property(element: DiagramElement, name: string): string | undefined {
    const entry = this.propertyList(element).find((candidate) => candidate.get('name') === name);
    if (!entry) return undefined;
    const value = entry.get('value');
    return typeof value === 'string' ? value : '';
  }

  /** Sets (a string, '' included) or removes (undefined) properties; the container goes when it is left empty. */
  setProperties(element: DiagramElement, changes: Record<string, string | undefined>): void {
    runCommands(this.commandStack, this.propertyCommands(element, changes));
  }

  private propertyList(element: DiagramElement): ModdleElement[] {
    const list = getExtension(element.businessObject, 'zeebe:Properties')?.get('properties');
    return Array.isArray(list) ? (list as ModdleElement[]) : [];
  }

  private propertyCommands(element: DiagramElement, changes: Record<string, string | undefined>): Command[] {
    const current = this.propertyList(element);
    const unchanged = Object.entries(changes).every(([name, value]) => {
      const existing = current.find((entry) => entry.get('name') === name);
      return value === undefined ? !existing : existing !== undefined && (existing.get('value') ?? '') === value;
    });
    if (unchanged) return [];
    const kept = current.filter((entry) => !Object.hasOwn(changes, String(entry.get('name'))));
    const added = Object.entries(changes).filter((change): change is [string, string] => change[1] !== undefined)
      .map(([name, value]) => this.bpmnFactory.create('zeebe:Property', { name, value }));
    const properties = [...kept, ...added];
    const container = getExtension(element.businessObject, 'zeebe:Properties');
    if (container) {
      for (const entry of added) entry.$parent = container;
      if (properties.length) return [updateModdle(element, container, { properties })];
      return extensionCommands(element, 'zeebe:Properties', {}, this.bpmnFactory, { removeWhenEmpty: true });
    }
    const created = this.bpmnFactory.create('zeebe:Properties', { properties });
    for (const entry of properties) entry.$parent = created;
    return addExtensionCommands(element, created, this.bpmnFactory);
  }

  // ── user tasks ──────────────────────────────────────────────────────────

  formId(element: DiagramElement): string | undefined {
    const form = getExtension(element.businessObject, 'zeebe:FormDefinition');
    return attr(form, 'formId') ?? attr(form, 'formKey');
  }

  setForm(element: DiagramElement, formId: string | undefined): void {
    runCommands(this.commandStack, extensionCommands(element, 'zeebe:FormDefinition', { formId, formKey: undefined, externalReference: undefined }, this.bpmnFactory, { removeWhenEmpty: true }));
  }

  assignment(element: DiagramElement): Partial<AssignmentAttributes> {
    const definition = getExtension(element.businessObject, 'zeebe:AssignmentDefinition');
    return { assignee: attr(definition, 'assignee'), candidateGroups: attr(definition, 'candidateGroups'), candidateUsers: attr(definition, 'candidateUsers') };
  }

  private assignmentCommands(element: DiagramElement, attributes: AssignmentAttributes): Command[] {
    return extensionCommands(element, 'zeebe:AssignmentDefinition', { ...attributes }, this.bpmnFactory, { removeWhenEmpty: true });
  }

  /** The rule the org chart resolves (`opsflow:assigneeRule`), if any. */
  assigneeRule(element: DiagramElement): string | undefined {
    return this.property(element, RULE_PROPERTY);
  }

  /** Writes the assignment and the rule property in one undo step (Zeebe's attributes and Opsflow's rule never disagree). */
  setAssignee(element: DiagramElement, rule: AssigneeRule): void {
    const written = assigneeWrite(rule);
    this.runSteps([
      () => this.assignmentCommands(element, written.attributes),
      () => this.propertyCommands(element, { [RULE_PROPERTY]: written.rule }),
    ]);
  }

  loop(element: DiagramElement): Partial<LoopPlan> | null {
    const loop = element.businessObject.get('loopCharacteristics') as ModdleElement | undefined;
    if (!loop || !is(loop, 'bpmn:MultiInstanceLoopCharacteristics')) return null;
    const zeebe = getExtension(loop, 'zeebe:LoopCharacteristics');
    return {
      isSequential: loop.get('isSequential') === true,
      inputCollection: attr(zeebe, 'inputCollection'),
      inputElement: attr(zeebe, 'inputElement'),
      outputCollection: attr(zeebe, 'outputCollection'),
      outputElement: attr(zeebe, 'outputElement'),
      completionCondition: bodyOf(loop.get('completionCondition')),
    };
  }

  /** The approval mode: the multi-instance loop and, with a loop, each instance's assignee (`=approver`). */
  setApproval(element: DiagramElement, settings: ApprovalSettings): void {
    const plan = approvalPlan(settings);
    const bo = element.businessObject;
    const commands: Command[] = [];
    if (plan.loop) {
      const loop = this.bpmnFactory.create('bpmn:MultiInstanceLoopCharacteristics', { isSequential: plan.loop.isSequential });
      loop.$parent = bo;
      if (plan.loop.completionCondition) loop.set('completionCondition', formalExpression(this.bpmnFactory, plan.loop.completionCondition, loop));
      const extensionElements = this.bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
      extensionElements.$parent = loop;
      const zeebeAttributes = Object.fromEntries(Object.entries({
        inputCollection: plan.loop.inputCollection, inputElement: plan.loop.inputElement,
        outputCollection: plan.loop.outputCollection, outputElement: plan.loop.outputElement,
      }).filter(([, value]) => value !== undefined));
      const zeebeLoop = this.bpmnFactory.create('zeebe:LoopCharacteristics', zeebeAttributes);
      zeebeLoop.$parent = extensionElements;
      extensionElements.set('values', [zeebeLoop]);
      loop.set('extensionElements', extensionElements);
      commands.push(updateModdle(element, bo, { loopCharacteristics: loop }));
      commands.push(...this.assignmentCommands(element, { assignee: plan.assignee, candidateGroups: undefined, candidateUsers: undefined }));
    } else if (bo.get('loopCharacteristics')) {
      commands.push(updateModdle(element, bo, { loopCharacteristics: undefined }));
      if (this.assignment(element).assignee === '=approver') {
        commands.push(...this.assignmentCommands(element, { assignee: undefined, candidateGroups: undefined, candidateUsers: undefined }));
      }
    }
    runCommands(this.commandStack, commands);
  }

  dueDate(element: DiagramElement): string | undefined {
    return attr(getExtension(element.businessObject, 'zeebe:TaskSchedule'), 'dueDate');
  }

  /** `iso` is a duration from the moment the task is created ('' removes the due date). */
  setDueDate(element: DiagramElement, iso: string): void {
    const followUpDate = attr(getExtension(element.businessObject, 'zeebe:TaskSchedule'), 'followUpDate');
    runCommands(this.commandStack, extensionCommands(element, 'zeebe:TaskSchedule', { dueDate: dueDateExpression(iso) || undefined, followUpDate }, this.bpmnFactory, { removeWhenEmpty: true }));
  }

  /** Adds a boundary timer to a task and the path it leads to, as one command. */
  addEscalation(request: EscalationRequest): void {
    this.commandStack.execute(ADD_ESCALATION, request);
  }

  private buildEscalation(request: EscalationRequest): void {
    const { host, duration, action, names } = request;
    const successor = host.outgoing?.find((flow) => flow.target)?.target;
    const timer = this.elementFactory.createShape({
      type: 'bpmn:BoundaryEvent', eventDefinitionType: 'bpmn:TimerEventDefinition', cancelActivity: action !== 'notify',
    });
    const boundaries = (host.attachers ?? []).length;
    const position = { x: (host.x ?? 0) + (host.width ?? 100) - 18 - boundaries * 40, y: (host.y ?? 0) + (host.height ?? 80) };
    const boundary = this.modeling.createShape(timer, position, host, { attach: true });
    this.modeling.updateProperties(boundary, { name: names.timer });
    this.setTimer(boundary, 'duration', duration);
    // well below the host, where the main path's own branches rarely go
    const below = { x: position.x + 60, y: position.y + 170 };
    if (action === 'notify') {
      const notify = this.modeling.appendShape(boundary, { type: 'bpmn:ServiceTask' }, below);
      this.modeling.updateProperties(notify, { name: names.notify });
      this.setTaskType(notify, request.notifyType);
      // both the built-in notify type and the log fallback take a message
      if (request.notifyType === 'log' || request.notifyType === 'notify') this.setInput(notify, 'message', `=${JSON.stringify(names.timer)}`);
      const end = this.modeling.appendShape(notify, { type: 'bpmn:EndEvent' }, { x: below.x + 150, y: below.y });
      this.modeling.updateProperties(end, { name: names.notified });
      return;
    }
    const task = action === 'reassign'
      ? this.modeling.appendShape(boundary, { type: 'bpmn:UserTask' }, below)
      : this.modeling.appendShape(boundary, { type: 'bpmn:ServiceTask' }, below);
    if (action === 'reassign') {
      this.modeling.updateProperties(task, { name: names.reassign });
      const form = this.formId(host);
      if (form) this.setForm(task, form);
      this.setAssignee(task, { kind: 'initiatorManager', levels: 1 });
    } else {
      this.modeling.updateProperties(task, { name: names.autoApprove });
      this.setTaskType(task, 'set-variables');
      this.setInput(task, 'variables', '={approved: true}');
    }
    if (successor) this.modeling.connect(task, successor);
    else this.modeling.appendShape(task, { type: 'bpmn:EndEvent' }, { x: below.x + 150, y: below.y });
  }

  // ── flows ───────────────────────────────────────────────────────────────

  condition(flow: DiagramElement): string | undefined {
    return bodyOf(flow.businessObject.get('conditionExpression'));
  }

  isDefault(flow: DiagramElement): boolean {
    return flow.source?.businessObject.get('default') === flow.businessObject;
  }

  setCondition(flow: DiagramElement, feel: string): void {
    const commands: Command[] = [];
    const expression = feel.trim() ? formalExpression(this.bpmnFactory, feel.trim(), flow.businessObject) : undefined;
    if (expression && this.isDefault(flow) && flow.source) commands.push(updateProperties(flow.source, { default: undefined }));
    commands.push(updateProperties(flow, { conditionExpression: expression }));
    runCommands(this.commandStack, commands);
  }

  setDefault(flow: DiagramElement, isDefault: boolean): void {
    if (!flow.source) return;
    const commands: Command[] = [];
    if (isDefault && flow.businessObject.get('conditionExpression')) commands.push(updateProperties(flow, { conditionExpression: undefined }));
    commands.push(updateProperties(flow.source, { default: isDefault ? flow.businessObject : undefined }));
    runCommands(this.commandStack, commands);
  }

  // ── service tasks ───────────────────────────────────────────────────────

  taskType(element: DiagramElement): string | undefined {
    return attr(getExtension(element.businessObject, 'zeebe:TaskDefinition'), 'type');
  }

  setTaskType(element: DiagramElement, type: string | undefined): void {
    const retries = attr(getExtension(element.businessObject, 'zeebe:TaskDefinition'), 'retries');
    runCommands(this.commandStack, extensionCommands(element, 'zeebe:TaskDefinition', { type, retries: type ? retries : undefined }, this.bpmnFactory, { removeWhenEmpty: true }));
  }

  retries(element: DiagramElement): string | undefined {
    return attr(getExtension(element.businessObject, 'zeebe:TaskDefinition'), 'retries');
  }

  /** How often a failing call is tried before an incident waits for an admin ('' = the default, 3). */
  setRetries(element: DiagramElement, retries: string): void {
    const type = this.taskType(element);
    if (!type) return;
    runCommands(this.commandStack, extensionCommands(element, 'zeebe:TaskDefinition', { type, retries: retries || undefined }, this.bpmnFactory));
  }

  inputs(element: DiagramElement): Map<string, string> {
    const mapping = getExtension(element.businessObject, 'zeebe:IoMapping');
    const parameters = (mapping?.get('inputParameters') as ModdleElement[] | undefined) ?? [];
    return new Map(parameters.map((input) => [attr(input, 'target') ?? '', attr(input, 'source') ?? '']));
  }

  /** Sets (or with `undefined` removes) the input mapping to `target`. */
  setInput(element: DiagramElement, target: string, source: string | undefined): void {
    const bo = element.businessObject;
    const mapping = getExtension(bo, 'zeebe:IoMapping');
    const parameters = (mapping?.get('inputParameters') as ModdleElement[] | undefined) ?? [];
    const existing = parameters.find((input) => attr(input, 'target') === target);
    const commands: Command[] = [];
    if (existing && mapping) {
      commands.push(source === undefined
        ? updateModdle(element, mapping, { inputParameters: parameters.filter((input) => input !== existing) })
        : updateModdle(element, existing, { source }));
    } else if (source !== undefined) {
      const input = this.bpmnFactory.create('zeebe:Input', { source, target });
      if (mapping) {
        input.$parent = mapping;
        commands.push(updateModdle(element, mapping, { inputParameters: [...parameters, input] }));
      } else {
        commands.push(...extensionCommands(element, 'zeebe:IoMapping', { inputParameters: [input] }, this.bpmnFactory));
      }
    }
    runCommands(this.commandStack, commands);
    // the mapping created above only exists once the commands ran
    const created = getExtension(bo, 'zeebe:IoMapping');
    for (const input of (created?.get('inputParameters') as ModdleElement[] | undefined) ?? []) input.$parent = created;
  }

  // ── timers ──────────────────────────────────────────────────────────────

  private timerDefinition(element: DiagramElement): ModdleElement | undefined {
    const definitions = (element.businessObject.get('eventDefinitions') as ModdleElement[] | undefined) ?? [];
    return definitions.find((definition) => is(definition, 'bpmn:TimerEventDefinition'));
  }

  isTimer(element: DiagramElement): boolean {
    return this.timerDefinition(element) !== undefined;
  }

  timer(element: DiagramElement): { kind: TimerKind; value: string } | null {
    const definition = this.timerDefinition(element);
    if (!definition) return null;
    for (const [kind, key] of [['duration', 'timeDuration'], ['date', 'timeDate'], ['cycle', 'timeCycle']] as const) {
      const value = bodyOf(definition.get(key));
      if (value !== undefined) return { kind, value };
    }
    return null;
  }

  setTimer(element: DiagramElement, kind: TimerKind, value: string): void {
    const definition = this.timerDefinition(element);
    if (!definition) return;
    const key = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' }[kind];
    const properties: Record<string, unknown> = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
    properties[key] = value ? formalExpression(this.bpmnFactory, value, definition) : undefined;
    runCommands(this.commandStack, [updateModdle(element, definition, properties)]);
  }
}
