import { hasRole } from '../../core/auth/roles.js';
import type { Actor } from '../../core/tenancy/request-context.js';
import type { FormSettings } from './form-definition.js';

/** Owners and admins may always see every record; others when the form names one of their roles. */
export function canViewAllRecords(settings: FormSettings, actor: Actor | undefined): boolean {
  if (!actor) return false;
  return hasRole(actor.roles, 'admin') || actor.roles.some((role) => settings.access.viewAll.includes(role));
}

/** Public forms take everyone; "members" everyone signed in; otherwise the listed roles (and admins). */
export function canSubmit(settings: FormSettings, actor: Actor | undefined): boolean {
  const { submit } = settings.access;
  if (submit === 'public') return true;
  if (!actor) return false;
  if (submit === 'members') return true;
  return hasRole(actor.roles, 'admin') || actor.roles.some((role) => submit.includes(role));
}

/** Fields hidden from people who are not admins. */
export function hiddenFieldsFor(settings: FormSettings, actor: Actor | undefined): string[] {
  return actor && hasRole(actor.roles, 'admin') ? [] : settings.hiddenFields;
}
