import { computed, shallowRef } from 'vue';
import { uniqueKey } from './palette';
import { canPlace, childrenOf, copyWithNewIds, keysInScope, locate, walk } from './tree';
import type { FormDocument, FormElement, FormSettings } from './types';

/** Every change the designer makes to a form, as data: applied by {@link applyCommand}, undone by the stack. */
export type Command =
  | { type: 'add'; element: FormElement; parentId: string | null; index: number }
  | { type: 'move'; id: string; parentId: string | null; index: number }
  | { type: 'remove'; id: string }
  | { type: 'duplicate'; id: string }
  | { type: 'update'; id: string; patch: Partial<Omit<FormElement, 'id' | 'kind' | 'children'>> }
  | { type: 'settings'; settings: FormSettings }
  | { type: 'rename'; name: string };

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const clamp = (index: number, length: number) => Math.max(0, Math.min(index, length));

function isInside(elements: FormElement[], ancestorId: string, id: string | null): boolean {
  if (id === null) return false;
  const ancestor = locate(elements, ancestorId);
  return !!ancestor?.element.children && !!locate(ancestor.element.children, id);
}

/**
 * Applies one command to a copy of the document and returns the copy; a command that does not fit
 * (unknown id, a step outside steps, a group into its own child) returns the document unchanged.
 */
function locateKey(doc: FormDocument, id: string): string | undefined {
  return locate(doc.elements, id)?.element.key;
}

/** Rules and hidden fields follow a field whose key changes. */
function renameReferences(doc: FormDocument, from: string | undefined, to: string): void {
  if (!from || from === to) return;
  for (const element of walk(doc.elements)) if (element.rule?.field === from) element.rule.field = to;
  doc.settings.hiddenFields = doc.settings.hiddenFields.map((path) => (path === from ? to : path));
}

export function applyCommand(doc: FormDocument, command: Command): FormDocument {
  const next = clone(doc);
  const elements = next.elements;
  switch (command.type) {
    case 'add': {
      if (!canPlace(elements, command.parentId, command.element.kind)) return doc;
      const target = childrenOf(elements, command.parentId);
      if (!target) return doc;
      const element = clone(command.element);
      const scope = command.parentId ? locate(elements, command.parentId)!.element : null;
      const taken = keysInScope(elements, scope?.kind === 'table' ? scope : null);
      if (element.key && taken.has(element.key)) element.key = uniqueKey(element.key, taken);
      target.splice(clamp(command.index, target.length), 0, element);
      return next;
    }
    case 'move': {
      const found = locate(elements, command.id);
      if (!found || command.id === command.parentId || isInside(elements, command.id, command.parentId)) return doc;
      if (!canPlace(elements, command.parentId, found.element.kind)) return doc;
      found.list.splice(found.index, 1);
      const target = childrenOf(elements, command.parentId);
      if (!target) return doc;
      const scope = command.parentId ? locate(elements, command.parentId)!.element : null;
      const oldScope = found.parent?.kind === 'table' ? found.parent.id : null;
      const newScope = scope?.kind === 'table' ? scope.id : null;
      if (oldScope !== newScope && found.element.key) {
        const taken = keysInScope(elements, scope?.kind === 'table' ? scope : null);
        if (taken.has(found.element.key)) found.element.key = uniqueKey(found.element.key, taken);
      }
      target.splice(clamp(command.index, target.length), 0, found.element);
      return next;
    }
    case 'remove': {
      const found = locate(elements, command.id);
      if (!found) return doc;
      found.list.splice(found.index, 1);
      return next;
    }
    case 'duplicate': {
      const found = locate(elements, command.id);
      if (!found) return doc;
      const taken = keysInScope(elements, found.parent?.kind === 'table' ? found.parent : null);
      found.list.splice(found.index + 1, 0, copyWithNewIds(found.element, taken));
      return next;
    }
    case 'update': {
      const found = locate(elements, command.id);
      if (!found) return doc;
      const patch = clone(command.patch) as Record<string, unknown>;
      const target = found.element as unknown as Record<string, unknown>;
      for (const [name, value] of Object.entries(patch)) {
        if (value === undefined || value === null) delete target[name];
        else target[name] = value;
      }
      // `undefined` does not survive the JSON copy: a patch that clears a property names it explicitly.
      for (const [name, value] of Object.entries(command.patch)) if (value === undefined) delete target[name];
      if (typeof patch.key === 'string' && found.parent?.kind !== 'table') {
        renameReferences(next, locateKey(doc, command.id), patch.key);
      }
      return next;
    }
    case 'settings':
      next.settings = clone(command.settings);
      return next;
    case 'rename':
      next.name = command.name;
      return next;
  }
}

/**
 * The command stack: the one way the designer changes the document. Each command stores the document
 * before it; `mergeKey` folds a run of edits to one property (typing a label) into one undo step.
 */
export function createCommandStack(initial: FormDocument, limit = 200) {
  const doc = shallowRef<FormDocument>(initial);
  const past = shallowRef<FormDocument[]>([]);
  const future = shallowRef<FormDocument[]>([]);
  let lastMergeKey: string | undefined;

  function execute(command: Command, mergeKey?: string): boolean {
    const next = applyCommand(doc.value, command);
    if (next === doc.value) return false;
    if (!(mergeKey && mergeKey === lastMergeKey && past.value.length > 0)) {
      past.value = [...past.value, doc.value].slice(-limit);
    }
    lastMergeKey = mergeKey;
    future.value = [];
    doc.value = next;
    return true;
  }
  function undo(): void {
    const previous = past.value.at(-1);
    if (!previous) return;
    past.value = past.value.slice(0, -1);
    future.value = [doc.value, ...future.value];
    doc.value = previous;
    lastMergeKey = undefined;
  }
  function redo(): void {
    const following = future.value[0];
    if (!following) return;
    future.value = future.value.slice(1);
    past.value = [...past.value, doc.value];
    doc.value = following;
    lastMergeKey = undefined;
  }
  /** Starts over with a loaded document and no history. */
  function reset(loaded: FormDocument): void {
    doc.value = loaded;
    past.value = [];
    future.value = [];
    lastMergeKey = undefined;
  }
  const canUndo = computed(() => past.value.length > 0);
  const canRedo = computed(() => future.value.length > 0);
  return { doc, execute, undo, redo, reset, canUndo, canRedo };
}

export type CommandStack = ReturnType<typeof createCommandStack>;
