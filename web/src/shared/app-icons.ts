import {
  mdiAccountGroup, mdiAccountPlus, mdiApps, mdiBriefcase, mdiBullhorn, mdiCalendarCheck, mdiCart, mdiCashMultiple, mdiChartBar,
  mdiClipboardCheck, mdiCommentQuote, mdiFileDocumentEdit, mdiFlask, mdiHeadset, mdiLaptop, mdiLightbulbOn, mdiMessageAlert,
  mdiOfficeBuilding, mdiPackageVariant, mdiSchool, mdiShieldCheck, mdiStar, mdiTools, mdiTruck,
} from '@mdi/js';

/**
 * The icons an app can carry, by their @mdi/js export name (what `AppDto.icon` stores). A fixed set, because
 * the whole icon font would add megabytes to both apps; an unknown name shows the generic apps icon.
 */
export const APP_ICONS: Readonly<Record<string, string>> = {
  mdiApps, mdiAccountPlus, mdiAccountGroup, mdiBriefcase, mdiBullhorn, mdiCalendarCheck, mdiCart, mdiCashMultiple, mdiChartBar,
  mdiClipboardCheck, mdiCommentQuote, mdiFileDocumentEdit, mdiFlask, mdiHeadset, mdiLaptop, mdiLightbulbOn, mdiMessageAlert,
  mdiOfficeBuilding, mdiPackageVariant, mdiSchool, mdiShieldCheck, mdiStar, mdiTools, mdiTruck,
};

export function appIcon(name: string | null | undefined): string {
  return (name && Object.hasOwn(APP_ICONS, name) ? APP_ICONS[name] : undefined) ?? mdiApps;
}
