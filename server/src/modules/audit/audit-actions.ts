/** Every action the audit log records. Clients translate them, so a new one is added here first. */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.logout',
  'tenant.created',
  'user.created', 'user.updated', 'user.deactivated', 'user.reactivated', 'user.imported', 'user.invite_accepted', 'user.password_changed',
  'department.created', 'department.updated', 'department.deleted',
  'group.created', 'group.updated', 'group.deleted', 'group.members_set',
  'api_key.created', 'api_key.revoked',
  'app.created', 'app.updated', 'app.deleted',
  'form.created', 'form.updated', 'form.published', 'form.deleted',
  'record.created', 'record.updated', 'record.deleted', 'record.imported', 'record.exported',
  'process.created', 'process.updated', 'process.deployed',
  'instance.started', 'instance.canceled', 'instance.variables_set', 'task.completed', 'task.transferred', 'task.signer_added', 'task.returned', 'task.urged', 'instance.withdrawn', 'incident.retried', 'message.correlated',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGETS = ['user', 'tenant', 'department', 'group', 'api_key', 'app', 'form', 'record', 'process', 'instance', 'task', 'incident'] as const;

export type AuditTarget = (typeof AUDIT_TARGETS)[number];
