import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Locale } from '../api/types';
import { isLocale, LOCALES } from '../i18n';
import { useErrorHandler } from '../errors';
import { useSessionStore } from '../stores/session';

const STORAGE_KEY = 'opsflow.locale';

function remember(locale: Locale): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  if (globalThis.document) document.documentElement.lang = locale;
}

/** The UI language: kept in this browser and, when signed in, in the user's profile. */
export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' });
  const session = useSessionStore();
  const errors = useErrorHandler();

  async function setLocale(next: Locale): Promise<void> {
    locale.value = next;
    remember(next);
    if (session.me && session.me.locale !== next) {
      try {
        await session.updateProfile({ locale: next });
      } catch (e) {
        errors.handle(e);
      }
    }
  }

  /** Follows the signed-in user's saved language. */
  function followProfile(): void {
    watch(
      () => session.me?.locale,
      (saved) => {
        if (isLocale(saved) && saved !== locale.value) {
          locale.value = saved;
          remember(saved);
        }
      },
      { immediate: true },
    );
  }

  return { locale, locales: LOCALES, setLocale, followProfile };
}
