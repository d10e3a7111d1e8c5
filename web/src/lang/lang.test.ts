import { describe, expect, it } from 'vitest';
import sharedEn from '../shared/lang/en.json';
import sharedZh from '../shared/lang/zh-CN.json';
import en from './en.json';
import zhCN from './zh-CN.json';

function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([key, value]) => keys(value, prefix ? `${prefix}.${key}` : key));
}

describe('texts', () => {
  it.each([
    ['web', en, zhCN],
    ['shared', sharedEn, sharedZh],
  ])('%s: every English text has a Chinese one and back', (_name, english, chinese) => {
    expect(keys(chinese).sort()).toEqual(keys(english).sort());
  });
});
