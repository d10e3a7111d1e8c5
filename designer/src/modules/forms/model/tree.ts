import { canContain, isField, newId, uniqueKey } from './palette';
import type { ElementKind, FormElement } from './types';

export interface Located {
  element: FormElement;
  parent: FormElement | null;
  list: FormElement[];
  index: number;
}

/** Finds an element anywhere in the tree, with the list that holds it. */
export function locate(elements: FormElement[], id: string, parent: FormElement | null = null): Located | null {
  for (let index = 0; index < elements.length; index += 1) {
    const element = elements[index]!;
    if (element.id === id) return { element, parent, list: elements, index };
    if (element.children) {
      const found = locate(element.children, id, element);
      if (found) return found;
    }
  }
  return null;
}

/** Every element, depth first. */
export function* walk(elements: FormElement[]): Generator<FormElement> {
  for (const element of elements) {
    yield element;
    if (element.children) yield* walk(element.children);
  }
}

/** Fields whose values sit at the top level of the data: every field that is not a sub-table column. */
export function dataFields(elements: FormElement[]): FormElement[] {
  const fields: FormElement[] = [];
  const visit = (list: FormElement[]) => {
    for (const element of list) {
      if (isField(element.kind)) fields.push(element);
      else if (element.children) visit(element.children);
    }
  };
  visit(elements);
  return fields;
}

/** The data fields that share a key namespace with the element in `parent` (top level, or one sub-table's columns). */
export function siblingsInScope(elements: FormElement[], parent: FormElement | null): FormElement[] {
  if (parent?.kind === 'table') return parent.children ?? [];
  return dataFields(elements);
}

/** The table an element sits in, or null when its key lives at the top level. */
export function scopeOf(elements: FormElement[], id: string): FormElement | null {
  const found = locate(elements, id);
  return found?.parent?.kind === 'table' ? found.parent : null;
}

export function keysInScope(elements: FormElement[], scope: FormElement | null, exceptId?: string): Set<string> {
  return new Set(siblingsInScope(elements, scope).filter((f) => f.id !== exceptId).map((f) => f.key));
}

export const childrenOf = (elements: FormElement[], parentId: string | null): FormElement[] | null => {
  if (parentId === null) return elements;
  return locate(elements, parentId)?.element.children ?? null;
};

export const kindOf = (elements: FormElement[], parentId: string | null): ElementKind | null =>
  parentId === null ? null : (locate(elements, parentId)?.element.kind ?? null);

/** A deep copy with fresh ids and, for fields, keys that are free in `taken` (which it extends). */
export function copyWithNewIds(element: FormElement, taken: Set<string>): FormElement {
  const copy: FormElement = JSON.parse(JSON.stringify(element));
  const renew = (el: FormElement, keys: Set<string>, top: boolean) => {
    el.id = newId(isField(el.kind) ? 'f' : el.kind);
    if (isField(el.kind) && top) {
      el.key = uniqueKey(el.key, keys);
      el.autoKey = false;
      keys.add(el.key);
    }
    if (el.children) {
      const inTable = el.kind === 'table';
      for (const child of el.children) renew(child, inTable ? new Set() : keys, !inTable);
    }
  };
  renew(copy, taken, true);
  return copy;
}

export function canPlace(elements: FormElement[], parentId: string | null, kind: ElementKind): boolean {
  return canContain(kindOf(elements, parentId), kind);
}
