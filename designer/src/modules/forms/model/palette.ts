import {
  mdiAccount, mdiCalculator, mdiCalendar, mdiCalendarClock, mdiCashMultiple, mdiCheckboxMarkedOutline, mdiEmailOutline,
  mdiFileTree, mdiFormatListBulleted, mdiFormatListChecks, mdiFormTextbox, mdiLink, mdiNumeric, mdiNumeric1BoxOutline,
  mdiPhone, mdiRadioboxMarked, mdiSignatureFreehand, mdiStarOutline, mdiTable, mdiTextBoxOutline, mdiTextLong,
  mdiViewAgendaOutline, mdiViewColumnOutline, mdiStepForward, mdiFormatText, mdiPaperclip,
} from '@mdi/js';
import { emptyText, type ElementKind, type FieldKind, type FormElement, type LayoutKind } from './types';

export interface PaletteItem {
  kind: ElementKind;
  icon: string;
  section: 'fields' | 'layouts';
}

export const PALETTE: readonly PaletteItem[] = [
  { kind: 'text', icon: mdiFormTextbox, section: 'fields' },
  { kind: 'textarea', icon: mdiTextLong, section: 'fields' },
  { kind: 'number', icon: mdiNumeric, section: 'fields' },
  { kind: 'integer', icon: mdiNumeric1BoxOutline, section: 'fields' },
  { kind: 'money', icon: mdiCashMultiple, section: 'fields' },
  { kind: 'date', icon: mdiCalendar, section: 'fields' },
  { kind: 'datetime', icon: mdiCalendarClock, section: 'fields' },
  { kind: 'select', icon: mdiFormatListBulleted, section: 'fields' },
  { kind: 'multiselect', icon: mdiFormatListChecks, section: 'fields' },
  { kind: 'checkbox', icon: mdiCheckboxMarkedOutline, section: 'fields' },
  { kind: 'radio', icon: mdiRadioboxMarked, section: 'fields' },
  { kind: 'email', icon: mdiEmailOutline, section: 'fields' },
  { kind: 'phone', icon: mdiPhone, section: 'fields' },
  { kind: 'url', icon: mdiLink, section: 'fields' },
  { kind: 'rating', icon: mdiStarOutline, section: 'fields' },
  { kind: 'user', icon: mdiAccount, section: 'fields' },
  { kind: 'department', icon: mdiFileTree, section: 'fields' },
  { kind: 'richtext', icon: mdiFormatText, section: 'fields' },
  { kind: 'file', icon: mdiPaperclip, section: 'fields' },
  { kind: 'signature', icon: mdiSignatureFreehand, section: 'fields' },
  { kind: 'table', icon: mdiTable, section: 'fields' },
  { kind: 'calculated', icon: mdiCalculator, section: 'fields' },
  { kind: 'group', icon: mdiViewAgendaOutline, section: 'layouts' },
  { kind: 'columns', icon: mdiViewColumnOutline, section: 'layouts' },
  { kind: 'steps', icon: mdiStepForward, section: 'layouts' },
];

export const ICONS: Record<ElementKind, string> = {
  ...Object.fromEntries(PALETTE.map((item) => [item.kind, item.icon])),
  step: mdiTextBoxOutline,
} as Record<ElementKind, string>;

const LAYOUTS: readonly string[] = ['group', 'columns', 'steps', 'step'];
export const isLayout = (kind: ElementKind): kind is LayoutKind => LAYOUTS.includes(kind);
export const isField = (kind: ElementKind): kind is FieldKind => !isLayout(kind);
export const isContainer = (kind: ElementKind) => isLayout(kind) || kind === 'table';
/** Fields that can be a column of a sub-table: scalar values only. */
const NOT_IN_TABLE: readonly ElementKind[] = ['table', 'multiselect', 'richtext', 'file', 'signature', 'calculated'];

/** Whether an element of `child` kind may be placed inside `parent` (null: the form's top level). */
export function canContain(parent: ElementKind | null, child: ElementKind): boolean {
  if (child === 'step') return parent === 'steps';
  if (parent === 'steps') return false;
  if (parent === 'table') return isField(child) && !NOT_IN_TABLE.includes(child);
  if (child === 'steps') return parent === null;
  return parent === null || isLayout(parent);
}

let counter = 0;
/** A fresh element id; ids are also the i18n keys of layouts, so they are valid identifiers. */
export function newId(prefix = 'el'): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

const option = (value: string, en: string, zh: string) => ({ value, label: { en, 'zh-CN': zh } });

/** A new element of the palette kind, with a key unique among `takenKeys`. */
export function createElement(kind: ElementKind, takenKeys: ReadonlySet<string> = new Set(), stepNumber = 1): FormElement {
  const element: FormElement = {
    id: newId(isLayout(kind) ? kind : 'f'), kind, key: '', label: emptyText(), help: emptyText(), placeholder: emptyText(),
    required: false, readOnly: false,
  };
  if (isField(kind)) {
    element.key = uniqueKey(kind, takenKeys);
    element.autoKey = true;
  }
  switch (kind) {
    case 'select': case 'radio': case 'multiselect':
      element.options = [option('option_1', 'Option 1', '选项 1'), option('option_2', 'Option 2', '选项 2')];
      break;
    case 'file':
      element.multiple = true;
      break;
    case 'calculated':
      element.expression = '=0';
      element.readOnly = true;
      break;
    case 'table':
      element.children = [];
      break;
    case 'steps':
      element.children = [createElement('step', takenKeys, 1), createElement('step', takenKeys, 2)];
      break;
    case 'step':
      element.children = [];
      element.label = { en: `Step ${stepNumber}`, 'zh-CN': `步骤 ${stepNumber}` };
      break;
    case 'group':
      element.children = [];
      element.label = { en: 'Section', 'zh-CN': '分组' };
      break;
    case 'columns':
      element.children = [];
      break;
    default:
      break;
  }
  return element;
}

/** `base`, or `base_2`, `base_3`… whichever is free. */
export function uniqueKey(base: string, taken: ReadonlySet<string>): string {
  const clean = base || 'field';
  if (!taken.has(clean)) return clean;
  let n = 2;
  while (taken.has(`${clean}_${n}`)) n += 1;
  return `${clean}_${n}`;
}

/** A data key from a label: ASCII letters, digits and `_`, starting with a letter. */
export function keyFromLabel(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/g, '');
  if (!slug) return '';
  return /^[a-z]/.test(slug) ? slug : `f_${slug}`;
}

export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
