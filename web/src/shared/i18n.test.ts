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

describe('every text', () => {
  it('is a message vue-i18n can compile (a bare @ or | would break the page in production)', async () => {
    const { baseCompile } = await import('@intlify/message-compiler');
    const texts: [string, string][] = [];
    const walk = (tree: Record<string, unknown>, path: string) => {
      for (const [key, value] of Object.entries(tree)) {
        if (typeof value === 'string') texts.push([`${path}${key}`, value]);
        else if (value && typeof value === 'object') walk(value as Record<string, unknown>, `${path}${key}.`);
      }
    };
    const sources = await Promise.all([import('./lang/en.json'), import('./lang/zh-CN.json'), import('../lang/en.json'), import('../lang/zh-CN.json')]);
    sources.forEach((source, index) => walk(source.default as Record<string, unknown>, `${index}:`));
    const broken = texts.filter(([, text]) => {
      let failed = false;
      baseCompile(text, { onError: () => (failed = true) });
      return failed;
    }).map(([key]) => key);
    expect(broken).toEqual([]);
  });
});
