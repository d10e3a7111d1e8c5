import { describe, expect, it } from 'vitest';
import en from '../../lang/en.json';
import zhCN from '../../lang/zh-CN.json';
import { actionLabelKey, AUDIT_ACTIONS, AUDIT_TARGETS, targetLabelKey } from './audit-labels';

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages);
}

describe.each([['en', en], ['zh-CN', zhCN]])('audit log labels in %s', (_, messages) => {
  it.each(Object.keys(AUDIT_ACTIONS))('names the action %s', (action) => {
    expect(lookup(messages, actionLabelKey(action as keyof typeof AUDIT_ACTIONS))).toEqual(expect.any(String));
  });

  it.each(Object.keys(AUDIT_TARGETS))('names the object type %s', (target) => {
    expect(lookup(messages, targetLabelKey(target as keyof typeof AUDIT_TARGETS))).toEqual(expect.any(String));
  });
});
