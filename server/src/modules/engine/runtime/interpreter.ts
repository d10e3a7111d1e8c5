import { type FeelContext, FeelError, type FeelValue } from '../../../core/feel/feel-expression.js';
import type { HistoryStatus, Variables } from '../engine.entities.js';
import type { FlowElement, ProcessModel } from '../model/process-model.js';
import { followingOccurrence, scheduleTimer, TimerSpecError, type TimerRepeat } from '../model/timer-definition.js';
import { EngineJobs } from './engine-job-names.js';
import type { ElementInstance, ElementInstanceData, InstanceState } from './runtime-types.js';
import { newId } from '../../../core/database/new-id.js';

/** Raised inside a step when it cannot go on: becomes an incident on the element, never a crash. */
class StepFailure extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

export interface Actor {
  userId: string | null;
}

type Step =
  | { op: 'activate'; elementId: string; scopeId: string; flowId: string | null; triggered?: Variables }
  | { op: 'take'; flowId: string; scopeId: string };

export interface CompletionInput {
  variables: Variables;
  actor: string | null;
  outcome?: string | null;
  comment?: string | null;
}

/**
 * The token engine: applies one command to an instance held in memory and runs every token until it
 * waits (a task, a job, a timer, a message, a join) or ends. It reads and writes nothing outside
 * `state`; the store persists `state.changes` in one transaction afterwards.
 */
export class Interpreter {
  private readonly agenda: Step[] = [];
  private readonly scopesToCheck = new Set<string>();

  constructor(
    private readonly model: ProcessModel,
    private readonly state: InstanceState,
    private readonly now: Date,
    private readonly actor: string | null,
  ) {}

  private get instance() {
    return this.state.instance;
  }

  private get changes() {
    return this.state.changes;
  }

  // ── commands ────────────────────────────────────────────────────────────

  /** Starts the instance at a start event (the none start event unless a timer or message started it). */
  start(startEventId: string): void {
    this.schedule({ op: 'activate', elementId: startEventId, scopeId: this.instance.id, flowId: null, triggered: {} });
    this.run();
  }

  /** A user task was completed (the tasks module checked who may). */
  completeUserTask(elementInstanceId: string, input: CompletionInput): void {
    const element = this.require(elementInstanceId);
    const audit = { actor: input.actor, outcome: input.outcome ?? null, comment: input.comment ?? null };
    const next = element.data.signers?.[0];
    // 加签: an added signer signs next; the step completes with the last signature (a rejection ends it at once).
    if (next && input.outcome !== 'rejected') {
      for (const [name, value] of Object.entries(input.variables)) this.setVariable(element.parentId, name, value);
      this.writeHistory(element, 'completed', audit);
      this.endTask(element, 'done', audit);
      element.data.signers = element.data.signers!.slice(1);
      this.createTask(element, this.definition(element), next);
      this.run();
      return;
    }
    this.completeWith(element, input.variables, audit);
    this.run();
  }

  /** 转办: the task goes to another person. */
  transfer(elementInstanceId: string, taskId: string, toUser: string, input: { actor: string | null; comment?: string | null }): void {
    const element = this.require(elementInstanceId);
    this.changes.tasksReassigned.push({ id: taskId, assignee: toUser });
    this.writeHistory(element, 'transferred', { actor: input.actor, comment: input.comment ?? null, target: toUser });
  }

  /** 加签: someone signs before (the task goes to them first, then comes back) or after the current assignee. */
  addSigner(elementInstanceId: string, taskId: string, signer: string, currentAssignee: string, position: 'before' | 'after', input: { actor: string | null; comment?: string | null }): void {
    const element = this.require(elementInstanceId);
    if (position === 'before') {
      element.data.signers = [currentAssignee, ...(element.data.signers ?? [])];
      this.changes.tasksReassigned.push({ id: taskId, assignee: signer });
    } else {
      element.data.signers = [signer, ...(element.data.signers ?? [])];
    }
    this.touch(element);
    this.writeHistory(element, 'signer_added', { actor: input.actor, outcome: position, comment: input.comment ?? null, target: signer });
  }

  /** 催办: a reminder, recorded in the history. */
  urge(elementInstanceId: string, input: { actor: string | null; comment?: string | null }): void {
    this.writeHistory(this.require(elementInstanceId), 'urged', { actor: input.actor, outcome: null, comment: input.comment ?? null });
  }

  /** 撤回: the initiator takes the request back; the instance ends as cancelled. */
  withdraw(input: { actor: string | null; comment?: string | null }): void {
    this.cancel('withdrawn by the initiator');
    this.changes.history.push({
      id: newId(), tenantId: this.instance.tenantId, instanceId: this.instance.id, seq: this.instance.seq++,
      elementId: this.instance.bpmnProcessId, elementType: 'process', name: this.model.name, status: 'withdrawn',
      startedAt: this.instance.createdAt, endedAt: this.now, actor: input.actor, outcome: 'withdrawn', comment: input.comment ?? null, target: null,
    });
  }

  /** A service-task job finished; a result for a job this element no longer waits for changes nothing. */
  completeJob(elementInstanceId: string, jobKey: string, output: Variables): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting' || element.data.jobKey !== jobKey) return false;
    this.completeWith(element, output, { actor: null, outcome: null, comment: null });
    this.run();
    return true;
  }

  /** The job failed for good: an incident waits for an admin's retry. */
  failJob(elementInstanceId: string, jobKey: string, message: string): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting' || element.data.jobKey !== jobKey) return false;
    this.raiseIncident(element, 'job_failed', message);
    return true;
  }

  /** The job's handler threw a BPMN error: a boundary error event catches it, or it is an incident. */
  throwJobError(elementInstanceId: string, jobKey: string, errorCode: string, message: string): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting' || element.data.jobKey !== jobKey) return false;
    this.throwError(element, errorCode, message);
    this.run();
    return true;
  }

  /** A timer fell due: a catch event, a boundary event or an event-based gateway's branch. */
  fireTimer(elementInstanceId: string, elementId: string, repeat: TimerRepeat | null): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting') return false;
    this.trigger(element, elementId, {}, () => {
      const next = repeat ? followingOccurrence(repeat, this.now) : null;
      if (next) this.addTimer(element, elementId, next.dueAt, next.repeat);
    });
    this.run();
    return true;
  }

  /** A message was correlated to a subscription of this element. */
  correlateMessage(elementInstanceId: string, elementId: string, variables: Variables): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting') return false;
    this.trigger(element, elementId, variables);
    this.run();
    return true;
  }

  /** A call activity's child instance completed with these variables. */
  completeCall(elementInstanceId: string, childInstanceId: string, variables: Variables): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting' || element.data.childInstanceId !== childInstanceId) return false;
    const definition = this.definition(element);
    // Output mappings read the child's variables either way; without them, propagateAllChildVariables decides.
    const output = definition.callActivity?.propagateAllChildVariables === false && definition.outputs.length === 0 ? {} : variables;
    this.completeWith(element, output, { actor: null, outcome: null, comment: null });
    this.run();
    return true;
  }

  /** A call activity's child could not start or ended with an uncaught error. */
  failCall(elementInstanceId: string, errorCode: string | null, message: string): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting') return false;
    if (errorCode) this.throwError(element, errorCode, message);
    else this.raiseIncident(element, 'call_failed', message);
    this.run();
    return true;
  }

  /** Records the child instance a call activity started. */
  linkChild(elementInstanceId: string, childInstanceId: string): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting' || element.data.childInstanceId) return false;
    element.data.childInstanceId = childInstanceId;
    this.touch(element);
    return true;
  }

  /** An admin retries a failed step. */
  retry(elementInstanceId: string): boolean {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'failed') return false;
    this.resolveIncident(element);
    const definition = this.definition(element);
    const kind = element.data.incidentKind;
    delete element.data.incidentKind;
    element.state = 'active';
    this.touch(element);
    if (kind === 'job_failed') {
      element.state = 'waiting';
      this.sendJob(element, definition);
    } else if (element.kind === 'multiBody') {
      this.guard(element, () => this.startMultiInstance(element, definition));
    } else {
      this.guard(element, () => this.behave(element, definition, undefined));
    }
    this.run();
    return true;
  }

  /** An administrator corrects instance variables (typically before retrying an incident). */
  setVariables(variables: Variables): void {
    Object.assign(this.instance.variables, variables);
  }

  /** Ends the instance without completing it (cancel, withdraw, or a parent terminating its call). */
  cancel(reason: string): void {
    for (const element of this.childrenOf(this.instance.id)) this.terminate(element);
    this.instance.status = 'canceled';
    this.instance.endedAt = this.now;
    this.changes.events.push({ type: 'instance.canceled', tenantId: this.instance.tenantId, instanceId: this.instance.id, processId: this.instance.processId, reason });
  }

  /** Moves the token of a waiting user task back to an earlier user task (驳回 / return). */
  returnTo(elementInstanceId: string, targetElementId: string, input: CompletionInput): void {
    const element = this.require(elementInstanceId);
    const target = this.model.elements.get(targetElementId);
    if (this.isInner(element) || target?.kind !== 'userTask' || target.scopeId !== this.definition(element).scopeId) {
      throw new StepFailure('return_not_allowed', 'The request can only go back to an earlier task of the same part of the process');
    }
    this.writeHistory(element, 'terminated', { actor: input.actor, outcome: input.outcome ?? 'returned', comment: input.comment ?? null });
    this.endTask(element, 'canceled', input);
    this.remove(element);
    this.schedule({ op: 'activate', elementId: targetElementId, scopeId: element.parentId, flowId: null });
    this.run();
  }

  // ── the run loop ─────────────────────────────────────────────────────────

  private schedule(step: Step): void {
    this.agenda.push(step);
  }

  private run(): void {
    for (;;) {
      while (this.agenda.length > 0) {
        const step = this.agenda.shift()!;
        if (step.op === 'take') this.take(step.flowId, step.scopeId);
        else this.activate(step.elementId, step.scopeId, step.flowId, step.triggered);
      }
      if (this.fireInclusiveJoins()) continue;
      if (this.completeFinishedScopes()) continue;
      break;
    }
    this.updateStatus();
  }

  private take(flowId: string, scopeId: string): void {
    const flow = this.model.flows.get(flowId)!;
    this.schedule({ op: 'activate', elementId: flow.targetId, scopeId, flowId });
  }

  private activate(elementId: string, scopeId: string, flowId: string | null, triggered?: Variables): void {
    if (!this.scopeAlive(scopeId)) return;
    const definition = this.model.elements.get(elementId)!;
    const isJoin = (definition.kind === 'parallelGateway' || definition.kind === 'inclusiveGateway') && definition.incoming.length > 1 && flowId !== null;
    if (isJoin) {
      this.create(elementId, scopeId, 'join', 'waiting', { flow: flowId });
      if (definition.kind === 'parallelGateway') this.tryParallelJoin(definition, scopeId);
      return;
    }
    if (definition.multiInstance) {
      const body = this.create(elementId, scopeId, 'multiBody', 'active', {});
      this.guard(body, () => {
        this.applyInputs(body, definition);
        this.startMultiInstance(body, definition);
      });
      return;
    }
    const element = this.create(elementId, scopeId, 'activity', 'active', {});
    this.guard(element, () => {
      this.applyInputs(element, definition);
      this.behave(element, definition, triggered);
    });
  }

  /** Runs `step`; a StepFailure turns into an incident on `element` instead of failing the command. */
  private guard(element: ElementInstance, step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof StepFailure) this.raiseIncident(element, error.kind, error.message);
      else if (error instanceof FeelError || error instanceof TimerSpecError) this.raiseIncident(element, 'expression_failed', error.message);
      else throw error;
    }
  }

  private behave(element: ElementInstance, definition: FlowElement, triggered: Variables | undefined): void {
    if (triggered !== undefined && ['startEvent', 'boundaryEvent', 'intermediateCatchEvent', 'receiveTask'].includes(definition.kind)) {
      this.completeWith(element, triggered, { actor: this.actor, outcome: null, comment: null });
      return;
    }
    switch (definition.kind) {
      case 'startEvent':
      case 'task':
      case 'manualTask':
      case 'boundaryEvent':
        return this.leave(element, definition);
      case 'intermediateThrowEvent':
      case 'sendTask':
      case 'serviceTask':
        if (definition.job) return this.wait(element, definition, () => this.sendJob(element, definition));
        return this.leave(element, definition);
      case 'scriptTask':
      case 'businessRuleTask':
        if (definition.job) return this.wait(element, definition, () => this.sendJob(element, definition));
        if (definition.script) {
          const value = definition.script.expression.evaluate(this.context(element), this.now);
          this.setVariable(element.parentId, definition.script.resultVariable, value);
        }
        return this.leave(element, definition);
      case 'endEvent':
        return this.end(element, definition);
      case 'userTask':
        return this.wait(element, definition, () => this.createTask(element, definition));
      case 'intermediateCatchEvent':
      case 'receiveTask':
        return this.wait(element, definition, () => this.subscribe(element, definition, definition.id));
      case 'exclusiveGateway':
        return this.leave(element, definition, [this.chooseExclusive(element, definition)]);
      case 'inclusiveGateway':
        return this.leave(element, definition, this.chooseInclusive(element, definition));
      case 'parallelGateway':
        return this.leave(element, definition);
      case 'eventBasedGateway':
        return this.wait(element, definition, () => {
          element.data.targets = definition.outgoing.map((flowId) => this.model.flows.get(flowId)!.targetId);
          for (const target of element.data.targets) this.subscribe(element, this.model.elements.get(target)!, target);
        });
      case 'subProcess':
        return this.wait(element, definition, () => {
          this.schedule({ op: 'activate', elementId: definition.startEventId!, scopeId: element.id, flowId: null });
        });
      case 'callActivity':
        return this.wait(element, definition, () => this.callProcess(element, definition));
    }
  }

  /** Makes `element` a wait state: `setup` creates what it waits for, then its boundary events are armed. */
  private wait(element: ElementInstance, definition: FlowElement, setup: () => void): void {
    element.state = 'waiting';
    this.touch(element);
    setup();
    if (!this.isInner(element)) this.armBoundaries(element, definition);
  }

  private end(element: ElementInstance, definition: FlowElement): void {
    const trigger = definition.trigger;
    if (trigger.kind === 'terminate') {
      const scopeId = element.parentId;
      this.completeWith(element, {}, { actor: null, outcome: null, comment: null });
      for (const sibling of this.childrenOf(scopeId)) this.terminate(sibling);
      this.agenda.splice(0, this.agenda.length, ...this.agenda.filter((step) => step.scopeId !== scopeId));
      this.scopesToCheck.add(scopeId);
      return;
    }
    if (trigger.kind === 'error') {
      this.throwError(element, trigger.errorCode ?? '', `Error end event ${definition.name ?? definition.id}`);
      return;
    }
    if (definition.job) return this.wait(element, definition, () => this.sendJob(element, definition));
    this.leave(element, definition);
  }

  // ── completing and leaving ──────────────────────────────────────────────

  /** The element's work is done with `variables` (task form data, job output, message payload). */
  private completeWith(element: ElementInstance, variables: Variables, audit: { actor: string | null; outcome: string | null; comment: string | null }): void {
    const definition = this.definition(element);
    // Kept on the element too, so output mappings and a multi-instance output element read this instance's own values.
    element.variables = { ...(element.variables ?? {}), ...variables };
    if (definition.outputs.length > 0) this.applyOutputs(element, definition);
    else for (const [name, value] of Object.entries(variables)) this.setVariable(element.parentId, name, value);
    if (definition.kind === 'userTask') this.endTask(element, 'done', audit);
    this.leave(element, definition, undefined, audit);
  }

  /** Writes history, removes the element and sends the token on (or to its multi-instance body). */
  private leave(element: ElementInstance, definition: FlowElement, chosen?: string[], audit?: { actor: string | null; outcome: string | null; comment: string | null }): void {
    this.writeHistory(element, 'completed', audit);
    this.disarm(element);
    this.remove(element);
    if (this.isInner(element)) {
      this.innerCompleted(this.state.elements.get(element.parentId)!, element);
      return;
    }
    const flows = chosen ?? this.outgoingFlows(element, definition);
    for (const flowId of flows) this.schedule({ op: 'take', flowId, scopeId: element.parentId });
    if (flows.length === 0) this.scopesToCheck.add(element.parentId);
  }

  /** Flows leaving an activity: all of them, except conditional ones whose condition is false. */
  private outgoingFlows(element: ElementInstance, definition: FlowElement): string[] {
    if (!definition.outgoing.some((flowId) => this.model.flows.get(flowId)!.condition)) return definition.outgoing;
    const context = this.context(element);
    const taken = definition.outgoing.filter((flowId) => {
      const condition = this.model.flows.get(flowId)!.condition;
      return flowId !== definition.defaultFlow && (!condition || condition.evaluate(context, this.now) === true);
    });
    return taken.length > 0 || !definition.defaultFlow ? taken : [definition.defaultFlow];
  }

  private chooseExclusive(element: ElementInstance, definition: FlowElement): string {
    if (definition.outgoing.length === 1 && !this.model.flows.get(definition.outgoing[0])!.condition) return definition.outgoing[0];
    const context = this.context(element);
    for (const flowId of definition.outgoing) {
      const condition = this.model.flows.get(flowId)!.condition;
      if (flowId !== definition.defaultFlow && condition && condition.evaluate(context, this.now) === true) return flowId;
    }
    if (definition.defaultFlow) return definition.defaultFlow;
    throw new StepFailure('no_flow', `No condition of the gateway "${definition.name ?? definition.id}" is true and it has no default flow`);
  }

  private chooseInclusive(element: ElementInstance, definition: FlowElement): string[] {
    const context = this.context(element);
    const taken = definition.outgoing.filter((flowId) => {
      const condition = this.model.flows.get(flowId)!.condition;
      return flowId !== definition.defaultFlow && (!condition || condition.evaluate(context, this.now) === true);
    });
    if (taken.length > 0) return taken;
    if (definition.defaultFlow) return [definition.defaultFlow];
    throw new StepFailure('no_flow', `No condition of the gateway "${definition.name ?? definition.id}" is true and it has no default flow`);
  }

  // ── joins ───────────────────────────────────────────────────────────────

  private tryParallelJoin(definition: FlowElement, scopeId: string): void {
    const arrivals = this.childrenOf(scopeId).filter((element) => element.kind === 'join' && element.elementId === definition.id);
    const byFlow = new Map<string, ElementInstance>();
    for (const arrival of arrivals) if (!byFlow.has(arrival.data.flow ?? '')) byFlow.set(arrival.data.flow ?? '', arrival);
    if (!definition.incoming.every((flowId) => byFlow.has(flowId))) return;
    for (const arrival of byFlow.values()) this.remove(arrival);
    const gateway = this.create(definition.id, scopeId, 'activity', 'active', {});
    this.leave(gateway, definition);
  }

  /** An inclusive join fires once no token of its scope can still reach it. */
  private fireInclusiveJoins(): boolean {
    let fired = false;
    for (const [joinId, sources] of this.model.inclusiveJoinSources) {
      const scopes = new Set([...this.state.elements.values()].filter((element) => element.kind === 'join' && element.elementId === joinId).map((element) => element.parentId));
      for (const scopeId of scopes) {
        const children = this.childrenOf(scopeId);
        if (children.some((element) => !(element.kind === 'join' && element.elementId === joinId) && sources.has(element.elementId))) continue;
        const seen = new Set<string>();
        for (const arrival of children.filter((element) => element.kind === 'join' && element.elementId === joinId)) {
          if (seen.has(arrival.data.flow ?? '')) continue;
          seen.add(arrival.data.flow ?? '');
          this.remove(arrival);
        }
        const definition = this.model.elements.get(joinId)!;
        const gateway = this.create(joinId, scopeId, 'activity', 'active', {});
        this.guard(gateway, () => this.leave(gateway, definition, this.chooseInclusive(gateway, definition)));
        fired = true;
      }
    }
    return fired;
  }

  /** Scopes whose last token ended complete: a subprocess leaves, the instance completes. */
  private completeFinishedScopes(): boolean {
    let progressed = false;
    for (const scopeId of [...this.scopesToCheck]) {
      this.scopesToCheck.delete(scopeId);
      if (this.childrenOf(scopeId).length > 0) continue;
      if (scopeId === this.instance.id) {
        if (this.instance.status === 'active' || this.instance.status === 'incident') this.completeInstance();
        continue;
      }
      const scope = this.state.elements.get(scopeId);
      if (!scope || scope.state !== 'waiting') continue;
      this.completeWith(scope, {}, { actor: null, outcome: null, comment: null });
      progressed = true;
    }
    return progressed;
  }

  private completeInstance(): void {
    this.instance.status = 'completed';
    this.instance.endedAt = this.now;
    this.changes.events.push({
      type: 'instance.completed', tenantId: this.instance.tenantId, instanceId: this.instance.id, processId: this.instance.processId,
      startedBy: this.instance.startedBy, parentInstanceId: this.instance.parentInstanceId,
    });
    if (this.instance.parentInstanceId && this.instance.parentElementInstanceId) {
      this.outbox(EngineJobs.childCompleted.name, `call-done:${this.instance.id}`, {
        instanceId: this.instance.parentInstanceId, elementInstanceId: this.instance.parentElementInstanceId,
        childInstanceId: this.instance.id, variables: this.instance.variables,
      });
    }
  }

  // ── multi-instance ──────────────────────────────────────────────────────

  private startMultiInstance(body: ElementInstance, definition: FlowElement): void {
    const multi = definition.multiInstance!;
    const collection = multi.inputCollection.evaluate(this.context(body), this.now);
    if (!Array.isArray(collection)) {
      throw new StepFailure('expression_failed', `The input collection of "${definition.name ?? definition.id}" is not a list (it is ${JSON.stringify(collection) ?? 'empty'})`);
    }
    body.state = 'waiting';
    body.data.multi = { total: collection.length, items: collection, next: 0, completed: 0, active: 0, outputs: collection.map(() => null) };
    body.variables = { ...(body.variables ?? {}), nrOfInstances: collection.length, nrOfCompletedInstances: 0, nrOfActiveInstances: 0 };
    if (multi.outputCollection) body.variables[multi.outputCollection] = body.data.multi.outputs;
    this.touch(body);
    this.armBoundaries(body, definition);
    if (collection.length === 0) {
      this.finishMultiInstance(body, definition);
      return;
    }
    const count = multi.sequential ? 1 : collection.length;
    for (let i = 0; i < count; i++) this.startInner(body, definition);
  }

  private startInner(body: ElementInstance, definition: FlowElement): void {
    const data = body.data.multi!;
    const index = data.next++;
    data.active++;
    body.variables = { ...body.variables, nrOfActiveInstances: data.active };
    this.touch(body);
    const multi = definition.multiInstance!;
    const inner = this.create(definition.id, body.id, 'activity', 'active', { loopIndex: index });
    inner.variables = { loopCounter: index + 1 };
    if (multi.inputElement) inner.variables[multi.inputElement] = data.items[index] ?? null;
    this.guard(inner, () => {
      this.applyInputs(inner, definition);
      this.behave(inner, definition, undefined);
    });
  }

  private innerCompleted(body: ElementInstance, inner: ElementInstance): void {
    const definition = this.definition(body);
    const multi = definition.multiInstance!;
    const data = body.data.multi!;
    data.active--;
    data.completed++;
    if (multi.outputElement) data.outputs[inner.data.loopIndex ?? 0] = multi.outputElement.evaluate(this.context(inner), this.now);
    body.variables = { ...body.variables, nrOfCompletedInstances: data.completed, nrOfActiveInstances: data.active };
    if (multi.outputCollection) body.variables[multi.outputCollection] = data.outputs;
    this.touch(body);
    const done = data.completed >= data.total
      || (multi.completionCondition !== null && multi.completionCondition.evaluate(this.context(inner), this.now) === true);
    if (done) {
      for (const sibling of this.childrenOf(body.id)) this.terminate(sibling);
      this.finishMultiInstance(body, definition);
    } else if (multi.sequential && data.next < data.total) {
      this.startInner(body, definition);
    }
  }

  private finishMultiInstance(body: ElementInstance, definition: FlowElement): void {
    const multi = definition.multiInstance!;
    if (multi.outputCollection) this.setVariable(body.parentId, multi.outputCollection, body.data.multi!.outputs);
    if (definition.outputs.length > 0) this.applyOutputs(body, definition);
    this.leave(body, definition);
  }

  // ── events, errors, boundaries ──────────────────────────────────────────

  /** Something the element waited for happened: its own event, one of its boundary events, or a gateway branch. */
  private trigger(element: ElementInstance, elementId: string, variables: Variables, afterNonInterrupting?: () => void): void {
    const definition = this.definition(element);
    if (elementId === element.elementId) {
      this.completeWith(element, variables, { actor: null, outcome: null, comment: null });
      return;
    }
    if (definition.kind === 'eventBasedGateway') {
      this.writeHistory(element, 'completed');
      this.disarm(element);
      this.remove(element);
      this.schedule({ op: 'activate', elementId, scopeId: element.parentId, flowId: null, triggered: variables });
      return;
    }
    const boundary = this.model.elements.get(elementId)!;
    if (boundary.cancelActivity) {
      this.terminate(element);
    } else {
      afterNonInterrupting?.();
    }
    this.schedule({ op: 'activate', elementId, scopeId: element.parentId, flowId: null, triggered: variables });
  }

  /** Throws a BPMN error from `source` to the nearest boundary error event that catches its code. */
  private throwError(source: ElementInstance, errorCode: string, message: string): void {
    let current: ElementInstance | undefined = source;
    let skipOwn = this.definition(source).kind === 'endEvent';
    while (current) {
      // A multi-instance inner instance shares its definition with the body; the body's boundary events catch.
      if (!skipOwn && !this.isInner(current)) {
        const catcher = this.definition(current).boundaryEvents
          .map((id) => this.model.elements.get(id)!)
          .find((boundary) => boundary.trigger.kind === 'error' && (!boundary.trigger.errorCode || boundary.trigger.errorCode === errorCode));
        if (catcher) {
          if (current !== source) this.terminate(source);
          this.terminate(current);
          this.schedule({ op: 'activate', elementId: catcher.id, scopeId: current.parentId, flowId: null, triggered: { errorCode, errorMessage: message } });
          return;
        }
      }
      skipOwn = false;
      current = this.state.elements.get(current.parentId);
    }
    if (this.instance.parentInstanceId && this.instance.parentElementInstanceId) {
      this.outbox(EngineJobs.childFailed.name, `call-error:${this.instance.id}`, {
        instanceId: this.instance.parentInstanceId, elementInstanceId: this.instance.parentElementInstanceId, errorCode, message,
      });
      this.cancel(`error ${errorCode} was thrown and not caught`);
      return;
    }
    source.state = 'waiting';
    this.raiseIncident(source, 'unhandled_error', `The error "${errorCode}" was thrown (${message}) and no boundary event catches it`);
  }

  private armBoundaries(element: ElementInstance, definition: FlowElement): void {
    for (const boundaryId of definition.boundaryEvents) {
      const boundary = this.model.elements.get(boundaryId)!;
      if (boundary.trigger.kind === 'timer' || boundary.trigger.kind === 'message') this.subscribe(element, boundary, boundaryId);
    }
  }

  /** Creates the timer or message subscription through which `event` (the element itself, a boundary or a gateway branch) is triggered. */
  private subscribe(element: ElementInstance, event: FlowElement, elementId: string): void {
    const trigger = event.trigger;
    if (event.kind === 'receiveTask' && trigger.kind === 'none') {
      throw new StepFailure('expression_failed', `${event.name ?? event.id}: the receive task has no message`);
    }
    if (trigger.kind === 'timer') {
      const value = trigger.timer.value.evaluate(this.context(element), this.now);
      const scheduled = scheduleTimer(trigger.timer.kind, String(value ?? ''), this.now);
      this.addTimer(element, elementId, scheduled.dueAt, scheduled.repeat);
    } else if (trigger.kind === 'message' || event.kind === 'receiveTask') {
      const message = trigger.kind === 'message' ? trigger : null;
      const key = message?.correlationKey ? message.correlationKey.evaluate(this.context(element), this.now) : null;
      if (key === null || key === undefined || key === '') {
        throw new StepFailure('expression_failed', `${event.name ?? event.id}: the correlation key evaluated to nothing`);
      }
      const id = newId();
      this.changes.subscriptionsCreated.push({
        id, tenantId: this.instance.tenantId, name: message?.messageName ?? '', correlationKey: String(key),
        instanceId: this.instance.id, elementInstanceId: element.id, elementId, processVersionId: this.instance.processVersionId, createdAt: this.now,
      });
      element.data.subscriptionIds = [...(element.data.subscriptionIds ?? []), id];
      this.touch(element);
    }
  }

  private addTimer(element: ElementInstance, elementId: string, dueAt: Date, repeat: TimerRepeat | null): void {
    const id = newId();
    this.changes.timersCreated.push({
      id, tenantId: this.instance.tenantId, instanceId: this.instance.id, elementInstanceId: element.id, elementId,
      processVersionId: this.instance.processVersionId, dueAt, firedAt: null, repeat, createdAt: this.now,
    });
    element.data.timerIds = [...(element.data.timerIds ?? []), id];
    this.touch(element);
  }

  /** Drops the timers and message subscriptions of an element that stops waiting. */
  private disarm(element: ElementInstance): void {
    this.changes.timersDeleted.push(...(element.data.timerIds ?? []));
    this.changes.subscriptionsDeleted.push(...(element.data.subscriptionIds ?? []));
    element.data.timerIds = [];
    element.data.subscriptionIds = [];
  }

  // ── termination ─────────────────────────────────────────────────────────

  /** Ends an element and everything inside it without completing it (interrupting events, 或签 siblings, cancel). */
  private terminate(element: ElementInstance): void {
    if (!this.state.elements.has(element.id)) return;
    for (const child of this.childrenOf(element.id)) this.terminate(child);
    if (element.kind !== 'join') this.writeHistory(element, 'terminated');
    this.disarm(element);
    if (element.data.taskId) this.endTask(element, 'canceled', { actor: this.actor, outcome: null, comment: null });
    if (element.data.incidentId) this.resolveIncident(element);
    if (element.data.childInstanceId) {
      this.outbox(EngineJobs.cancelInstance.name, `cancel:${element.data.childInstanceId}`, { instanceId: element.data.childInstanceId, reason: 'the calling activity ended' });
    }
    // A call whose child is still starting needs nothing more: the start job finds its caller gone and starts nothing.
    this.remove(element);
    this.scopesToCheck.add(element.parentId);
    this.agenda.splice(0, this.agenda.length, ...this.agenda.filter((step) => step.scopeId !== element.id));
  }

  // ── tasks, jobs, calls ──────────────────────────────────────────────────

  private createTask(element: ElementInstance, definition: FlowElement, assignedTo?: string): void {
    const spec = definition.userTask!;
    const context = this.context(element);
    const assignee = assignedTo ?? (spec.assignee ? spec.assignee.evaluate(context, this.now) : null);
    const dueAt = spec.dueDate ? this.evaluateDate(spec.dueDate, context, 'due date') : null;
    const followUpAt = spec.followUpDate ? this.evaluateDate(spec.followUpDate, context, 'follow-up date') : null;
    const id = newId();
    const task = {
      id, tenantId: this.instance.tenantId, instanceId: this.instance.id, elementInstanceId: element.id, elementId: definition.id,
      name: definition.name ?? definition.id, processId: this.instance.processId,
      assignee: assignee === null || assignee === undefined || assignee === '' ? null : String(assignee),
      candidateUsers: spec.candidateUsers ? toList(spec.candidateUsers.evaluate(context, this.now)) : [],
      candidateGroups: spec.candidateGroups ? toList(spec.candidateGroups.evaluate(context, this.now)) : [],
      status: 'open' as const, formId: spec.formId, dueAt, followUpAt, createdAt: this.now, endedAt: null,
      completedBy: null, outcome: null, comment: null, lastUrgedAt: null,
      ccUsers: spec.ccUsers ? toList(spec.ccUsers.evaluate(context, this.now)) : [],
      ccGroups: spec.ccGroups ? toList(spec.ccGroups.evaluate(context, this.now)) : [],
    };
    this.changes.tasksCreated.push(task);
    this.changes.events.push({ type: 'task.created', tenantId: task.tenantId, task });
    element.data.taskId = id;
    this.touch(element);
  }

  private endTask(element: ElementInstance, status: 'done' | 'canceled', audit: { actor: string | null; outcome?: string | null; comment?: string | null }): void {
    const taskId = element.data.taskId;
    if (!taskId) return;
    const end = { id: taskId, status, endedAt: this.now, completedBy: status === 'done' ? audit.actor : null, outcome: audit.outcome ?? null, comment: audit.comment ?? null };
    this.changes.tasksEnded.push(end);
    this.changes.events.push({ type: status === 'done' ? 'task.completed' : 'task.canceled', tenantId: this.instance.tenantId, instanceId: this.instance.id, end });
    delete element.data.taskId;
  }

  private sendJob(element: ElementInstance, definition: FlowElement): void {
    const job = definition.job!;
    const context = this.context(element);
    const type = String(job.type.evaluate(context, this.now) ?? '');
    const generation = (element.data.jobGeneration ?? 0) + 1;
    const jobKey = `${element.id}:${generation}`;
    element.data.jobKey = jobKey;
    element.data.jobGeneration = generation;
    element.data.jobType = type;
    this.touch(element);
    const input = definition.inputs.length > 0 ? { ...(element.variables ?? {}) } : this.context(element);
    this.outbox(EngineJobs.serviceTask.name, `job:${jobKey}`, {
      instanceId: this.instance.id, elementInstanceId: element.id, elementId: definition.id, jobKey, type, input, headers: job.headers,
    }, { queue: 'plugins', attempts: job.retries, backoffMs: 1000 });
  }

  private callProcess(element: ElementInstance, definition: FlowElement): void {
    const processId = definition.callActivity!.processId.evaluate(this.context(element), this.now);
    if (typeof processId !== 'string' || processId === '') throw new StepFailure('expression_failed', `${definition.name ?? definition.id}: the called process id is empty`);
    const variables = definition.inputs.length > 0 ? { ...(element.variables ?? {}) } : this.context(element);
    this.outbox(EngineJobs.startChild.name, `call:${element.id}`, {
      instanceId: this.instance.id, elementInstanceId: element.id, bpmnProcessId: processId, variables,
    });
  }

  // ── incidents and status ────────────────────────────────────────────────

  private raiseIncident(element: ElementInstance, kind: string, message: string): void {
    if (!this.state.elements.has(element.id)) this.state.elements.set(element.id, element);
    const id = newId();
    const incident = {
      id, tenantId: this.instance.tenantId, instanceId: this.instance.id, elementInstanceId: element.id, elementId: element.elementId,
      kind, message, status: 'open' as const, createdAt: this.now, resolvedAt: null, resolvedBy: null,
    };
    element.state = 'failed';
    element.data.incidentId = id;
    element.data.incidentKind = kind;
    this.touch(element);
    this.changes.incidentsCreated.push(incident);
    this.changes.events.push({ type: 'incident.created', tenantId: incident.tenantId, incident });
    this.updateStatus();
  }

  private resolveIncident(element: ElementInstance): void {
    const id = element.data.incidentId;
    if (!id) return;
    this.changes.incidentsResolved.push({ id, resolvedAt: this.now, resolvedBy: this.actor });
    delete element.data.incidentId;
    this.touch(element);
  }

  private updateStatus(): void {
    if (this.instance.status !== 'active' && this.instance.status !== 'incident') return;
    const failed = [...this.state.elements.values()].some((element) => element.state === 'failed');
    this.instance.status = failed ? 'incident' : 'active';
  }

  // ── variables ───────────────────────────────────────────────────────────

  /** The variables an expression on `element` sees: the instance's, then each enclosing scope's, then its own. */
  private context(element: ElementInstance): FeelContext {
    const chain: ElementInstance[] = [];
    let current: ElementInstance | undefined = element;
    while (current) {
      chain.unshift(current);
      current = this.state.elements.get(current.parentId);
    }
    const context: FeelContext = { ...this.instance.variables };
    for (const scope of chain) if (scope.variables) Object.assign(context, scope.variables);
    return context;
  }

  /** Sets a variable where it already lives (nearest scope first), or on the instance. */
  private setVariable(scopeId: string, name: string, value: unknown): void {
    let current = this.state.elements.get(scopeId);
    while (current) {
      if (current.variables && Object.hasOwn(current.variables, name)) {
        current.variables[name] = value;
        this.touch(current);
        return;
      }
      current = this.state.elements.get(current.parentId);
    }
    this.instance.variables[name] = value;
  }

  private applyInputs(element: ElementInstance, definition: FlowElement): void {
    if (definition.inputs.length === 0) return;
    const context = this.context(element);
    const locals: Variables = { ...(element.variables ?? {}) };
    for (const mapping of definition.inputs) {
      locals[mapping.target] = mapping.source.evaluate({ ...context, ...locals }, this.now);
    }
    element.variables = locals;
    this.touch(element);
  }

  private applyOutputs(element: ElementInstance, definition: FlowElement): void {
    const context = this.context(element);
    for (const mapping of definition.outputs) {
      this.setVariable(element.parentId, mapping.target, mapping.source.evaluate(context, this.now));
    }
  }

  private evaluateDate(value: FeelValue, context: FeelContext, what: string): Date {
    const result = value.evaluate(context, this.now);
    const at = new Date(String(result));
    if (result === null || Number.isNaN(at.getTime())) throw new StepFailure('expression_failed', `The ${what} "${String(result)}" is not a date-time`);
    return at;
  }

  // ── element instance bookkeeping ────────────────────────────────────────

  private create(elementId: string, parentId: string, kind: ElementInstance['kind'], state: ElementInstance['state'], data: ElementInstanceData): ElementInstance {
    const element: ElementInstance = { id: newId(), parentId, elementId, kind, state, variables: null, data, startedAt: this.now };
    this.state.elements.set(element.id, element);
    // Saved only if it still exists when the command ends: elements that pass straight through never become rows.
    this.touch(element);
    return element;
  }

  /** Marks an element instance to be saved (only waiting ones become rows). */
  private touch(element: ElementInstance): void {
    if (this.state.elements.has(element.id)) this.changes.upserted.add(element.id);
  }

  private remove(element: ElementInstance): void {
    this.state.elements.delete(element.id);
    this.changes.upserted.delete(element.id);
    if (this.state.persisted.has(element.id)) this.changes.removed.add(element.id);
  }

  private require(elementInstanceId: string): ElementInstance {
    const element = this.state.elements.get(elementInstanceId);
    if (!element || element.state !== 'waiting') throw new StepFailure('not_waiting', 'The step is no longer waiting');
    return element;
  }

  private childrenOf(scopeId: string): ElementInstance[] {
    const children: ElementInstance[] = [];
    for (const element of this.state.elements.values()) if (element.parentId === scopeId) children.push(element);
    return children;
  }

  private scopeAlive(scopeId: string): boolean {
    if (scopeId === this.instance.id) return this.instance.status === 'active' || this.instance.status === 'incident';
    return this.state.elements.has(scopeId);
  }

  private isInner(element: ElementInstance): boolean {
    return element.data.loopIndex !== undefined;
  }

  private definition(element: ElementInstance): FlowElement {
    return this.model.elements.get(element.elementId)!;
  }

  private writeHistory(element: ElementInstance, status: HistoryStatus, audit?: { actor: string | null; outcome?: string | null; comment?: string | null; target?: string }): void {
    if (element.kind === 'join') return;
    const definition = this.definition(element);
    this.changes.history.push({
      id: newId(), tenantId: this.instance.tenantId, instanceId: this.instance.id, seq: this.instance.seq++,
      elementId: element.elementId, elementType: element.kind === 'multiBody' ? 'multiInstanceBody' : definition.kind,
      name: definition.name, status, startedAt: element.startedAt, endedAt: this.now,
      actor: audit?.actor ?? null, outcome: audit?.outcome ?? null, comment: audit?.comment ?? null, target: audit?.target ?? null,
    });
  }

  private outbox(name: string, id: string, payload: Record<string, unknown>, options: { queue?: string; attempts?: number; backoffMs?: number } = {}): void {
    this.changes.outbox.push({
      id, tenantId: this.instance.tenantId, queue: options.queue ?? 'engine', name, payload: { tenantId: this.instance.tenantId, ...payload },
      runAt: this.now, attempts: options.attempts ?? 5, backoffMs: options.backoffMs ?? 500, createdAt: this.now,
    });
  }
}

function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined && item !== '').map(String);
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter(Boolean);
  return [];
}

export { StepFailure };
