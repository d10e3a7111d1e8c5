import { ApiError } from '@opsflow/plugin-sdk';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { formsApi, type FormDto } from '../../../api/forms';
import { createCommandStack, type Command } from '../model/commands';
import { fromDefinition, toDefinition } from '../model/definition';
import { createElement, isField, KEY_PATTERN } from '../model/palette';
import { placeServerError, type PlacedError } from '../model/server-errors';
import { canPlace, keysInScope, locate, scopeOf } from '../model/tree';
import { DEFAULT_SETTINGS, type ElementKind, type FormDocument, type FormElement, type FormSettings } from '../model/types';

export type KeyProblem = 'keyRequired' | 'keyInvalid' | 'keyTaken';

const emptyDoc = (): FormDocument => ({ name: '', elements: [], settings: DEFAULT_SETTINGS });

function settingsOf(value: unknown): FormSettings {
  const raw = (value ?? {}) as Partial<FormSettings>;
  return {
    access: { ...DEFAULT_SETTINGS.access, ...(raw.access ?? {}) },
    anonymous: raw.anonymous === true,
    hiddenFields: Array.isArray(raw.hiddenFields) ? raw.hiddenFields : [],
  };
}

/** The form being designed: its command stack, the selection, and saving / publishing against the server. */
export const useFormDesignerStore = defineStore('form-designer', () => {
  const stack = createCommandStack(emptyDoc());
  const doc = stack.doc;
  const form = shallowRef<FormDto | null>(null);
  const selectedId = ref<string | null>(null);
  const loading = ref(false);
  const saving = ref(false);
  const publishing = ref(false);
  const serverErrors = shallowRef<PlacedError[]>([]);
  const savedSnapshot = ref('');

  const definition = computed(() => toDefinition(doc.value.elements));
  /** Settings as saved: hidden fields that were deleted since are dropped. */
  const settings = computed<FormSettings>(() => {
    const keys = new Set(Object.keys(definition.value.schema.properties ?? {}));
    return { ...doc.value.settings, hiddenFields: doc.value.settings.hiddenFields.filter((key) => keys.has(key)) };
  });
  const snapshot = computed(() => JSON.stringify({ name: doc.value.name, ...definition.value, settings: settings.value }));
  const dirty = computed(() => form.value !== null && snapshot.value !== savedSnapshot.value);
  const selected = computed(() => (selectedId.value ? locate(doc.value.elements, selectedId.value) : null));

  /** What is wrong with a field's key: empty, not letters/digits/_, or used twice in its scope. */
  function keyProblem(element: FormElement): KeyProblem | null {
    if (!isField(element.kind)) return null;
    if (!element.key) return 'keyRequired';
    if (!KEY_PATTERN.test(element.key)) return 'keyInvalid';
    const scope = scopeOf(doc.value.elements, element.id);
    if (keysInScope(doc.value.elements, scope, element.id).has(element.key)) return 'keyTaken';
    return null;
  }
  const keyProblems = computed(() => {
    const problems = new Map<string, KeyProblem>();
    const visit = (list: FormElement[]) => {
      for (const element of list) {
        const problem = keyProblem(element);
        if (problem) problems.set(element.id, problem);
        if (element.children) visit(element.children);
      }
    };
    visit(doc.value.elements);
    return problems;
  });

  function execute(command: Command, mergeKey?: string): boolean {
    const done = stack.execute(command, mergeKey);
    if (done && command.type === 'remove' && selectedId.value && !locate(doc.value.elements, selectedId.value)) {
      selectedId.value = null;
    }
    return done;
  }

  /** Adds a palette element: into the selected container when it fits, else after the selected element, else at the end. */
  function addFromPalette(kind: ElementKind): string | null {
    const element = createElement(kind);
    const current = selected.value;
    let parentId: string | null = null;
    let index = doc.value.elements.length;
    if (current) {
      if (current.element.children && canPlace(doc.value.elements, current.element.id, kind)) {
        parentId = current.element.id;
        index = current.element.children.length;
      } else if (canPlace(doc.value.elements, current.parent?.id ?? null, kind)) {
        parentId = current.parent?.id ?? null;
        index = current.index + 1;
      }
    }
    if (!execute({ type: 'add', element, parentId, index })) return null;
    selectedId.value = element.id;
    return element.id;
  }

  function moveBy(id: string, delta: -1 | 1): void {
    const found = locate(doc.value.elements, id);
    if (!found) return;
    const index = found.index + delta;
    if (index < 0 || index >= found.list.length) return;
    execute({ type: 'move', id, parentId: found.parent?.id ?? null, index });
  }

  function duplicate(id: string): void {
    if (!execute({ type: 'duplicate', id })) return;
    const found = locate(doc.value.elements, id);
    selectedId.value = found?.list[found.index + 1]?.id ?? id;
  }

  function remove(id: string): void {
    execute({ type: 'remove', id });
  }

  function errorsFor(elementId: string, property: string): string[] {
    return serverErrors.value.filter((e) => e.elementId === elementId && e.property === property).map((e) => e.message);
  }
  const elementsWithErrors = computed(() => new Set(serverErrors.value.map((e) => e.elementId).filter(Boolean)));
  const generalErrors = computed(() => serverErrors.value.filter((e) => e.elementId === null));

  function open(dto: FormDto): void {
    form.value = dto;
    const loaded: FormDocument = {
      name: dto.name, elements: fromDefinition(dto.schema, dto.uischema), settings: settingsOf(dto.settings),
    };
    stack.reset(loaded);
    savedSnapshot.value = snapshot.value;
    serverErrors.value = [];
    selectedId.value = null;
  }

  async function load(formId: string): Promise<void> {
    loading.value = true;
    form.value = null;
    try {
      open(await formsApi.get(formId));
    } finally {
      loading.value = false;
    }
  }

  /** Saves the draft; a 422 puts its details on the elements they are about and rethrows. */
  async function save(): Promise<void> {
    if (!form.value) return;
    saving.value = true;
    const sent = snapshot.value;
    const { schema, uischema } = definition.value;
    try {
      const answer = await formsApi.update(form.value.id, {
        name: doc.value.name, schema, uischema, settings: settings.value,
      });
      form.value = answer;
      savedSnapshot.value = sent;
      serverErrors.value = [];
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) {
        serverErrors.value = e.details.map((d) => placeServerError(doc.value.elements, d.path, d.message));
        const first = serverErrors.value.find((p) => p.elementId);
        if (first?.elementId) selectedId.value = first.elementId;
      }
      throw e;
    } finally {
      saving.value = false;
    }
  }

  async function publish(): Promise<number> {
    if (!form.value) return 0;
    publishing.value = true;
    try {
      if (dirty.value) await save();
      const version = await formsApi.publish(form.value.id);
      form.value = await formsApi.get(form.value.id);
      return version.version;
    } finally {
      publishing.value = false;
    }
  }

  return {
    doc, form, selectedId, selected, loading, saving, publishing, dirty, definition, serverErrors, keyProblems,
    canUndo: stack.canUndo, canRedo: stack.canRedo, undo: stack.undo, redo: stack.redo,
    execute, addFromPalette, moveBy, duplicate, remove, keyProblem, errorsFor, elementsWithErrors, generalErrors,
    open, load, save, publish,
  };
});
