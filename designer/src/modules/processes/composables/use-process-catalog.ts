import { ROLES, useErrorHandler } from '@opsflow/web/shared';
import { shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { groupsApi, usersApi } from '../../../api/admin';
import { formsApi } from '../../../api/forms';
import { catalogApi, type FormField, type TaskType } from '../../../api/processes';
import type { CatalogOption, CatalogUser, OpsflowCatalog } from '../bpmn/catalog';

/**
 * The catalogue Opsflow's properties entries offer for one app: its published forms, people, roles and groups,
 * plugin task types and form fields (loaded once per form), with texts in the user's language.
 */
export function useProcessCatalog(appId: () => string | null, startFormId: () => string | null) {
  const { t, locale } = useI18n();
  const errors = useErrorHandler();
  const forms = shallowRef<CatalogOption[]>([]);
  const users = shallowRef<CatalogUser[]>([]);
  const groups = shallowRef<CatalogOption[]>([]);
  const taskTypes = shallowRef<TaskType[]>([]);
  const fields = new Map<string, Promise<FormField[]>>();

  async function load(): Promise<void> {
    const id = appId();
    try {
      const [formPage, userPage, groupPage, types] = await Promise.all([
        id ? formsApi.list(id) : Promise.resolve({ items: [] }),
        usersApi.list({ page: 1, pageSize: 500 }),
        groupsApi.list(),
        catalogApi.taskTypes(),
      ]);
      forms.value = formPage.items.filter((form) => form.publishedVersion !== null).map((form) => ({ value: form.id, title: form.name }));
      users.value = userPage.items.filter((user) => user.active !== false).map((user) => ({ id: user.id, name: user.name, email: user.email }));
      groups.value = [
        ...ROLES.map((role) => ({ value: role, title: t('processDesigner.roleOption', { role: t(`roles.${role}`) }) })),
        ...groupPage.items.map((group) => ({ value: group.id, title: t('processDesigner.groupOption', { group: group.name }) })),
      ];
      taskTypes.value = types;
    } catch (e) {
      errors.handle(e);
    }
  }

  const catalog: OpsflowCatalog = {
    t: (key, params) => t(key, params ?? {}),
    locale: () => String(locale.value),
    forms: () => forms.value,
    users: () => users.value,
    groups: () => groups.value,
    taskTypes: () => taskTypes.value,
    startFormId,
    formFields(formId) {
      let loaded = fields.get(formId);
      if (!loaded) {
        loaded = catalogApi.formFields(formId).catch(() => []);
        fields.set(formId, loaded);
      }
      return loaded;
    },
  };

  return { catalog, load, forms };
}
