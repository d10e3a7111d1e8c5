import { ApiError } from '@opsflow/plugin-sdk';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formsApi, type FormVersion } from '../../shared';
import { flush, mountWithApp } from '../../shared/testing';
import en from '../../lang/en.json';
import zhCN from '../../lang/zh-CN.json';
import FillFormPage from './FillFormPage.vue';

vi.mock('../../shared/api/forms', async (original) => ({
  ...(await original<typeof import('../../shared/api/forms')>()),
  formsApi: { published: vi.fn(), submit: vi.fn() },
}));

const version: FormVersion = {
  formId: 'f1',
  name: 'Innovation fund request',
  version: 3,
  schema: {
    type: 'object',
    required: ['title'],
    properties: { title: { type: 'string', title: 'Title' }, budget: { type: 'number', title: 'Budget', minimum: 5000 } },
  },
  uischema: {
    type: 'VerticalLayout',
    options: { i18n: { 'zh-CN': { 'budget.label': '预算' } } },
    elements: [{ type: 'Control', scope: '#/properties/title' }, { type: 'Control', scope: '#/properties/budget' }],
  },
  settings: { access: { submit: 'members', viewAll: ['admin'] }, anonymous: false, hiddenFields: [] },
  publishedAt: '2026-01-01T00:00:00Z',
  publishedBy: null,
};

/** Past the 300 ms the text fields wait before handing on what was typed. */
const typingSettled = () => new Promise((resolve) => setTimeout(resolve, 400));

async function mountPage(locale: 'en' | 'zh-CN' = 'en') {
  const routes = [
    { path: '/', name: 'home', component: { template: '<div />' } },
    { path: '/forms/:formId', name: 'fill-form', component: FillFormPage },
    { path: '/submissions', name: 'my-submissions', component: { template: '<div />' } },
  ];
  const { wrapper, router } = await mountWithApp({ template: '<router-view />' }, { routes, locale, messages: { en, 'zh-CN': zhCN } });
  await router.push('/forms/f1');
  await flush();
  return wrapper;
}

function input(wrapper: Awaited<ReturnType<typeof mountPage>>, name: string) {
  // JSON Forms numbers ids that are taken (`#/properties/title2-input`)
  return wrapper.findAll('input').find((i) => new RegExp(`^#/properties/${name}\\d*-input$`).test(i.attributes('id') ?? ''))!;
}

describe('FillFormPage', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(formsApi.published).mockReset().mockResolvedValue(version);
    vi.mocked(formsApi.submit).mockReset();
  });

  it('submits what was typed and shows the success screen', async () => {
    let finish!: (value: unknown) => void;
    vi.mocked(formsApi.submit).mockReturnValue(new Promise((resolve) => (finish = resolve)) as never);
    const wrapper = await mountPage();
    expect(wrapper.find('[data-test="form-title"]').text()).toBe('Innovation fund request');
    await input(wrapper, 'title').setValue('Faster builds');
    await input(wrapper, 'budget').setValue('8000');
    await input(wrapper, 'budget').trigger('blur');
    await flush();
    await wrapper.find('form').trigger('submit');
    await typingSettled();
    await flush();
    expect(formsApi.submit).toHaveBeenCalledWith('f1', { title: 'Faster builds', budget: 8000 });
    // no second request while the first is on its way
    expect(wrapper.find('[data-test="submit-form"]').attributes('disabled')).toBeDefined();
    await wrapper.find('form').trigger('submit');
    expect(formsApi.submit).toHaveBeenCalledTimes(1);
    finish({ id: 'r1' });
    await flush();
    expect(wrapper.find('[data-test="submit-success"]').text()).toContain('your answer was submitted');
  });

  it('checks in the browser first and does not send an invalid form', async () => {
    const wrapper = await mountPage('zh-CN');
    await input(wrapper, 'budget').setValue('100');
    await input(wrapper, 'budget').trigger('blur');
    await flush();
    await wrapper.find('form').trigger('submit');
    await typingSettled();
    await flush();
    expect(formsApi.submit).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test="form-alert"]').text()).toBe('部分字段填写不正确，请检查标出的字段。');
    expect(wrapper.text()).toContain('必填');
    expect(wrapper.text()).toContain('不能小于 5000');
    expect(wrapper.text()).toContain('预算');
  });

  it('puts the server 422 detail on its field and keeps what was typed', async () => {
    vi.mocked(formsApi.submit).mockRejectedValue(
      new ApiError(422, 'validation_failed', 'Invalid', [{ path: 'data.title', message: 'A request with this title exists already' }]),
    );
    const wrapper = await mountPage();
    await input(wrapper, 'title').setValue('Duplicate');
    await flush();
    await wrapper.find('form').trigger('submit');
    await typingSettled();
    await flush();
    expect(wrapper.find('[data-test="form-alert"]').text()).toBe('Some fields are not valid. Check the highlighted fields.');
    const titleField = wrapper.find('[id^="#/properties/title"]');
    expect(titleField.text()).toContain('A request with this title exists already');
    expect((input(wrapper, 'title').element as HTMLInputElement).value).toBe('Duplicate');
    expect(wrapper.find('[data-test="submit-success"]').exists()).toBe(false);
    // typing again clears the server's message
    await input(wrapper, 'title').setValue('Unique');
    await typingSettled();
    await flush();
    expect(wrapper.find('[id^="#/properties/title"]').text()).not.toContain('exists already');
  });
});
