import { ApiError } from '@opsflow/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { mountWithApp } from './testing';
import { useErrorHandler, useFieldErrors, type FieldErrors } from './errors';
import { useNotifyStore } from './stores/notify';
import type { Locale } from './api/types';

async function setup(locale: Locale) {
  let handler!: ReturnType<typeof useErrorHandler>;
  let fields!: FieldErrors;
  const Probe = defineComponent({
    setup() {
      handler = useErrorHandler();
      fields = useFieldErrors();
      return () => h('div');
    },
  });
  await mountWithApp(Probe, { locale });
  return { handler, fields, notify: useNotifyStore() };
}

describe('error handler', () => {
  it('translates error codes into English', async () => {
    const { handler, notify } = await setup('en');
    expect(handler.handle(new ApiError(401, 'invalid_credentials', 'server text'))).toBe('Wrong email or password.');
    expect(notify.visible).toBe(true);
    expect(notify.message).toBe('Wrong email or password.');
    expect(notify.color).toBe('error');
  });

  it('translates error codes into Chinese', async () => {
    const { handler } = await setup('zh-CN');
    expect(handler.message(new ApiError(401, 'invalid_credentials', 'server text'))).toBe('邮箱或密码错误。');
    expect(handler.message(new ApiError(0, 'network_error', 'Failed to fetch'))).toBe('无法连接服务器，请检查网络连接。');
    expect(handler.message(new ApiError(409, 'department_not_empty', 'x'))).toBe('该部门仍有成员或下级部门。');
  });

  it('falls back to the server message for codes it does not know', async () => {
    const { handler } = await setup('zh-CN');
    expect(handler.message(new ApiError(409, 'brand_new_code', 'Something specific happened'))).toBe('Something specific happened');
  });

  it('shows a generic message for errors that are not API errors', async () => {
    const { handler } = await setup('en');
    expect(handler.message(new TypeError('boom'))).toBe('Something went wrong on the server. Try again later.');
  });

  it('puts 422 details on their form fields instead of the snackbar', async () => {
    const { handler, fields, notify } = await setup('en');
    const error = new ApiError(422, 'validation_failed', 'Invalid', [
      { path: 'email', message: 'must be an email' },
      { path: 'name', message: 'must not be empty' },
    ]);
    handler.handle(error, { fields, knownFields: ['email', 'name'] });
    expect(fields.email).toEqual(['must be an email']);
    expect(fields.name).toEqual(['must not be empty']);
    expect(notify.visible).toBe(false);
  });

  it('still tells the user when a 422 detail has no field on the form, and clears old field errors', async () => {
    const { handler, fields, notify } = await setup('en');
    fields.name = ['old problem'];
    handler.handle(new ApiError(422, 'validation_failed', 'Invalid', [{ path: 'tenantId', message: 'bad' }]), {
      fields, knownFields: ['email', 'name'],
    });
    expect(fields.name).toBeUndefined();
    expect(fields.tenantId).toEqual(['bad']);
    expect(notify.message).toBe('Some fields are not valid. Check the highlighted fields.');
  });
});
