import { ApiError } from '@opsflow/plugin-sdk';
import { flush, mountWithApp } from '@opsflow/web/shared/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { RouterView } from 'vue-router';
import { formsApi, type FormDto } from '../../api/forms';
import { messages } from '../../lang';
import FormDesignerPage from './FormDesignerPage.vue';
import { DEFAULT_SETTINGS } from './model/types';

vi.mock('../../api/forms', () => ({
  formsApi: { get: vi.fn(), update: vi.fn(), publish: vi.fn(), versions: vi.fn(), list: vi.fn(), create: vi.fn(), remove: vi.fn() },
  appsApi: { list: vi.fn(), get: vi.fn() },
}));

const draft: FormDto = {
  id: 'form-1', appId: 'app-1', name: 'Feedback', schema: { type: 'object', properties: {} },
  uischema: { type: 'VerticalLayout', elements: [] }, settings: DEFAULT_SETTINGS, publishedVersion: null, publicToken: null,
  hasUnpublishedChanges: false, canSubmit: true, canViewRecords: true, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const routes = [
  { path: '/', name: 'home', component: { template: '<div />' } },
  { path: '/apps', name: 'apps', component: { template: '<div />' } },
  { path: '/apps/:appId', name: 'app', component: { template: '<div />' } },
  { path: '/forms/:formId', name: 'form-designer', component: FormDesignerPage, props: true },
];
const find = (selector: string) => document.body.querySelector<HTMLElement>(selector);
const all = (selector: string) => [...document.body.querySelectorAll<HTMLElement>(selector)];
const click = async (selector: string) => {
  const element = find(selector);
  if (!element) throw new Error(`${selector} not found`);
  element.click();
  await flush();
};
async function type(selector: string, value: string): Promise<void> {
  const input = find(`${selector} input`) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await nextTick();
}
const canvasKeys = () => all('[data-test="canvas-element"]').map((e) => e.dataset.key ?? e.dataset.kind);

async function mountDesigner(form: FormDto = draft) {
  vi.mocked(formsApi.get).mockResolvedValue(form);
  const { router } = await mountWithApp(RouterView, { messages, routes });
  await router.push(`/forms/${form.id}`);
  await flush();
}

describe('FormDesignerPage', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(formsApi.update).mockReset();
  });

  it('adds fields from the palette by click, into the selected section, and undoes them', async () => {
    await mountDesigner();
    expect(find('[data-test="canvas-root"]')).not.toBeNull();
    expect(canvasKeys()).toEqual([]);

    await click('[data-test="palette-text"]');
    await click('[data-test="palette-money"]');
    expect(canvasKeys()).toEqual(['text', 'money']);
    expect(find('[data-test="unsaved-indicator"]')).not.toBeNull();

    // The new field is selected: its label in English drives the key until the key is edited.
    await type('[data-test="prop-label-en"]', 'Budget <b>€</b>');
    expect(find('[data-test="canvas-element"][data-key="budget_b_b"]')).not.toBeNull();
    expect(find('[data-test="canvas-element"][data-key="budget_b_b"] [data-test="canvas-element-label"]')!.textContent).toBe('Budget <b>€</b>');
    expect(find('[data-test="canvas-element"] b')).toBeNull();

    await click('[data-test="palette-group"]');
    await click('[data-test="palette-date"]');
    const group = find('[data-test="canvas-element"][data-kind="group"]')!;
    expect(group.querySelector('[data-test="canvas-element"][data-kind="date"]')).not.toBeNull();

    await click('[data-test="undo"]');
    expect(canvasKeys()).toEqual(['text', 'budget_b_b', 'group']);
    await click('[data-test="redo"]');
    expect(canvasKeys()).toEqual(['text', 'budget_b_b', 'group', 'date']);

    // Duplicate, then move up with the buttons (the keyboard alternative to dragging).
    await click('[data-test="canvas-element"][data-key="text"]');
    await click('[data-test="element-duplicate"]');
    expect(canvasKeys()).toEqual(['text', 'text_2', 'budget_b_b', 'group', 'date']);
    await click('[data-test="element-move-up"]');
    expect(canvasKeys()).toEqual(['text_2', 'text', 'budget_b_b', 'group', 'date']);
    await click('[data-test="element-delete"]');
    expect(canvasKeys()).toEqual(['text', 'budget_b_b', 'group', 'date']);
  });

  it('flags duplicate keys and puts the server 422 details on the field they name', async () => {
    await mountDesigner();
    await click('[data-test="palette-text"]');
    await type('[data-test="prop-key"]', 'code');
    await type('[data-test="prop-pattern"]', '(a+)+$');
    vi.mocked(formsApi.update).mockRejectedValue(new ApiError(422, 'unsafe_pattern', 'Unsafe pattern', [
      { path: 'schema.properties.code.pattern', message: 'pattern may backtrack catastrophically' },
    ]));
    await click('[data-test="save-form"]');
    expect(formsApi.update).toHaveBeenCalledWith('form-1', expect.objectContaining({
      schema: { type: 'object', properties: { code: { type: 'string', pattern: '(a+)+$' } } },
    }));
    expect(find('[data-test="prop-pattern"]')!.textContent).toContain('pattern may backtrack catastrophically');
    expect(find('[data-test="canvas-element"][data-key="code"]')!.classList).toContain('invalid');

    await click('[data-test="palette-text"]');
    await type('[data-test="prop-key"]', 'code');
    expect(find('[data-test="prop-key"]')!.textContent).toContain('Another field already uses this key');
    expect(find('[data-test="key-problems"]')).not.toBeNull();
  });

  it('reopens a saved form with its fields and labels in the UI language', async () => {
    await mountDesigner({
      ...draft,
      schema: { type: 'object', properties: { rating: { type: 'integer', minimum: 1, maximum: 5, title: 'Rating' } }, required: ['rating'] },
      uischema: {
        type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/rating', options: { widget: 'rating' } }],
        options: { i18n: { en: { 'rating.label': 'Rating' }, 'zh-CN': { 'rating.label': '评分' } } },
      },
    });
    expect(canvasKeys()).toEqual(['rating']);
    expect(find('[data-test="canvas-element"][data-kind="rating"]')!.textContent).toContain('Rating');
    expect(find('[data-test="saved-indicator"]')).not.toBeNull();
  });
});
