import type { DefineLocaleMessage } from 'vue-i18n';
import { createPinia, setActivePinia } from 'pinia';
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { defineComponent, h, type Component } from 'vue';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import { VApp } from 'vuetify/components';
import type { Locale } from '../api/types';
import { createAppI18n } from '../i18n';
import { createAppVuetify } from '../vuetify';

type Messages = DefineLocaleMessage;

export interface TestMountOptions {
  locale?: Locale;
  messages?: { en?: Messages; 'zh-CN'?: Messages };
  routes?: RouteRecordRaw[];
  props?: Record<string, unknown>;
}

/** Mounts a component inside v-app with the real Pinia, i18n, Vuetify and an in-memory router. */
export async function mountWithApp(component: Component, options: TestMountOptions = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const i18n = createAppI18n(options.messages, options.locale ?? 'en');
  const vuetify = createAppVuetify(i18n);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: options.routes ?? [
      { path: '/', name: 'home', component: { template: '<div>home</div>' } },
      { path: '/sign-in', name: 'sign-in', component: { template: '<div>sign in</div>' } },
    ],
  });
  await router.push('/');
  await router.isReady();
  const Wrapper = defineComponent({ render: () => h(VApp, () => h(component, options.props ?? {})) });
  const mountOptions: ComponentMountingOptions<typeof Wrapper> = {
    global: { plugins: [pinia, i18n, vuetify, router] },
    attachTo: document.body,
  };
  const wrapper = mount(Wrapper, mountOptions);
  return { wrapper, router, pinia, i18n };
}

/** Lets pending promises and Vue updates settle. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

export { uncompilableTexts } from './i18n-check';
