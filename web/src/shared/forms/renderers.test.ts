import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { fileInfo } from '../api/files';
import { directoryApi } from '../api/forms';
import { flush, mountWithApp } from '../testing';
import OpsflowForm from './OpsflowForm.vue';

vi.mock('../api/forms', () => ({
  directoryApi: { searchUsers: vi.fn(), user: vi.fn(), departments: vi.fn() },
}));
vi.mock('../api/files', async (importOriginal) => ({ ...(await importOriginal<typeof import('../api/files')>()), fileInfo: vi.fn() }));

/** Stands in for XMLHttpRequest: keeps each request so a test can report progress and answer it. */
class FakeUpload {
  static sent: FakeUpload[] = [];
  url = '';
  body: FormData | null = null;
  status = 0;
  statusText = '';
  responseText = '';
  withCredentials = false;
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(_method: string, url: string) {
    this.url = url;
  }
  aborted = false;
  setRequestHeader() {}
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  send(body: FormData) {
    this.body = body;
    FakeUpload.sent.push(this);
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

/** Picks files in a file input the way the browser's dialog would. */
async function pick(input: HTMLInputElement, files: File[]) {
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  input.dispatchEvent(new Event('change'));
  await flush();
}

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

  describe('file upload', () => {
    const schema = { type: 'object', properties: { receipts: { type: 'array', maxItems: 2, items: { type: 'string', format: 'uuid' }, title: 'Receipts' } } };
    const uischema = { type: 'VerticalLayout', elements: [control('receipts', { widget: 'file', accept: '.pdf,image/*', maxSize: 1024 })] };

    beforeEach(() => {
      FakeUpload.sent = [];
      vi.stubGlobal('XMLHttpRequest', FakeUpload);
      vi.mocked(fileInfo).mockReset();
    });
    afterEach(() => vi.unstubAllGlobals());

    it('checks the limits, uploads with progress and stores the ids; remove takes a file out again', async () => {
      const { wrapper, last } = await mountForm(schema, uischema);
      const field = wrapper.find('[data-test="field-receipts"]');
      expect(field.find('[data-test="file-limits"]').text()).toBe('up to 2 files · at most 1 KB each · types: .pdf, image/*');
      await pick(field.find('input[type="file"]').element as HTMLInputElement, [
        new File(['x'.repeat(2000)], 'big.pdf', { type: 'application/pdf' }),
        new File(['MZ'], 'tool.exe', { type: 'application/x-msdownload' }),
        new File(['%PDF'], 'taxi.pdf', { type: 'application/pdf' }),
      ]);
      expect(field.findAll('[data-test="file-problem"]').map((p) => p.text())).toEqual([
        '“big.pdf” is larger than 1 KB and was not added', '“tool.exe” is not an accepted type (.pdf,image/*) and was not added',
      ]);
      expect(FakeUpload.sent).toHaveLength(1);
      const request = FakeUpload.sent[0]!;
      expect(request.url).toBe('/api/files');
      expect((request.body!.get('file') as File).name).toBe('taxi.pdf');
      request.progress(2, 4);
      await flush();
      expect(field.find('[data-test="file-uploading"]').text()).toContain('Uploading… 50%');
      expect(field.find('[data-test="file-progress"]').exists()).toBe(true);
      request.answer(201, { id: 'f-1', name: 'taxi.pdf', size: 4, contentType: 'application/pdf', createdAt: '2026-01-01T00:00:00Z' });
      await flush();
      expect(last().receipts).toEqual(['f-1']);
      const link = field.find('[data-test="file-download"]');
      expect(link.text()).toBe('taxi.pdf');
      expect(link.attributes('href')).toBe('/api/files/f-1/content');
      await field.find('[data-test="file-remove"]').trigger('click');
      await flush();
      expect(last().receipts).toBeUndefined();
    });

    it('cancels an upload that is removed before it ends', async () => {
      const { wrapper, last } = await mountForm(schema, uischema);
      const field = wrapper.find('[data-test="field-receipts"]');
      await pick(field.find('input[type="file"]').element as HTMLInputElement, [new File(['%PDF'], 'slow.pdf', { type: 'application/pdf' })]);
      await field.find('[data-test="file-remove"]').trigger('click');
      await flush();
      expect(FakeUpload.sent[0]!.aborted).toBe(true);
      expect(field.find('[data-test="file-item"]').exists()).toBe(false);
      expect(last().receipts).toBeUndefined();
    });

    it('tells which file was refused by the server and keeps it out of the value', async () => {
      const { wrapper, last } = await mountForm(schema, uischema, {}, 'zh-CN');
      const field = wrapper.find('[data-test="field-receipts"]');
      await pick(field.find('input[type="file"]').element as HTMLInputElement, [new File(['%PDF'], '报告.pdf', { type: 'application/pdf' })]);
      FakeUpload.sent[0]!.answer(413, { code: 'payload_too_large', message: 'Too large' });
      await flush();
      expect(field.find('[data-test="file-failed"]').text()).toBe('“报告.pdf”超过服务器允许的大小');
      expect(last().receipts).toBeUndefined();
    });

    it('shows stored files of a record as download links, read-only', async () => {
      vi.mocked(fileInfo).mockResolvedValue({ id: 'f-9', name: 'invoice.pdf', size: 2048, contentType: 'application/pdf', createdAt: '2026-01-01T00:00:00Z' });
      const { wrapper } = await mountForm(schema, { ...uischema, elements: [control('receipts', { widget: 'file', readonly: true })] }, { receipts: ['f-9'] });
      const field = wrapper.find('[data-test="field-receipts"]');
      expect(field.find('[data-test="file-download"]').text()).toBe('invoice.pdf');
      expect(field.text()).toContain('2 KB');
      expect(field.find('[data-test="file-pick"]').exists()).toBe(false);
      expect(field.find('[data-test="file-remove"]').exists()).toBe(false);
    });
  });

  describe('rich text', () => {
    const schema = { type: 'object', properties: { notes: { type: 'string', title: 'Notes' } } };

    it('shows stored HTML through the allow-list only', async () => {
      const dirty = '<p><strong>Bold</strong> <img src=x onerror="window.pwned=1"><a href="javascript:alert(1)">x</a></p><script>window.pwned=2</script>';
      const { wrapper } = await mountForm(schema, { type: 'VerticalLayout', elements: [control('notes', { widget: 'richtext', readonly: true })] }, { notes: dirty });
      const view = wrapper.find('[data-test="rich-view"]');
      expect(view.find('strong').text()).toBe('Bold');
      expect(view.find('img').exists()).toBe(false);
      expect(view.find('a').attributes('href')).toBeUndefined();
      expect(document.body.querySelector('script')).toBeNull();
      expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
    });

    it('edits in a toolbar editor that starts from the stored HTML', async () => {
      const { wrapper, changes } = await mountForm(schema, { type: 'VerticalLayout', elements: [control('notes', { widget: 'richtext' })] }, { notes: '<h2>Plan</h2><ul><li><p>one</p></li></ul>' });
      const field = wrapper.find('[data-test="field-notes"]');
      // the editor is loaded on demand
      await vi.waitFor(() => expect(field.find('[contenteditable="true"]').exists()).toBe(true));
      for (const tool of ['bold', 'italic', 'heading2', 'bulletList', 'orderedList', 'link']) expect(field.find(`[data-test="rich-${tool}"]`).exists()).toBe(true);
      const content = field.find('[contenteditable="true"]');
      expect(content.find('h2').text()).toBe('Plan');
      expect(content.find('li').text()).toBe('one');
      expect(changes.every((c) => c.notes === '<h2>Plan</h2><ul><li><p>one</p></li></ul>')).toBe(true);
    });
  });
});
