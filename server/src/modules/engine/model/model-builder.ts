import { createRequire } from 'node:module';
import { BpmnModdle, type ModdleObject } from 'bpmn-moddle';
import { FeelError, FeelExpression, FeelValue } from '../../../core/feel/feel-expression.js';
import {
  type AssigneeFallback, type AssigneeRule, type ElementKind, type EventTrigger, type FlowElement, type JobDefinition, type Mapping, type MultiInstance,
  PROCESS_SCOPE, type ProcessModel, type SequenceFlow, type UserTaskDefinition,
} from './process-model.js';
import { checkTimerLiteral, type TimerDefinition } from './timer-definition.js';

const zeebeSchema: unknown = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json');

/** One reason a process cannot be deployed, with the element it concerns. */
export interface ModelProblem {
  elementId: string | null;
  code: string;
  message: string;
}

export interface CompiledProcess {
  model: ProcessModel | null;
  problems: ModelProblem[];
  /** Forms user tasks refer to, checked against the tenant's forms by the caller. */
  formRefs: { elementId: string; formId: string }[];
  /** Literal service-task types, checked against the plugin registry by the caller. */
  taskTypes: { elementId: string; type: string }[];
}

const KINDS: Record<string, ElementKind> = {
  'bpmn:StartEvent': 'startEvent', 'bpmn:EndEvent': 'endEvent', 'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent', 'bpmn:BoundaryEvent': 'boundaryEvent', 'bpmn:Task': 'task',
  'bpmn:ManualTask': 'manualTask', 'bpmn:UserTask': 'userTask', 'bpmn:ServiceTask': 'serviceTask', 'bpmn:SendTask': 'sendTask',
  'bpmn:ReceiveTask': 'receiveTask', 'bpmn:ScriptTask': 'scriptTask', 'bpmn:BusinessRuleTask': 'businessRuleTask',
  'bpmn:ExclusiveGateway': 'exclusiveGateway', 'bpmn:ParallelGateway': 'parallelGateway', 'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway', 'bpmn:SubProcess': 'subProcess', 'bpmn:CallActivity': 'callActivity',
};

/** Elements that carry no behaviour (data, annotations, groups) and are skipped. */
const IGNORED = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference', 'bpmn:SequenceFlow']);

const FORBIDDEN_XML = /<!DOCTYPE|<!ENTITY/i;
const MAX_RETRIES = 100;

function str(element: ModdleObject | undefined, key: string): string | null {
  const value = element?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function list(element: ModdleObject | undefined, key: string): ModdleObject[] {
  const value = element?.[key];
  return Array.isArray(value) ? (value as ModdleObject[]) : [];
}

function ref(element: ModdleObject | undefined, key: string): ModdleObject | undefined {
  const value = element?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as ModdleObject) : undefined;
}

function extension(element: ModdleObject | undefined, type: string): ModdleObject | undefined {
  return list(ref(element, 'extensionElements'), 'values').find((value) => value.$type === type);
}

/** A `zeebe:property` value: Opsflow's own settings travel there so other Zeebe tools keep them. */
function property(element: ModdleObject | undefined, name: string, keepEmpty = false): string | null {
  const found = list(extension(element, 'zeebe:Properties'), 'properties').find((entry) => entry.name === name);
  if (keepEmpty && found) return typeof found.value === 'string' ? found.value : '';
  return str(found, 'value');
}

/** `a, b` → [a, b]; an empty value is an empty list (nothing editable), a missing one null. */
function fieldList(text: string | null): string[] | null {
  if (text === null) return null;
  return [...new Set(text.split(',').map((name) => name.trim()).filter(Boolean))];
}

/** A variable name a rule may read (a form field's key). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function human(type: string): string {
  return type.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** How messages name an element: its name on one line (modellers wrap names), else its id. */
function labelOf(name: unknown, id: string): string {
  const oneLine = typeof name === 'string' ? name.replace(/\s+/g, ' ').trim() : '';
  return oneLine || id || '?';
}

function label(node: ModdleObject): string {
  return labelOf(node.name, node.id ?? '');
}

/** moddle reports a repeated id as a warning and drops the second element: that must not deploy silently. */
const DUPLICATE_ID = /unparsable content <([^>]+)>[\s\S]*duplicate ID <([^>]+)>/;
const FEEL_LANGUAGE = /feel/i;

/**
 * Compiles BPMN 2.0 XML into the engine's model, collecting every problem (with its element id)
 * instead of stopping at the first, so the designer can show them all on the diagram.
 */
export async function compileProcess(xml: string): Promise<CompiledProcess> {
  const result: CompiledProcess = { model: null, problems: [], formRefs: [], taskTypes: [] };
  const problem = (elementId: string | null, code: string, message: string): void => {
    result.problems.push({ elementId, code, message });
  };
  if (FORBIDDEN_XML.test(xml)) {
    problem(null, 'xml_forbidden', 'The file declares a DOCTYPE or entities, which Opsflow refuses (they can read files or expand without end)');
    return result;
  }
  let definitions: ModdleObject;
  try {
    const parsed = await BpmnModdle({ zeebe: zeebeSchema }).fromXML(xml, 'bpmn:Definitions');
    definitions = parsed.rootElement;
    for (const warning of parsed.warnings) {
      const duplicate = DUPLICATE_ID.exec(warning.message);
      if (duplicate) {
        const [, tag, id] = duplicate;
        problem(id, 'duplicate_id', `Several elements use the id "${id}" (one of them ${withArticle(human(tag.replace(/^\w+:/, '')))}); every id in the file must be unique`);
      }
    }
  } catch (error) {
    problem(null, 'xml_invalid', `The file is not BPMN 2.0 XML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return result;
  }
  const processes = list(definitions, 'rootElements').filter((element) => element.$type === 'bpmn:Process');
  const executable = processes.filter((process) => process.isExecutable === true);
  if (processes.length === 0) {
    problem(null, 'no_process', 'The file contains no process');
    return result;
  }
  if (executable.length === 0) {
    problem(processes[0].id ?? null, 'not_executable', 'No process in the file is marked executable (isExecutable="true")');
    return result;
  }
  if (executable.length > 1) {
    problem(executable[1].id ?? null, 'several_executable_processes', 'Only one process per file may be executable; mark the others as not executable');
    return result;
  }
  const process = executable[0];
  // The BPMN default is XPath; only a language the file states itself explains a condition that is not FEEL.
  const expressionLanguage = Object.hasOwn(definitions, 'expressionLanguage') ? str(definitions, 'expressionLanguage') : null;
  const builder = new ModelBuilder(result, problem, expressionLanguage);
  result.model = builder.build(process);
  if (result.problems.length > 0) result.model = null;
  return result;
}

class ModelBuilder {
  private readonly elements = new Map<string, FlowElement>();
  private readonly flows = new Map<string, SequenceFlow>();
  private readonly startEvents = new Map<string, string[]>();
  /** Flows whose condition is there but does not parse (reported once, as feel_syntax). */
  private readonly unparsedConditions = new Set<string>();
  /** Events whose trigger was already refused: checks that assume a plain event would only repeat the problem. */
  private readonly refusedTriggers = new Set<string>();

  constructor(
    private readonly result: CompiledProcess,
    private readonly problem: (elementId: string | null, code: string, message: string) => void,
    private readonly expressionLanguage: string | null,
  ) {}

  build(process: ModdleObject): ProcessModel {
    const processId = process.id ?? 'process';
    this.collect(process, PROCESS_SCOPE);
    for (const element of this.elements.values()) this.checkElement(element);
    const processStarts = this.startEvents.get(PROCESS_SCOPE) ?? [];
    const noneStarts = processStarts.filter((id) => this.elements.get(id)!.trigger.kind === 'none' && !this.refusedTriggers.has(id));
    if (processStarts.length === 0) this.problem(processId, 'no_start_event', 'The process has no start event');
    if (noneStarts.length > 1) this.problem(noneStarts[1], 'several_none_start_events', 'A process may have one plain start event');
    return {
      bpmnProcessId: processId,
      name: str(process, 'name'),
      elements: this.elements,
      flows: this.flows,
      noneStartEventId: noneStarts[0] ?? null,
      eventStartIds: processStarts.filter((id) => this.elements.get(id)!.trigger.kind !== 'none'),
      inclusiveJoinSources: this.inclusiveJoinSources(),
    };
  }

  private feel(elementId: string, what: string, raw: string | null): FeelValue | null {
    if (raw === null) return null;
    try {
      return FeelValue.parse(raw);
    } catch (error) {
      this.problem(elementId, 'feel_syntax', `${what}: ${error instanceof FeelError ? error.message : String(error)}`);
      return null;
    }
  }

  private expression(elementId: string, what: string, raw: string | null): FeelExpression | null {
    if (raw === null) return null;
    const text = raw.trim().startsWith('=') ? raw.trim().slice(1) : raw.trim();
    try {
      return FeelExpression.compile(text);
    } catch (error) {
      this.problem(elementId, 'feel_syntax', `${what}: ${error instanceof FeelError ? error.message : String(error)}`);
      return null;
    }
  }

  private collect(container: ModdleObject, scopeId: string): void {
    const children = list(container, 'flowElements');
    for (const child of children) {
      if (child.$type === 'bpmn:SequenceFlow') this.addFlow(child);
    }
    for (const child of children) {
      if (IGNORED.has(child.$type)) continue;
      const id = child.id ?? '';
      const kind = KINDS[child.$type];
      if (!kind) {
        this.problem(id, 'unsupported_element', `${label(child)}: ${withArticle(human(child.$type))} is not supported by the Opsflow engine`);
        continue;
      }
      if (child.$type === 'bpmn:SubProcess' && (child.triggeredByEvent === true)) {
        this.problem(id, 'unsupported_element', `${label(child)}: event subprocesses are not supported yet; use boundary events`);
        continue;
      }
      if (child.isForCompensation === true) {
        this.problem(id, 'unsupported_element', `${label(child)}: compensation handlers are not supported by the Opsflow engine`);
        continue;
      }
      const element = this.element(child, kind, scopeId);
      this.elements.set(id, element);
      if (kind === 'startEvent') this.startEvents.set(scopeId, [...(this.startEvents.get(scopeId) ?? []), id]);
      if (kind === 'subProcess') this.collect(child, id);
    }
  }

  private addFlow(flow: ModdleObject): void {
    const id = flow.id ?? '';
    const source = ref(flow, 'sourceRef');
    const target = ref(flow, 'targetRef');
    const conditionExpression = ref(flow, 'conditionExpression');
    const conditionBody = str(conditionExpression, 'body');
    const condition = this.expression(id, this.conditionLabel(conditionExpression, conditionBody), conditionBody);
    if (conditionBody !== null && !condition) this.unparsedConditions.add(id);
    this.flows.set(id, { id, name: str(flow, 'name'), sourceId: source?.id ?? '', targetId: target?.id ?? '', condition });
  }

  /** What a condition's parse error is introduced with: a hint when the file says it is written in another language. */
  private conditionLabel(condition: ModdleObject | undefined, body: string | null): string {
    if (body === null) return 'Condition';
    const language = /^\s*[$#]\{[\s\S]*\}\s*$/.test(body) ? 'JUEL (${...})' : str(condition, 'language') ?? this.expressionLanguage;
    if (!language || FEEL_LANGUAGE.test(language)) return 'Condition';
    return `Condition (written in ${language}; Opsflow conditions are FEEL expressions such as =amount > 100)`;
  }

  private element(node: ModdleObject, kind: ElementKind, scopeId: string): FlowElement {
    const id = node.id ?? '';
    const element: FlowElement = {
      id, name: str(node, 'name'), kind, scopeId,
      incoming: list(node, 'incoming').map((flow) => flow.id ?? ''),
      outgoing: list(node, 'outgoing').map((flow) => flow.id ?? ''),
      defaultFlow: ref(node, 'default')?.id ?? null,
      trigger: this.trigger(node, kind),
      inputs: [], outputs: [], multiInstance: null, userTask: null, job: null, script: null, callActivity: null,
      attachedTo: ref(node, 'attachedToRef')?.id ?? null,
      cancelActivity: node.cancelActivity !== false,
      boundaryEvents: [],
      startEventId: null,
    };
    // moddle lists incoming/outgoing from the XML; flows drawn without them are recovered from the flows.
    for (const flow of this.flows.values()) {
      if (flow.sourceId === id && !element.outgoing.includes(flow.id)) element.outgoing.push(flow.id);
      if (flow.targetId === id && !element.incoming.includes(flow.id)) element.incoming.push(flow.id);
    }
    const io = extension(node, 'zeebe:IoMapping');
    element.inputs = this.mappings(id, list(io, 'inputParameters'));
    element.outputs = this.mappings(id, list(io, 'outputParameters'));
    element.multiInstance = this.multiInstance(node);
    if (kind === 'userTask') element.userTask = this.userTask(node);
    element.job = this.job(node, kind);
    element.script = this.script(node, kind);
    if (kind === 'callActivity') {
      const called = extension(node, 'zeebe:CalledElement');
      const processId = this.feel(id, 'Called process', str(called, 'processId'));
      if (!processId) this.problem(id, 'missing_called_process', `${label(node)}: choose the process the call activity starts`);
      else element.callActivity = { processId, propagateAllChildVariables: called?.propagateAllChildVariables !== false };
    }
    return element;
  }

  private mappings(elementId: string, parameters: ModdleObject[]): Mapping[] {
    const mappings: Mapping[] = [];
    for (const parameter of parameters) {
      const target = str(parameter, 'target');
      const source = this.feel(elementId, `Mapping to ${target ?? '?'}`, str(parameter, 'source') ?? '=null');
      if (!target) this.problem(elementId, 'mapping_invalid', 'A variable mapping has no target name');
      else if (source) mappings.push({ source, target });
    }
    return mappings;
  }

  private trigger(node: ModdleObject, kind: ElementKind): EventTrigger {
    const id = node.id ?? '';
    if (kind === 'receiveTask') return this.messageTrigger(node, ref(node, 'messageRef'), kind);
    const definitions = list(node, 'eventDefinitions');
    if (definitions.length === 0) return { kind: 'none' };
    if (definitions.length > 1) {
      this.problem(id, 'unsupported_element', `${label(node)}: events with several triggers are not supported`);
      this.refusedTriggers.add(id);
      return { kind: 'none' };
    }
    const definition = definitions[0];
    switch (definition.$type) {
      case 'bpmn:TimerEventDefinition': {
        const timer = this.timer(node, definition);
        if (!timer) this.refusedTriggers.add(id);
        return timer ? { kind: 'timer', timer } : { kind: 'none' };
      }
      case 'bpmn:MessageEventDefinition':
        return this.messageTrigger(node, ref(definition, 'messageRef'), kind);
      case 'bpmn:ErrorEventDefinition':
        return { kind: 'error', errorCode: str(ref(definition, 'errorRef'), 'errorCode') };
      case 'bpmn:TerminateEventDefinition':
        return { kind: 'terminate' };
      default:
        this.problem(id, 'unsupported_element', `${label(node)}: ${human(definition.$type).replace(' event definition', '')} events are not supported by the Opsflow engine`);
        this.refusedTriggers.add(id);
        return { kind: 'none' };
    }
  }

  private messageTrigger(node: ModdleObject, message: ModdleObject | undefined, kind: ElementKind): EventTrigger {
    const id = node.id ?? '';
    const messageName = str(message, 'name');
    const sends = kind === 'intermediateThrowEvent' || kind === 'endEvent';
    if (!messageName) {
      this.problem(id, 'missing_message', `${label(node)}: choose the message (with a name) the ${kind === 'receiveTask' ? 'task waits for' : sends ? 'event sends' : 'event waits for'}`);
    }
    const correlation = str(extension(message, 'zeebe:Subscription'), 'correlationKey');
    const waits = kind !== 'startEvent' && !sends;
    if (waits && !correlation) {
      this.problem(id, 'missing_correlation_key', `${label(node)}: the message needs a correlation key (zeebe:subscription)`);
    }
    return { kind: 'message', messageName: messageName ?? '', correlationKey: this.feel(id, 'Correlation key', correlation) };
  }

  private timer(node: ModdleObject, definition: ModdleObject): TimerDefinition | null {
    const elementId = node.id ?? '';
    const entries: [TimerDefinition['kind'], string][] = [['duration', 'timeDuration'], ['date', 'timeDate'], ['cycle', 'timeCycle']];
    for (const [kind, key] of entries) {
      const body = str(ref(definition, key), 'body');
      if (body === null) continue;
      const value = this.feel(elementId, 'Timer', body);
      if (!value) return null;
      const timer = { kind, value };
      const invalid = checkTimerLiteral(timer);
      if (invalid) this.problem(elementId, 'timer_invalid', `${label(node)}: ${invalid}`);
      return timer;
    }
    this.problem(elementId, 'timer_invalid', `${label(node)}: the timer has no duration, date or cycle`);
    return null;
  }

  private multiInstance(node: ModdleObject): MultiInstance | null {
    const loop = ref(node, 'loopCharacteristics');
    if (!loop) return null;
    const id = node.id ?? '';
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      this.problem(id, 'unsupported_element', `${label(node)}: standard loops are not supported; use multi-instance`);
      return null;
    }
    const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
    const inputCollection = this.feel(id, 'Input collection', str(zeebe, 'inputCollection'));
    if (!inputCollection) {
      this.problem(id, 'missing_input_collection', `${label(node)}: a multi-instance activity needs an input collection (for example =approvers)`);
      return null;
    }
    return {
      sequential: loop.isSequential === true,
      inputCollection,
      inputElement: str(zeebe, 'inputElement'),
      outputCollection: str(zeebe, 'outputCollection'),
      outputElement: this.feel(id, 'Output element', str(zeebe, 'outputElement')),
      completionCondition: this.expression(id, 'Completion condition', str(ref(loop, 'completionCondition'), 'body')),
    };
  }

  private userTask(node: ModdleObject): UserTaskDefinition {
    const id = node.id ?? '';
    const assignment = extension(node, 'zeebe:AssignmentDefinition');
    const schedule = extension(node, 'zeebe:TaskSchedule');
    const form = extension(node, 'zeebe:FormDefinition');
    const formId = str(form, 'formId') ?? str(form, 'formKey');
    if (formId) this.result.formRefs.push({ elementId: id, formId });
    return {
      assignee: this.feel(id, 'Assignee', str(assignment, 'assignee')),
      candidateUsers: this.feel(id, 'Candidate users', str(assignment, 'candidateUsers')),
      candidateGroups: this.feel(id, 'Candidate groups', str(assignment, 'candidateGroups')),
      dueDate: this.feel(id, 'Due date', str(schedule, 'dueDate')),
      followUpDate: this.feel(id, 'Follow-up date', str(schedule, 'followUpDate')),
      formId,
      ccUsers: this.feel(id, 'CC users', property(node, 'opsflow:ccUsers')),
      ccGroups: this.feel(id, 'CC groups', property(node, 'opsflow:ccGroups')),
      assigneeRule: this.assigneeRule(node, property(node, 'opsflow:assigneeRule')),
      fallback: this.fallback(node, property(node, 'opsflow:fallback')),
      editableFields: fieldList(property(node, 'opsflow:editableFields', true)),
    };
  }

  private assigneeRule(node: ModdleObject, text: string | null): AssigneeRule | null {
    if (!text) return null;
    const [kind, argument = ''] = text.trim().split(/:(.*)/s, 2).map((part) => part.trim());
    if (kind === 'manager') {
      const levels = argument === '' ? 1 : Number(argument);
      if (Number.isInteger(levels) && levels >= 1 && levels <= 20) return { kind: 'manager', levels };
    }
    if (kind === 'departmentHead' && (argument === '' || NAME.test(argument))) return { kind: 'departmentHead', variable: argument || null };
    this.problem(node.id ?? '', 'assignee_rule_invalid',
      `${label(node)}: the approver rule "${text}" is not one of manager:<levels 1-20>, departmentHead or departmentHead:<form field>`);
    return null;
  }

  private fallback(node: ModdleObject, text: string | null): AssigneeFallback | null {
    if (!text) return null;
    const value = text.trim();
    if (value === 'initiator') return { kind: 'initiator' };
    if (value === 'admins') return { kind: 'admins' };
    if (value.startsWith('user:') && value.length > 5) return { kind: 'user', userId: value.slice(5).trim() };
    this.problem(node.id ?? '', 'fallback_invalid', `${label(node)}: when nobody is found, the task can go to initiator, admins or user:<id>, not "${text}"`);
    return null;
  }

  private job(node: ModdleObject, kind: ElementKind): JobDefinition | null {
    const id = node.id ?? '';
    const definition = extension(node, 'zeebe:TaskDefinition');
    const jobKinds: ElementKind[] = ['serviceTask', 'sendTask', 'scriptTask', 'businessRuleTask', 'intermediateThrowEvent', 'endEvent'];
    if (!jobKinds.includes(kind)) return null;
    if (kind === 'businessRuleTask' && extension(node, 'zeebe:CalledDecision')) {
      this.problem(id, 'dmn_not_supported', `${label(node)}: DMN decisions are not supported yet; use a FEEL expression (zeebe:script) instead`);
      return null;
    }
    if (!definition) {
      if (kind === 'serviceTask' || kind === 'sendTask') {
        this.problem(id, 'missing_task_type', `${label(node)}: choose what the task does (a task type such as http.request)`);
      }
      return null;
    }
    const type = this.feel(id, 'Task type', str(definition, 'type'));
    if (!type) {
      this.problem(id, 'missing_task_type', `${label(node)}: choose what the task does (a task type such as http.request)`);
      return null;
    }
    if (!type.isExpression) this.result.taskTypes.push({ elementId: id, type: type.raw });
    const retriesText = str(definition, 'retries') ?? '3';
    const retries = Number(retriesText);
    if (!Number.isInteger(retries) || retries < 1 || retries > MAX_RETRIES) {
      this.problem(id, 'retries_invalid', `${label(node)}: retries must be a whole number from 1 to ${MAX_RETRIES}`);
    }
    const headers: Record<string, string> = {};
    for (const header of list(extension(node, 'zeebe:TaskHeaders'), 'values')) {
      const key = str(header, 'key');
      if (key) headers[key] = str(header, 'value') ?? '';
    }
    return { type, retries: Number.isInteger(retries) ? retries : 3, headers };
  }

  private script(node: ModdleObject, kind: ElementKind): FlowElement['script'] {
    if (kind !== 'scriptTask' && kind !== 'businessRuleTask') return null;
    const id = node.id ?? '';
    const script = extension(node, 'zeebe:Script');
    if (!script) {
      if (!extension(node, 'zeebe:TaskDefinition') && !extension(node, 'zeebe:CalledDecision')) {
        this.problem(id, 'missing_expression', `${label(node)}: give the task a FEEL expression and a result variable`);
      }
      return null;
    }
    const expression = this.expression(id, 'Expression', str(script, 'expression'));
    const resultVariable = str(script, 'resultVariable');
    if (!resultVariable) this.problem(id, 'missing_result_variable', `${label(node)}: name the variable that receives the result`);
    return expression && resultVariable ? { expression, resultVariable } : null;
  }

  private checkElement(element: FlowElement): void {
    const label = labelOf(element.name, element.id);
    const refused = this.refusedTriggers.has(element.id);
    for (const flowId of [...element.incoming, ...element.outgoing]) {
      if (!this.flows.has(flowId)) this.problem(element.id, 'flow_invalid', `${label}: a sequence flow points to a missing element`);
    }
    for (const flowId of element.outgoing) {
      const flow = this.flows.get(flowId);
      const target = flow && this.elements.get(flow.targetId);
      if (flow && !target) this.problem(flow.id, 'flow_invalid', `${this.flowLabel(flow)}: the flow leads to an element the engine does not run`);
      if (flow && target && target.scopeId !== element.scopeId) this.problem(flow.id, 'flow_invalid', `${this.flowLabel(flow)}: a flow may not cross a subprocess border`);
    }
    if (element.attachedTo) {
      const host = this.elements.get(element.attachedTo);
      if (!host) this.problem(element.id, 'boundary_invalid', `${label}: the boundary event is not attached to an activity`);
      else host.boundaryEvents.push(element.id);
      if (!refused && !['timer', 'message', 'error'].includes(element.trigger.kind)) {
        this.problem(element.id, 'unsupported_element', `${label}: boundary events may be timers, messages or errors`);
      }
      if (element.trigger.kind === 'error' && !element.cancelActivity) {
        this.problem(element.id, 'boundary_invalid', `${label}: an error boundary event always interrupts the activity`);
      }
    }
    if (element.kind === 'subProcess') {
      const starts = this.startEvents.get(element.id) ?? [];
      if (starts.length !== 1 || this.elements.get(starts[0])!.trigger.kind !== 'none') {
        this.problem(element.id, 'subprocess_start_invalid', `${label}: an embedded subprocess needs exactly one plain start event`);
      } else {
        element.startEventId = starts[0];
      }
    }
    if (element.kind === 'startEvent' && element.incoming.length > 0) {
      this.problem(element.id, 'flow_invalid', `${label}: a start event may not have incoming flows`);
    }
    if (element.kind === 'startEvent' && element.scopeId !== PROCESS_SCOPE && element.trigger.kind !== 'none') {
      this.problem(element.id, 'unsupported_element', `${label}: a subprocess starts with a plain start event`);
    }
    if (element.kind === 'startEvent' && element.trigger.kind === 'error') {
      this.problem(element.id, 'unsupported_element', `${label}: error start events need event subprocesses, which are not supported yet`);
    }
    if (element.kind === 'endEvent' && element.trigger.kind === 'error' && !element.trigger.errorCode) {
      this.problem(element.id, 'missing_error_code', `${label}: the error end event needs an error with a code`);
    }
    if (element.kind === 'intermediateCatchEvent' && !refused && !['timer', 'message'].includes(element.trigger.kind)) {
      this.problem(element.id, 'unsupported_element', `${label}: intermediate catch events may be timers or messages`);
    }
    if ((element.kind === 'endEvent' || element.kind === 'intermediateThrowEvent') && element.trigger.kind === 'message' && !element.job) {
      this.problem(element.id, 'missing_task_type', `${label}: a message ${element.kind === 'endEvent' ? 'end' : 'throw'} event needs a task type that sends the message`);
    }
    if (['exclusiveGateway', 'inclusiveGateway'].includes(element.kind) && element.outgoing.length > 1) {
      for (const flowId of element.outgoing) {
        const flow = this.flows.get(flowId);
        if (flow && !flow.condition && element.defaultFlow !== flowId && !this.unparsedConditions.has(flowId)) {
          this.problem(flowId, 'missing_condition', `${this.flowLabel(flow)}: a flow leaving the gateway "${label}" needs a condition, or must be its default flow`);
        }
      }
    }
    if (element.kind === 'eventBasedGateway') {
      for (const flowId of element.outgoing) {
        const target = this.elements.get(this.flows.get(flowId)?.targetId ?? '');
        if (target && !(target.kind === 'intermediateCatchEvent' || target.kind === 'receiveTask')) {
          this.problem(element.id, 'gateway_invalid', `${label}: an event-based gateway must lead to timer or message catch events`);
        }
      }
    }
    if (element.kind === 'boundaryEvent' && element.incoming.length > 0) {
      this.problem(element.id, 'flow_invalid', `${label}: a boundary event may not have incoming flows`);
    }
  }

  /** A flow as people know it: its name, or where it goes ("the flow to "Finance review""), never a generated id. */
  private flowLabel(flow: SequenceFlow): string {
    if (flow.name && flow.name.trim() !== '') return labelOf(flow.name, flow.id);
    const target = this.elements.get(flow.targetId);
    return target ? `The flow to "${labelOf(target.name, target.id)}"` : labelOf(null, flow.id);
  }

  /** For each inclusive join, the elements of its scope from which it can be reached without passing through it. */
  private inclusiveJoinSources(): Map<string, Set<string>> {
    const sources = new Map<string, Set<string>>();
    for (const join of this.elements.values()) {
      if (join.kind !== 'inclusiveGateway' || join.incoming.length < 2) continue;
      const reach = new Set<string>();
      const queue = join.incoming.map((flowId) => this.flows.get(flowId)?.sourceId ?? '');
      while (queue.length > 0) {
        const id = queue.pop()!;
        if (!id || id === join.id || reach.has(id)) continue;
        reach.add(id);
        const element = this.elements.get(id);
        if (!element) continue;
        for (const flowId of element.incoming) queue.push(this.flows.get(flowId)?.sourceId ?? '');
        // A boundary event's path starts while its host is active: the host can reach what the boundary reaches.
        if (element.attachedTo) queue.push(element.attachedTo);
      }
      sources.set(join.id, reach);
    }
    return sources;
  }
}
