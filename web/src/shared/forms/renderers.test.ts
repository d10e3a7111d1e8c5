import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { directoryApi } from '../api/forms';
import { flush, mountWithApp } from '../testing';
import OpsflowForm from './OpsflowForm.vue';

vi.mock('../api/forms', () => ({
  directoryApi: { searchUsers: vi.fn(), user: vi.fn(), departments: vi.fn() },
}));

type Json = Record<string, unknown>;

/** Mounts a form and keeps the data it last emitted, as a page would. */
async function mountForm(schema: Json, uischema: Json | null, data: Json = {}, locale: 'en' | 'zh-CN' = 'en') {
  const changes: Json[] = [];
  const current = ref<Json>(data);
  const Host = defineComponent({
    setup: () => () =>
      h(OpsflowForm, {
        schema,
        uischema,
        data: current.value,
        onChange: (event: { data: unknown }) => {
          current.value = event.data as Json;
          changes.push(event.data as Json);
        },
      }),
  });
  const mounted = await mountWithApp(Host, { locale });
  await flush();
  return { ...mounted, changes, last: () => changes[changes.length - 1] ?? {} };
}

const control = (name: string, options?: Json) => ({ type: 'Control', scope: `#/properties/${name}`, ...(options ? { options } : {}) });

describe('Opsflow renderers', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(directoryApi.searchUsers).mockReset();
    vi.mocked(directoryApi.user).mockReset();
  });

  it('rating: a star click stores the number of stars', async () => {
    const { wrapper, last } = await mountForm(
      { type: 'object', properties: { score: { type: 'integer', minimum: 1, maximum: 5, title: 'Score' } } },
      { type: 'VerticalLayout', elements: [control('score', { widget: 'rating' })] },
    );
    const stars = wrapper.findAll('[data-test="field-score"] .v-rating__item label');
    expect(stars).toHaveLength(5);
    await stars[3].trigger('click');
    await flush();
    expect(last().score).toBe(4);
    expect(wrapper.find('[data-test="field-score"]').text()).toContain('Score');
  });

  it('money: shows the currency and keeps two decimals', async () => {
    const { wrapper, last } = await mountForm(
      { type: 'object', properties: { amount: { type: 'number', multipleOf: 0.01, title: 'Amount' } } },
      { type: 'VerticalLayout', elements: [control('amount', { widget: 'money', currency: 'CNY' })] },
      {},
      'zh-CN',
    );
    const field = wrapper.find('[data-test="field-amount"]');
    expect(field.find('.v-text-field__prefix').text()).toBe('¥');
    const input = field.find('input');
    await input.setValue('1234.567');
    await input.trigger('blur');
    await flush();
    expect(last().amount).toBe(1234.57);
  });

  it('calculated field: recomputes with FEEL when the data it reads changes', async () => {
    const schema = {
      type: 'object',
      properties: {
        price: { type: 'number', title: 'Price' },
        quantity: { type: 'integer', title: 'Quantity' },
        total: { type: 'number', readOnly: true, title: 'Total' },
      },
    };
    const uischema = { type: 'VerticalLayout', elements: [control('price'), control('quantity'), control('total', { calculate: '=price * quantity' })] };
    const { wrapper, last } = await mountForm(schema, uischema, { price: 2.5, quantity: 2 });
    expect(last().total).toBe(5);
    expect((wrapper.find('[data-test="field-total"] input').element as HTMLInputElement).value).toBe('5');
    const quantity = wrapper.findAll('input').find((i) => i.attributes('id')?.includes('quantity'));
    await quantity!.setValue('4');
    await flush();
    expect(last().quantity).toBe(4);
    expect(last().total).toBe(10);
    expect((wrapper.find('[data-test="field-total"] input').element as HTMLInputElement).value).toBe('10');
  });

  it('calculated field: sums a sub-table column', async () => {
    const schema = {
      type: 'object',
      properties: {
        lines: { type: 'array', items: { type: 'object', properties: { amount: { type: 'number' } } } },
        total: { type: 'number', readOnly: true },
      },
    };
    const uischema = { type: 'VerticalLayout', elements: [control('total', { calculate: '=sum(lines.amount)' })] };
    const { last } = await mountForm(schema, uischema, { lines: [{ amount: 1.25 }, { amount: 3 }] });
    expect(last().total).toBe(4.25);
  });

  it('user picker: searches users as the person types and stores the chosen id', async () => {
    vi.mocked(directoryApi.searchUsers).mockResolvedValue([{ id: 'u-grace', name: 'Grace Hopper', email: 'grace@example.com' }]);
    const { wrapper, last } = await mountForm(
      { type: 'object', properties: { manager: { type: 'string', format: 'uuid', title: 'Manager' } } },
      { type: 'VerticalLayout', elements: [control('manager', { widget: 'user' })] },
    );
    const input = wrapper.find('[data-test="field-manager"] input');
    await input.trigger('focus');
    await input.setValue('gra');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await flush();
    expect(directoryApi.searchUsers).toHaveBeenLastCalledWith('gra');
    const option = document.body.querySelector<HTMLElement>('.v-overlay--active .v-list-item');
    expect(option?.textContent).toContain('Grace Hopper');
    expect(option?.textContent).toContain('grace@example.com');
    option!.click();
    await flush();
    expect(last().manager).toBe('u-grace');
  });

  it('shows labels and validation messages in the form language, and typed text as text', async () => {
    const naughty = '<script>alert(0)</script>';
    const schema = {
      type: 'object',
      required: ['title'],
      properties: { title: { type: 'string', title: 'Title', minLength: 5 }, kind: { type: 'string', enum: ['a', naughty] } },
    };
    const uischema = {
      type: 'VerticalLayout',
      options: { i18n: { 'zh-CN': { 'title.label': '标题' } } },
      elements: [control('title'), control('kind', { labels: { 'zh-CN': { a: '甲' } } })],
    };
    const { wrapper } = await mountForm(schema, uischema, { title: 'ab' }, 'zh-CN');
    const title = wrapper.findAll('input').find((i) => i.attributes('id')?.includes('title'))!;
    await title.trigger('blur');
    await flush();
    expect(wrapper.text()).toContain('标题');
    expect(wrapper.text()).toContain('至少 5 个字符');
    expect(document.body.querySelector('script')).toBeNull();
  });
});
