import { uncompilableTexts } from '@opsflow/web/shared/testing';
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

  it('are each a message vue-i18n can compile (a bare @ or | breaks the page in production builds)', () => {
    expect(uncompilableTexts(en as Tree)).toEqual([]);
    expect(uncompilableTexts(zhCN as Tree)).toEqual([]);
  });
});
