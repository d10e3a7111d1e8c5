import { flush, mountWithApp } from '@opsflow/web/shared/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { apiKeysApi } from '../../api/admin';
import en from '../../lang/en.json';
import zhCN from '../../lang/zh-CN.json';
import CreateKeyDialog from './CreateKeyDialog.vue';

vi.mock('../../api/admin', () => ({ apiKeysApi: { create: vi.fn(), list: vi.fn(), revoke: vi.fn() } }));

const open = ref(true);
const created = vi.fn();
const Host = defineComponent({
  setup: () => () => h(CreateKeyDialog, { modelValue: open.value, 'onUpdate:modelValue': (v: boolean) => (open.value = v), onCreated: created }),
});

const body = () => document.body;
const find = (selector: string) => body().querySelector<HTMLElement>(selector);

async function type(selector: string, value: string): Promise<void> {
  const input = find(`${selector} input`) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await nextTick();
}

describe('CreateKeyDialog', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    open.value = true;
    created.mockReset();
    vi.mocked(apiKeysApi.create).mockReset();
  });

  it('creates a key with the chosen scopes and shows the secret once', async () => {
    vi.mocked(apiKeysApi.create).mockResolvedValue({
      id: 'k1', name: 'CI', prefix: 'opf_abc', scopes: ['read', 'write'], createdAt: '2026-01-01T00:00:00Z',
      expiresAt: null, lastUsedAt: null, revokedAt: null, createdBy: 'u1', key: 'opf_abc_very_secret',
    });
    await mountWithApp(Host, { messages: { en, 'zh-CN': zhCN } });
    await flush();
    await type('[data-test="key-name"]', 'CI');
    (find('[data-test="scope-write"] input') as HTMLInputElement).click();
    await nextTick();
    find('[data-test="create-key"]')!.click();
    await flush();

    expect(apiKeysApi.create).toHaveBeenCalledWith({ name: 'CI', scopes: ['read', 'write'] });
    expect(created).toHaveBeenCalledOnce();
    const secret = find('[data-test="api-key-secret"] input') as HTMLInputElement;
    expect(secret.value).toBe('opf_abc_very_secret');
    expect(find('[data-test="key-warning"]')!.textContent).toContain('will not be shown again');

    // Closing forgets the secret: opening the dialog again shows an empty form, not the key.
    find('[data-test="key-done"]')!.click();
    await flush();
    expect(open.value).toBe(false);
    open.value = true;
    await flush();
    expect(body().textContent).not.toContain('opf_abc_very_secret');
    expect(find('[data-test="api-key-secret"]')).toBeNull();
    expect((find('[data-test="key-name"] input') as HTMLInputElement).value).toBe('');
  });

  it('keeps the form and shows no key when creation fails', async () => {
    const { ApiError } = await import('@opsflow/plugin-sdk');
    vi.mocked(apiKeysApi.create).mockRejectedValue(new ApiError(422, 'validation_failed', 'Invalid', [{ path: 'name', message: 'name is too long' }]));
    await mountWithApp(Host, { messages: { en, 'zh-CN': zhCN }, locale: 'zh-CN' });
    await flush();
    await type('[data-test="key-name"]', 'x');
    find('[data-test="create-key"]')!.click();
    await flush();
    expect(find('[data-test="api-key-secret"]')).toBeNull();
    expect(body().textContent).toContain('name is too long');
    expect(body().textContent).toContain('新建 API 密钥');
  });
});
