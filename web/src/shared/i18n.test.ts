import { describe, expect, it } from 'vitest';
import { createAppI18n } from './i18n';
import appEn from '../lang/en.json';
import appZh from '../lang/zh-CN.json';
import sharedEn from './lang/en.json';
import sharedZh from './lang/zh-CN.json';
import { uncompilableTexts } from './testing/i18n-check';

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

describe('every text', () => {
  it('is a message vue-i18n can compile (a bare @ or | would break the page in production)', () => {
    expect(uncompilableTexts({ a: { b: 'write @your address' }, c: 'fine', d: "an {'@'} escaped" })).toEqual(['a.b']);
    for (const [name, texts] of Object.entries({ sharedEn, sharedZh, appEn, appZh })) expect([name, uncompilableTexts(texts)]).toEqual([name, []]);
  });
});
