import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrgRoutingService } from '../org/org-routing.service.js';
import type { UserTask } from './engine.entities.js';
import type { AssigneeRule, ProcessModel, UserTaskDefinition } from './model/process-model.js';
import type { InstanceState } from './runtime/runtime-types.js';

/** The role whose members share a task nobody else was found for. */
const ADMIN_ROLE = 'admin';

/**
 * Routes new user tasks by the org chart before they are saved, in the command's transaction: an
 * `opsflow:assigneeRule` (the initiator's manager N levels up, a department's head) names the assignee,
 * and `opsflow:fallback` takes over when neither the rule nor the assignee expression found anybody.
 * Tasks of processes without either setting pass through untouched, without a query.
 */
@Injectable()
export class TaskRouting {
  constructor(private readonly org: OrgRoutingService) {}

  async route(manager: EntityManager, model: ProcessModel, state: InstanceState): Promise<void> {
    for (const task of state.changes.tasksCreated) {
      const spec = model.elements.get(task.elementId)?.userTask;
      if (!spec || (!spec.assigneeRule && !spec.fallback)) continue;
      if (spec.assigneeRule) task.assignee = await this.byRule(manager, spec.assigneeRule, task, state);
      if (!task.assignee && task.candidateUsers.length === 0 && task.candidateGroups.length === 0) this.fallBack(spec, task, state);
    }
  }

  private async byRule(manager: EntityManager, rule: AssigneeRule, task: UserTask, state: InstanceState): Promise<string | null> {
    const initiator = initiatorOf(state);
    if (rule.kind === 'manager') {
      return initiator ? (await this.org.managerOf(task.tenantId, initiator, rule.levels, manager))?.id ?? null : null;
    }
    const department = rule.variable
      ? departmentIdIn(state.instance.variables[rule.variable])
      : initiator ? await this.org.departmentOf(task.tenantId, initiator, manager) : null;
    return department ? (await this.org.headOf(task.tenantId, department, manager))?.id ?? null : null;
  }

  private fallBack(spec: UserTaskDefinition, task: UserTask, state: InstanceState): void {
    const fallback = spec.fallback;
    if (!fallback) return;
    if (fallback.kind === 'initiator') task.assignee = initiatorOf(state);
    else if (fallback.kind === 'user') task.assignee = fallback.userId;
    // nobody named the initiator (an anonymous or API start): administrators pick it up
    if (fallback.kind === 'admins' || !task.assignee) task.candidateGroups = [ADMIN_ROLE];
  }
}

function initiatorOf(state: InstanceState): string | null {
  const fromVariables = state.instance.variables.initiator;
  return state.instance.startedBy ?? (typeof fromVariables === 'string' && fromVariables ? fromVariables : null);
}

/** A department picker's answer: the id, or an object carrying it. */
function departmentIdIn(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  return null;
}
