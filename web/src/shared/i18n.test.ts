import { describe, expect, it } from 'vitest';
import { createAppI18n } from './i18n';

describe('app texts', () => {
  it('add to the shared sections they share instead of replacing them', () => {
    const i18n = createAppI18n({ en: { forms: { fill: { submit: 'Send it' } } }, 'zh-CN': { forms: { fill: { submit: '发送' } } } }, 'en');
    const { t } = i18n.global;
    expect(t('forms.fill.submit')).toBe('Send it');
    expect(t('forms.file.choose')).toBe('Choose files');
    expect(t('forms.signature.clear')).toBe('Clear');
    i18n.global.locale.value = 'zh-CN';
    expect(t('forms.file.choose')).toBe('选择文件');
    expect(t('forms.fill.submit')).toBe('发送');
  });
});
