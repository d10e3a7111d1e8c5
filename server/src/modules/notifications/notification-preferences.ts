import type { EntityManager } from 'typeorm';
import type { RowStatements } from '../../core/database/row-statements.js';
import { AppError } from '../../core/errors/app-error.js';
import { CHANNELS, type Channel, NOTIFICATION_KINDS, type NotificationKind, NotificationPreference } from './notification.entity.js';

export type ChannelChoice = Record<Channel, boolean>;
export type Preferences = Record<NotificationKind, ChannelChoice>;

/** What people get before they choose: everything in the app; e-mail for what asks them to act or tells them an outcome. */
const EMAIL_BY_DEFAULT = new Set<NotificationKind>(['assigned', 'cc', 'mention', 'urged', 'escalated', 'completed']);

export function defaultChoice(kind: NotificationKind): ChannelChoice {
  return { inApp: true, email: EMAIL_BY_DEFAULT.has(kind) };
}

/** A person's choices for every kind: their rows over the defaults. */
export async function preferencesOf(manager: EntityManager, tenantId: string, userId: string): Promise<Preferences> {
  const rows = await manager.find(NotificationPreference, { where: { tenantId, userId } });
  const chosen = new Map(rows.map((row) => [row.kind, row]));
  return Object.fromEntries(NOTIFICATION_KINDS.map((kind) => {
    const row = chosen.get(kind);
    return [kind, row ? { inApp: row.inApp, email: row.email } : defaultChoice(kind)];
  })) as Preferences;
}

/** For one kind, each person's choice (defaults for people who never chose). */
export async function choicesFor(
  rows: RowStatements<NotificationPreference>, manager: EntityManager, tenantId: string, userIds: readonly string[], kind: NotificationKind,
): Promise<Map<string, ChannelChoice>> {
  const chosen = userIds.length === 0 ? [] : await rows.pick(manager, ['userId', 'inApp', 'email'],
    `"tenantId" = ? AND "kind" = ? AND ${rows.in('userId', userIds.length)}`, [tenantId, kind, ...userIds]);
  const byUser = new Map(chosen.map((row) => [row.userId, { inApp: row.inApp, email: row.email }]));
  return new Map(userIds.map((userId) => [userId, byUser.get(userId) ?? defaultChoice(kind)]));
}

/**
 * Checks a change of choices as the API receives it (kinds it does not know and values that are not
 * true/false are refused, each with its path) and gives the rows to write.
 */
export function parseChanges(tenantId: string, userId: string, current: Preferences, changes: unknown): NotificationPreference[] {
  const problems: { path: string; message: string }[] = [];
  const rows: NotificationPreference[] = [];
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
    throw AppError.validation([{ path: 'preferences', message: 'Send the choices as { kind: { inApp, email } }' }]);
  }
  for (const [kind, choice] of Object.entries(changes)) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) {
      problems.push({ path: `preferences.${kind}`, message: `There is no notification of the kind "${kind}"` });
      continue;
    }
    if (!choice || typeof choice !== 'object' || Array.isArray(choice)) {
      problems.push({ path: `preferences.${kind}`, message: 'Choose the channels as { inApp, email }' });
      continue;
    }
    const next = { ...current[kind as NotificationKind] };
    for (const [channel, value] of Object.entries(choice)) {
      if (!(CHANNELS as readonly string[]).includes(channel)) problems.push({ path: `preferences.${kind}.${channel}`, message: `There is no channel "${channel}"; use inApp or email` });
      else if (typeof value !== 'boolean') problems.push({ path: `preferences.${kind}.${channel}`, message: 'Must be true or false' });
      else next[channel as Channel] = value;
    }
    rows.push({ tenantId, userId, kind: kind as NotificationKind, ...next });
  }
  if (problems.length) throw AppError.validation(problems);
  return rows;
}
