import {
  mdiAlertCircleOutline, mdiArrowDown, mdiArrowUp, mdiCalendarClock, mdiClockOutline, mdiDelete, mdiEye, mdiEyeOff, mdiPlus,
} from '@mdi/js';
import { useI18n } from 'vue-i18n';
import { createVuetify } from 'vuetify';
import * as components from 'vuetify/components';
import * as directives from 'vuetify/directives';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';
import { createVueI18nAdapter } from 'vuetify/locale/adapters/vue-i18n';
import 'vuetify/styles';
import type { AppI18n } from './i18n';

/** The icons the JSON Forms renderer set asks Vuetify for, as SVG paths (the app uses the mdi-svg set). */
const jsonFormsIcons = {
  itemAdd: mdiPlus,
  itemMoveUp: mdiArrowUp,
  itemMoveDown: mdiArrowDown,
  itemDelete: mdiDelete,
  calendarClock: mdiCalendarClock,
  clock: mdiClockOutline,
  passwordHide: mdiEyeOff,
  passwordShow: mdiEye,
  validationError: mdiAlertCircleOutline,
};

export function createAppVuetify(i18n: AppI18n) {
  return createVuetify({
    components,
    directives,
    icons: { defaultSet: 'mdi', aliases: { ...aliases, ...jsonFormsIcons }, sets: { mdi } },
    locale: { adapter: createVueI18nAdapter({ i18n, useI18n }) },
    theme: {
      defaultTheme: 'light',
      themes: { light: { colors: { primary: '#1565C0', secondary: '#00897B' } } },
    },
    defaults: {
      VTextField: { variant: 'outlined', density: 'comfortable' },
      VNumberInput: { variant: 'outlined', density: 'comfortable' },
      VSelect: { variant: 'outlined', density: 'comfortable' },
      VAutocomplete: { variant: 'outlined', density: 'comfortable' },
      VTextarea: { variant: 'outlined' },
    },
  });
}
