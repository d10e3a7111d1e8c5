import type { AuditAction, AuditEventDto, AuditTarget } from '@opsflow/plugin-sdk';

/**
 * Every action and object type the server records. The generated types make the compiler fail here
 * when the server adds one, and audit-labels.test.ts makes sure both languages name each of them.
 */
export const AUDIT_ACTIONS = {
  'auth.login': true, 'auth.login_failed': true, 'auth.logout': true,
  'tenant.created': true,
  'user.created': true, 'user.updated': true, 'user.deactivated': true, 'user.reactivated': true, 'user.imported': true,
  'user.invite_accepted': true, 'user.password_changed': true,
  'department.created': true, 'department.updated': true, 'department.deleted': true,
  'group.created': true, 'group.updated': true, 'group.deleted': true, 'group.members_set': true,
  'api_key.created': true, 'api_key.revoked': true,
  'app.created': true, 'app.updated': true, 'app.deleted': true,
  'form.created': true, 'form.updated': true, 'form.published': true, 'form.deleted': true,
  'record.created': true, 'record.updated': true, 'record.deleted': true, 'record.imported': true, 'record.exported': true,
  'process.created': true, 'process.updated': true, 'process.deployed': true,
  'instance.started': true, 'instance.canceled': true, 'instance.variables_set': true, 'task.completed': true, 'incident.retried': true,
  'task.transferred': true, 'task.signer_added': true, 'task.returned': true, 'task.urged': true, 'instance.withdrawn': true,
  'message.correlated': true,
} satisfies Record<AuditAction, true>;

export const AUDIT_TARGETS = { user: true, tenant: true, department: true, group: true, api_key: true, app: true, form: true, record: true,
  process: true, instance: true, task: true, incident: true,
} satisfies Record<AuditTarget, true>;

export const actionLabelKey = (action: AuditEventDto['action']): string => `audit.actions.${action.replace(/\./g, '_')}`;
export const targetLabelKey = (target: AuditEventDto['targetType']): string => `audit.targetTypes.${target}`;
