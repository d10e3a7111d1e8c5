import { describe, expect, it } from 'vitest';
import { PALETTE } from '../modules/forms/model/palette';
import en from './en.json';
import zhCN from './zh-CN.json';

type Tree = { [key: string]: string | Tree };
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));

describe('designer texts', () => {
  it('say the same things in English and Chinese', () => {
    expect(keys(zhCN as Tree).sort()).toEqual(keys(en as Tree).sort());
  });

  it('name every palette element and layout in both languages', () => {
    for (const lang of [en, zhCN]) {
      for (const kind of [...PALETTE.map((p) => p.kind), 'step']) expect(lang.formDesigner.kinds).toHaveProperty(kind);
    }
  });

  it('are each a message vue-i18n can compile (a bare @ or | breaks the page in production builds)', async () => {
    const { baseCompile } = await import('@intlify/message-compiler');
    const broken = [...keys(en as Tree).map((key) => ['en', key]), ...keys(zhCN as Tree).map((key) => ['zh-CN', key])].filter(([lang, key]) => {
      const text = key.split('.').reduce<Tree | string>((tree, part) => (tree as Tree)[part], (lang === 'en' ? en : zhCN) as Tree) as string;
      let failed = false;
      baseCompile(text, { onError: () => (failed = true) });
      return failed;
    });
    expect(broken).toEqual([]);
  });
});
