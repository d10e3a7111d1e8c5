import type { RouteLocationRaw } from 'vue-router';

export interface NavItem {
  /** i18n key of the label */
  title: string;
  icon: string;
  to?: RouteLocationRaw;
  /** a link outside this app (the other app) */
  href?: string;
  /** a count shown next to the label (open tasks); hidden when 0 or not given */
  badge?: number;
}
