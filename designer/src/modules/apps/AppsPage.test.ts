import { ApiError } from '@opsflow/plugin-sdk';
import { useNotifyStore, useSessionStore } from '@opsflow/web/shared';
import { flush, mountWithApp } from '@opsflow/web/shared/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { appsApi, type AppDto } from '../../api/forms';
import { messages } from '../../lang';
import AppsPage from './AppsPage.vue';

vi.mock('../../api/forms', () => ({
  appsApi: { list: vi.fn(), get: vi.fn(), create: vi.fn(), update: vi.fn(), remove: vi.fn() },
  formsApi: {},
}));

const naughty = '<img src=x onerror=alert(1)>{{7*7}} ﷽';
const app: AppDto = {
  id: 'a1', name: naughty, description: 'Forms of the HR team', icon: 'mdiAccountPlus', formCount: 2,
  createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const routes = [
  { path: '/', name: 'home', component: { template: '<div />' } },
  { path: '/apps/:appId', name: 'app', component: { template: '<div />' } },
];
const find = (selector: string) => document.body.querySelector<HTMLElement>(selector);
const page = (answer: AppDto[]) => ({ items: answer, total: answer.length, page: 1, pageSize: 100 });

async function mountAsDesigner() {
  const Host = defineComponent({
    setup() {
      useSessionStore().me = { roles: ['designer'] } as never;
      return () => h(AppsPage);
    },
  });
  await mountWithApp(Host, { messages, routes });
  await flush();
}

describe('AppsPage', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(appsApi.list).mockReset();
    vi.mocked(appsApi.create).mockReset();
    vi.mocked(appsApi.remove).mockReset();
  });

  it('shows the empty state, then creates an app with its icon', async () => {
    vi.mocked(appsApi.list).mockResolvedValueOnce(page([])).mockResolvedValueOnce(page([app]));
    vi.mocked(appsApi.create).mockResolvedValue(app);
    await mountAsDesigner();
    expect(find('[data-test="empty-state"]')!.textContent).toContain('No apps yet');
    find('[data-test="new-app"]')!.click();
    await flush();
    const input = find('[data-test="app-name"] input') as HTMLInputElement;
    input.value = naughty;
    input.dispatchEvent(new Event('input'));
    await nextTick();
    find('[data-test="app-icon-mdiAccountPlus"]')!.click();
    find('[data-test="save-app"]')!.click();
    await flush();
    expect(appsApi.create).toHaveBeenCalledWith({ name: naughty, description: '', icon: 'mdiAccountPlus' });
    // Admin-entered names are text, never markup.
    expect(find('[data-test="app-card-name"]')!.textContent).toBe(naughty);
    expect(find('[data-test="app-card"] img')).toBeNull();
  });

  it('explains why an app with forms cannot be deleted', async () => {
    vi.mocked(appsApi.list).mockResolvedValue(page([app]));
    vi.mocked(appsApi.remove).mockRejectedValue(new ApiError(409, 'app_not_empty', 'App has forms'));
    await mountAsDesigner();
    find('[data-test="delete-app"]')!.click();
    await flush();
    find('[data-test="confirm-dialog"] [data-test="confirm"]')!.click();
    await flush();
    expect(appsApi.remove).toHaveBeenCalledWith('a1');
    expect(useNotifyStore().message).toBe('This app still has forms. Delete its forms first.');
    expect(useNotifyStore().color).toBe('error');
  });
});
