import { SignInPage } from '@opsflow/web/shared';
import { h } from 'vue';
import { useI18n } from 'vue-i18n';
import type { RouteRecordRaw } from 'vue-router';

const DesignerSignIn = {
  setup() {
    const { t } = useI18n();
    return () => h(SignInPage, { title: t('app.designer'), subtitle: t('designer.signInSubtitle') });
  },
};

export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: DesignerSignIn, meta: { public: true, bare: true } },
  { path: '/', redirect: { name: 'users' } },
  { path: '/apps', name: 'apps', component: () => import('./modules/apps/AppsPage.vue') },
  { path: '/apps/:appId', name: 'app', component: () => import('./modules/apps/AppFormsPage.vue'), props: true },
  { path: '/forms/:formId', name: 'form-designer', component: () => import('./modules/forms/FormDesignerPage.vue'), props: true },
  { path: '/processes/:processId', name: 'process-designer', component: () => import('./modules/processes/ProcessDesignerPage.vue'), props: true },
  { path: '/instances', name: 'instances', component: () => import('./modules/processes/InstancesPage.vue') },
  { path: '/instances/:instanceId', name: 'instance', component: () => import('./modules/processes/InstancePage.vue'), props: true },
  { path: '/users', name: 'users', component: () => import('./modules/users/UsersPage.vue') },
  { path: '/organisation', name: 'organisation', component: () => import('./modules/org/OrgPage.vue') },
  { path: '/api-keys', name: 'api-keys', component: () => import('./modules/api-keys/ApiKeysPage.vue') },
  { path: '/audit', name: 'audit', component: () => import('./modules/audit/AuditPage.vue') },
  { path: '/mail', name: 'mail', component: () => import('./modules/mail/MailOutboxPage.vue') },
  { path: '/:pathMatch(.*)*', redirect: { name: 'users' } },
];
