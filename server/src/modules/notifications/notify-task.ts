import type { DataSource } from 'typeorm';
import { UserTask } from '../engine/engine.entities.js';
import { holdersOf } from '../engine/task-candidates.js';
import { peopleIn } from '../org/people.js';
import { PermanentTaskFailure, type ServiceTaskType } from '../plugins/service-task-registry.js';
import type { NotificationsService } from './notifications.service.js';

function idList(value: unknown, name: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') return value.split(',').map((id) => id.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) return value;
  throw new PermanentTaskFailure(`The input "${name}" must be a list of ids, such as =["${name === 'to' ? 'user-id' : 'finance'}"]`);
}

/**
 * `notify`: tells people about the request, in the app and by e-mail as each of them chose (kind
 * `escalated`). Without `to` or `groups` it tells whoever holds the request's open tasks, which is what the
 * SLA escalation the designer draws wants: a boundary timer → notify. A redelivered job notifies nobody twice.
 */
export function notifyTask(dataSource: DataSource, notifications: NotificationsService): ServiceTaskType {
  return {
    type: 'notify',
    title: { en: 'Notify people', 'zh-CN': '发送通知' },
    description: {
      en: 'Notifies people in the app and by e-mail; without recipients, whoever holds the open tasks of the request (an SLA reminder).',
      'zh-CN': '通过站内和邮件通知相关人员；未指定接收人时，通知当前待办任务的处理人（用于超时提醒）。',
    },
    inputSchema: {
      type: 'object',
      properties: {
        to: { type: 'array', items: { type: 'string' }, title: 'People (user ids)' },
        groups: { type: 'array', items: { type: 'string' }, title: 'Groups or roles' },
        title: { type: 'string', title: 'Title', maxLength: 300 },
        message: { type: 'string', title: 'Message', maxLength: 4000 },
      },
    },
    outputSchema: { type: 'object', properties: { notified: { type: 'integer' } } },
    run: async (input, context) => {
      const named = [...idList(input.to, 'to'), ...(await peopleIn(dataSource.manager, context.tenantId, idList(input.groups, 'groups')))];
      const open = await dataSource.getRepository(UserTask).find({
        select: { id: true, name: true, assignee: true, candidateUsers: true }, where: { tenantId: context.tenantId, instanceId: context.instanceId, status: 'open' },
      });
      const holders = open.flatMap(holdersOf);
      const userIds = [...new Set(named.length ? named : holders)];
      const title = typeof input.title === 'string' && input.title.trim() ? input.title : open.map((task) => task.name).join(', ') || 'Reminder';
      await notifications.notify({
        tenantId: context.tenantId, userIds, kind: 'escalated', title, body: typeof input.message === 'string' ? input.message : null,
        link: open.length === 1 && !named.length ? `/tasks/${open[0].id}` : `/requests/${context.instanceId}`, instanceId: context.instanceId,
        eventKey: `job:${context.jobKey}`,
      });
      return { notified: userIds.length };
    },
  };
}
