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

type Tree = { [key: string]: unknown };
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `base` with `extra` on top; a section both have (`forms`) gets the keys of both, not only the app's. */
function deepMerge(base: Tree, extra: Tree | undefined): Tree {
  const result: Tree = { ...base };
  for (const [key, value] of Object.entries(extra ?? {})) {
    const current = result[key];
    result[key] = isTree(value) && isTree(current) ? deepMerge(current, value) : value;
  }
  return result;
}

/** vue-i18n with the shared texts, Vuetify's own texts and the app's extra texts merged in. */
export function createAppI18n(extra: { en?: Messages; 'zh-CN'?: Messages } = {}, locale: Locale = storedLocale()) {
  const messages: Record<string, Messages> = {
    en: deepMerge({ $vuetify: vuetifyEn, ...en }, extra.en) as Messages,
    'zh-CN': deepMerge({ $vuetify: vuetifyZh, ...zhCN }, extra['zh-CN']) as Messages,
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
