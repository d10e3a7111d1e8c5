import { describe, expect, it } from 'vitest';
import { applyCommand, createCommandStack } from './commands';
import { createElement } from './palette';
import { locate } from './tree';
import { DEFAULT_SETTINGS, type FormDocument, type FormElement } from './types';

const doc = (elements: FormElement[] = []): FormDocument => ({ name: 'Form', elements, settings: DEFAULT_SETTINGS });
const keys = (d: FormDocument) => d.elements.map((e) => e.key || e.kind);

describe('applyCommand', () => {
  it('adds, moves, duplicates and removes without touching the original document', () => {
    const a = { ...createElement('text'), key: 'a' };
    const b = { ...createElement('number'), key: 'b' };
    const group = createElement('group');
    const start = doc([a, b, group]);
    const moved = applyCommand(start, { type: 'move', id: b.id, parentId: null, index: 0 });
    expect(keys(moved)).toEqual(['b', 'a', 'group']);
    expect(keys(start)).toEqual(['a', 'b', 'group']);
    const inGroup = applyCommand(moved, { type: 'move', id: a.id, parentId: group.id, index: 0 });
    expect(locate(inGroup.elements, a.id)!.parent!.id).toBe(group.id);
    const copied = applyCommand(inGroup, { type: 'duplicate', id: a.id });
    expect(locate(copied.elements, group.id)!.element.children!.map((e) => e.key)).toEqual(['a', 'a_2']);
    const removed = applyCommand(copied, { type: 'remove', id: group.id });
    expect(keys(removed)).toEqual(['b']);
  });

  it('gives an added field a free key and refuses what does not fit', () => {
    const a = { ...createElement('text'), key: 'name' };
    const steps = createElement('steps');
    const group = createElement('group');
    const start = doc([a, steps, group]);
    const added = applyCommand(start, { type: 'add', element: { ...createElement('text'), key: 'name' }, parentId: null, index: 9 });
    expect(keys(added)).toEqual(['name', 'steps', 'group', 'name_2']);
    expect(applyCommand(start, { type: 'add', element: createElement('text'), parentId: steps.id, index: 0 })).toBe(start);
    expect(applyCommand(start, { type: 'move', id: steps.id, parentId: group.id, index: 0 })).toBe(start);
    expect(applyCommand(start, { type: 'move', id: group.id, parentId: group.id, index: 0 })).toBe(start);
    expect(applyCommand(start, { type: 'add', element: createElement('table'), parentId: null, index: 0 })).not.toBe(start);
    const table = createElement('table');
    const withTable = doc([table]);
    expect(applyCommand(withTable, { type: 'add', element: createElement('group'), parentId: table.id, index: 0 })).toBe(withTable);
    expect(applyCommand(withTable, { type: 'remove', id: 'nope' })).toBe(withTable);
  });

  it('updates and clears element properties', () => {
    const a = { ...createElement('number'), key: 'a', minimum: 3 };
    const updated = applyCommand(doc([a]), { type: 'update', id: a.id, patch: { label: { en: 'Age', 'zh-CN': '年龄' }, minimum: undefined } });
    expect(updated.elements[0]!.label.en).toBe('Age');
    expect(updated.elements[0]!.minimum).toBeUndefined();
  });
});

it('keeps rules and hidden fields pointing at a renamed field', () => {
  const a = { ...createElement('number'), key: 'budget' };
  const b = { ...createElement('text'), key: 'reason', rule: { effect: 'SHOW' as const, field: 'budget', operator: 'gt' as const, value: 1 } };
  const start = { ...doc([a, b]), settings: { ...DEFAULT_SETTINGS, hiddenFields: ['budget'] } };
  const renamed = applyCommand(start, { type: 'update', id: a.id, patch: { key: 'amount' } });
  expect(renamed.elements[1]!.rule!.field).toBe('amount');
  expect(renamed.settings.hiddenFields).toEqual(['amount']);
});

describe('command stack', () => {
  it('undoes and redoes every change in order', () => {
    const stack = createCommandStack(doc());
    const a = createElement('text');
    stack.execute({ type: 'add', element: a, parentId: null, index: 0 });
    stack.execute({ type: 'add', element: createElement('date'), parentId: null, index: 1 });
    stack.execute({ type: 'rename', name: 'Renamed' });
    expect(stack.doc.value.elements).toHaveLength(2);
    stack.undo();
    expect(stack.doc.value.name).toBe('Form');
    stack.undo();
    expect(stack.doc.value.elements).toHaveLength(1);
    expect(stack.canRedo.value).toBe(true);
    stack.redo();
    stack.redo();
    expect(stack.doc.value.name).toBe('Renamed');
    expect(stack.canRedo.value).toBe(false);
    stack.undo();
    stack.undo();
    stack.undo();
    expect(stack.doc.value.elements).toHaveLength(0);
    expect(stack.canUndo.value).toBe(false);
  });

  it('folds typing into one step and forgets the redo branch after a new change', () => {
    const a = createElement('text');
    const stack = createCommandStack(doc([a]));
    for (const text of ['N', 'Na', 'Nam', 'Name']) {
      stack.execute({ type: 'update', id: a.id, patch: { label: { en: text, 'zh-CN': '' } } }, `${a.id}:label`);
    }
    expect(stack.doc.value.elements[0]!.label.en).toBe('Name');
    stack.undo();
    expect(stack.doc.value.elements[0]!.label.en).toBe('');
    stack.redo();
    stack.execute({ type: 'remove', id: a.id });
    stack.undo();
    stack.execute({ type: 'rename', name: 'x' });
    expect(stack.canRedo.value).toBe(false);
    expect(stack.execute({ type: 'remove', id: 'missing' })).toBe(false);
  });
});
