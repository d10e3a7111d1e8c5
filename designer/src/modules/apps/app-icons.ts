import {
  mdiAccountPlus, mdiApps, mdiBriefcaseOutline, mdiCalendarCheck, mdiCashMultiple, mdiClipboardCheckOutline,
  mdiCommentQuoteOutline, mdiHeadset, mdiLightbulbOnOutline, mdiTruckOutline,
} from '@mdi/js';

/** The icons an admin can pick for an app, stored by their @mdi/js export name. */
export const APP_ICONS: Record<string, string> = {
  mdiApps, mdiAccountPlus, mdiCommentQuoteOutline, mdiLightbulbOnOutline, mdiBriefcaseOutline, mdiCashMultiple,
  mdiClipboardCheckOutline, mdiCalendarCheck, mdiTruckOutline, mdiHeadset,
};

export const appIcon = (name: string | null | undefined): string => (name && APP_ICONS[name]) || mdiApps;
