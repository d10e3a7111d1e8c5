import type { DefineLocaleMessage } from 'vue-i18n';
import { configureApiClient } from '@opsflow/plugin-sdk';
import { createPinia } from 'pinia';
import { createApp, type Component } from 'vue';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { createAppI18n } from './i18n';
import { installAuthGuard } from './router';
import { createAppVuetify } from './vuetify';

type Messages = DefineLocaleMessage;

export interface AppSetup {
  root: Component;
  routes: RouteRecordRaw[];
  /** router history base, '/' for web and '/designer/' for the designer */
  base: string;
  messages?: { en?: Messages; 'zh-CN'?: Messages };
}

/** Wires the API client, Pinia, i18n, Vuetify and the router the same way in both apps. */
export function bootstrapApp({ root, routes, base, messages }: AppSetup) {
  configureApiClient({ baseUrl: '' });
  const i18n = createAppI18n(messages);
  document.documentElement.lang = String(i18n.global.locale.value);
  const app = createApp(root);
  const pinia = createPinia();
  const router = createRouter({ history: createWebHistory(base), routes });
  app.use(pinia).use(i18n).use(createAppVuetify(i18n)).use(router);
  installAuthGuard(router);
  return { app, router, i18n };
}
