import { flush, mountWithApp } from '@opsflow/web/shared/testing';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { messages } from '../../../lang';
import { createElement } from '../model/palette';
import { toJsonFormsRule } from '../model/rules';
import type { FormElement, SimpleRule } from '../model/types';
import RuleBuilder from './RuleBuilder.vue';

const budget: FormElement = { ...createElement('money'), key: 'budget', label: { en: 'Budget', 'zh-CN': '预算' } };
const agree: FormElement = { ...createElement('checkbox'), key: 'agree' };

describe('RuleBuilder', () => {
  it('starts a rule on the first other field and edits it into a JSON Forms rule', async () => {
    const rule = ref<SimpleRule | undefined>(undefined);
    const changed = vi.fn((next: SimpleRule | undefined) => (rule.value = next));
    const Host = defineComponent({
      setup: () => () => h(RuleBuilder, { rule: rule.value, hasRawRule: false, fields: [budget, agree], onChange: changed }),
    });
    await mountWithApp(Host, { messages });
    await flush();
    (document.querySelector('[data-test="rule-add"]') as HTMLElement).click();
    await flush();
    expect(rule.value).toEqual({ effect: 'SHOW', field: 'budget', operator: 'eq', value: 0 });
    const input = document.querySelector('[data-test="rule-value"] input') as HTMLInputElement;
    input.value = '10000';
    input.dispatchEvent(new Event('input'));
    await flush();
    expect(rule.value!.value).toBe(10000);
    expect(toJsonFormsRule(rule.value!, 'money')).toEqual({
      effect: 'SHOW', condition: { scope: '#/properties/budget', schema: { const: 10000 }, failWhenUndefined: true },
    });
    (document.querySelector('[data-test="rule-remove"]') as HTMLElement).click();
    await flush();
    expect(rule.value).toBeUndefined();
    document.body.innerHTML = '';
  });

  it('explains that a rule needs another field', async () => {
    await mountWithApp(RuleBuilder, { messages, locale: 'zh-CN', props: { rule: undefined, hasRawRule: false, fields: [] } });
    await flush();
    expect(document.body.textContent).toContain('请先添加其他字段');
    expect(document.querySelector('[data-test="rule-add"]')).toBeNull();
    document.body.innerHTML = '';
  });
});
