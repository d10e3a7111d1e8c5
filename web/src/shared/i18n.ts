import { createI18n, type DefineLocaleMessage } from 'vue-i18n';
import { en as vuetifyEn, zhHans as vuetifyZh } from 'vuetify/locale';
import type { Locale } from './api/types';
import en from './lang/en.json';
import zhCN from './lang/zh-CN.json';

export const LOCALES: readonly { value: Locale; title: string }[] = [
  { value: 'en', title: 'English' },
  { value: 'zh-CN', title: '中文' },
];

const STORAGE_KEY = 'opsflow.locale';

type Messages = DefineLocaleMessage;

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'zh-CN';
}

export function storedLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  return globalThis.navigator?.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** vue-i18n with the shared texts, Vuetify's own texts and the app's extra texts merged in. */
export function createAppI18n(extra: { en?: Messages; 'zh-CN'?: Messages } = {}, locale: Locale = storedLocale()) {
  const messages: Record<string, Messages> = {
    en: { $vuetify: vuetifyEn as Messages, ...en, ...extra.en },
    'zh-CN': { $vuetify: vuetifyZh as Messages, ...zhCN, ...extra['zh-CN'] },
  };
  return createI18n({
    legacy: false,
    locale: locale as string,
    fallbackLocale: 'en',
    missingWarn: false,
    fallbackWarn: false,
    messages,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;

/** Switches the UI language and remembers it in this browser. */
export function applyLocale(i18n: AppI18n, locale: Locale): void {
  i18n.global.locale.value = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  if (globalThis.document) document.documentElement.lang = locale;
}
