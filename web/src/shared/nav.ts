import type { RouteLocationRaw } from 'vue-router';

export interface NavItem {
  /** i18n key of the label */
  title: string;
  icon: string;
  to?: RouteLocationRaw;
  /** a link outside this app (the other app) */
  href?: string;
}
