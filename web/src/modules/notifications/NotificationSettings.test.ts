import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../../lang/en.json';
import zhCN from '../../lang/zh-CN.json';
import { notificationsApi, type NotificationPreferences } from '../../shared/api/notifications';
import { flush, mountWithApp } from '../../shared/testing';
import NotificationSettings from './NotificationSettings.vue';

const mountSettings = async () => (await mountWithApp(NotificationSettings, { messages: { en, 'zh-CN': zhCN } })).wrapper;

vi.mock('../../shared/api/notifications', () => ({ notificationsApi: { preferences: vi.fn(), setPreferences: vi.fn() } }));

const settings = (email = true): NotificationPreferences => ({
  kinds: ['assigned', 'completed'], channels: ['inApp', 'email'],
  preferences: { assigned: { inApp: true, email: true }, completed: { inApp: true, email: email } },
  email: { sending: false, address: 'mei@example.com' },
});

describe('notification settings', () => {
  beforeEach(() => {
    vi.mocked(notificationsApi.preferences).mockReset().mockResolvedValue(settings());
    vi.mocked(notificationsApi.setPreferences).mockReset();
  });

  it('shows a switch per kind and channel, says where e-mails go, and that they wait in the outbox without SMTP', async () => {
    const wrapper = await mountSettings();
    await flush();
    expect(wrapper.findAll('[data-test^="pref-"][data-test$="-email"]')).toHaveLength(2);
    expect(wrapper.get('[data-test="email-setup"]').text()).toContain('mei@example.com');
    expect(wrapper.get('[data-test="email-setup"]').text()).toContain('kept for your administrator');
  });

  it('saves one switch at once, and puts it back when the server refuses', async () => {
    vi.mocked(notificationsApi.setPreferences).mockResolvedValueOnce(settings(false)).mockRejectedValueOnce(new Error('offline'));
    const wrapper = await mountSettings();
    await flush();
    const email = () => wrapper.get('[data-test="pref-completed-email"] input');
    await email().setValue(false);
    await flush();
    expect(notificationsApi.setPreferences).toHaveBeenCalledWith({ completed: { email: false } });
    expect((email().element as HTMLInputElement).checked).toBe(false);
    await email().setValue(true);
    await flush();
    expect((email().element as HTMLInputElement).checked).toBe(false);
  });
});
