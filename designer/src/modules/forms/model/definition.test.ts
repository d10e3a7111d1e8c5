import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { fromDefinition, PHONE_PATTERN, toDefinition } from './definition';
import { createElement, PALETTE } from './palette';
import type { FieldKind, FormElement } from './types';

const ajv = new Ajv({ strict: true, allErrors: true });
ajv.addFormat('date', true).addFormat('date-time', true).addFormat('email', true).addFormat('uri', true).addFormat('uuid', true);

function field(kind: FieldKind, key: string, extra: Partial<FormElement> = {}): FormElement {
  return { ...createElement(kind), key, autoKey: false, ...extra };
}
function layout(kind: 'group' | 'columns' | 'steps' | 'step', id: string, children: FormElement[], extra: Partial<FormElement> = {}): FormElement {
  return { ...createElement(kind), id, children, ...extra };
}
/** Ids of fields are not saved; compare trees without them. */
function withoutFieldIds(elements: FormElement[]): unknown {
  return elements.map(({ id, autoKey, children, ...rest }) => ({
    ...rest, ...(rest.key ? {} : { id }), ...(children ? { children: withoutFieldIds(children) } : {}),
  }));
}
const roundTrip = (elements: FormElement[]) => {
  const { schema, uischema } = JSON.parse(JSON.stringify(toDefinition(elements)));
  return fromDefinition(schema, uischema);
};

describe('toDefinition', () => {
  it('encodes every palette field as the contract says', () => {
    const kinds = PALETTE.filter((p) => p.section === 'fields').map((p) => p.kind as FieldKind);
    const elements = kinds.map((kind) => field(kind, kind));
    const { schema, uischema } = toDefinition(elements);
    const p = schema.properties!;
    expect(p.text).toEqual({ type: 'string' });
    expect(p.textarea).toEqual({ type: 'string' });
    expect(p.number).toEqual({ type: 'number' });
    expect(p.integer).toEqual({ type: 'integer' });
    expect(p.money).toEqual({ type: 'number', multipleOf: 0.01 });
    expect(p.date).toEqual({ type: 'string', format: 'date' });
    expect(p.datetime).toEqual({ type: 'string', format: 'date-time' });
    expect(p.select).toEqual({ type: 'string', enum: ['option_1', 'option_2'] });
    expect(p.radio).toEqual({ type: 'string', enum: ['option_1', 'option_2'] });
    expect(p.multiselect).toEqual({ type: 'array', items: { type: 'string', enum: ['option_1', 'option_2'] }, uniqueItems: true });
    expect(p.checkbox).toEqual({ type: 'boolean' });
    expect(p.email).toEqual({ type: 'string', format: 'email' });
    expect(p.phone).toEqual({ type: 'string', pattern: PHONE_PATTERN });
    expect(p.url).toEqual({ type: 'string', format: 'uri' });
    expect(p.rating).toEqual({ type: 'integer', minimum: 1, maximum: 5 });
    expect(p.user).toEqual({ type: 'string', format: 'uuid' });
    expect(p.department).toEqual({ type: 'string', format: 'uuid' });
    expect(p.richtext).toEqual({ type: 'string', maxLength: 20000 });
    expect(p.signature).toEqual({ type: 'string', maxLength: 200000 });
    expect(p.file).toEqual({ type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true });
    expect(p.table).toEqual({ type: 'array', items: { type: 'object', properties: {} } });
    expect(p.calculated).toEqual({ type: 'number', readOnly: true });
    const options = Object.fromEntries((uischema.elements ?? []).map((c) => [c.scope, c.options]));
    expect(options['#/properties/textarea']).toEqual({ multi: true });
    expect(options['#/properties/money']).toEqual({ widget: 'money', currency: 'CNY' });
    expect(options['#/properties/radio']).toMatchObject({ format: 'radio' });
    expect(options['#/properties/phone']).toEqual({ widget: 'phone' });
    expect(options['#/properties/rating']).toEqual({ widget: 'rating' });
    expect(options['#/properties/user']).toEqual({ widget: 'user' });
    expect(options['#/properties/department']).toEqual({ widget: 'department' });
    expect(options['#/properties/richtext']).toEqual({ widget: 'richtext' });
    expect(options['#/properties/signature']).toEqual({ widget: 'signature' });
    expect(options['#/properties/file']).toEqual({ widget: 'file' });
    expect(options['#/properties/calculated']).toEqual({ calculate: '=0' });
    expect(options['#/properties/text']).toBeUndefined();
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('writes constraints, required, defaults and labels in both languages', () => {
    const budget = field('money', 'budget', {
      label: { en: 'Budget', 'zh-CN': '预算' }, help: { en: 'In yuan', 'zh-CN': '单位：元' },
      required: true, minimum: 5000, maximum: 20000, default: 5000,
    });
    const code = field('text', 'code', { minLength: 2, maxLength: 8, pattern: '^[A-Z]+$', placeholder: { en: 'ABC', 'zh-CN': '' } });
    const category = field('select', 'category', {
      options: [{ value: 'it', label: { en: 'IT', 'zh-CN': '信息技术' } }, { value: 'hr', label: { en: 'HR', 'zh-CN': '人事' } }],
    });
    const { schema, uischema } = toDefinition([budget, code, category]);
    expect(schema.required).toEqual(['budget']);
    expect(schema.properties!.budget).toEqual({
      type: 'number', multipleOf: 0.01, minimum: 5000, maximum: 20000, default: 5000, title: 'Budget', description: 'In yuan',
    });
    expect(schema.properties!.code).toEqual({ type: 'string', minLength: 2, maxLength: 8, pattern: '^[A-Z]+$' });
    const i18n = uischema.options!.i18n as Record<string, Record<string, string>>;
    expect(i18n['zh-CN']).toMatchObject({ 'budget.label': '预算', 'budget.description': '单位：元', 'category.it': '信息技术' });
    expect(i18n.en).toMatchObject({ 'budget.label': 'Budget', 'code.placeholder': 'ABC', 'category.hr': 'HR' });
    expect(uischema.elements![2]!.options!.labels).toEqual({ en: { it: 'IT', hr: 'HR' }, 'zh-CN': { it: '信息技术', hr: '人事' } });
  });

  it('keeps the data flat across groups, columns and steps, and nests sub-table columns', () => {
    const amount = field('money', 'amount', { required: true, label: { en: 'Amount', 'zh-CN': '金额' } });
    const tree = [
      layout('steps', 'wizard', [
        layout('step', 'first', [layout('group', 'who', [field('text', 'name'), layout('columns', 'cols', [field('date', 'start'), field('email', 'mail')])])], { label: { en: 'Who', 'zh-CN': '谁' } }),
        layout('step', 'second', [field('table', 'items', { minItems: 1, maxItems: 10, children: [field('text', 'item'), amount] }), field('calculated', 'total', { expression: '=sum(items.amount)' })]),
      ]),
    ];
    const { schema, uischema } = toDefinition(tree);
    expect(Object.keys(schema.properties!)).toEqual(['name', 'start', 'mail', 'items', 'total']);
    expect(schema.properties!.items).toEqual({
      type: 'array', minItems: 1, maxItems: 10,
      items: { type: 'object', properties: { item: { type: 'string' }, amount: { type: 'number', multipleOf: 0.01, title: 'Amount' } }, required: ['amount'] },
    });
    const wizard = uischema.elements![0]!;
    expect(wizard).toMatchObject({ type: 'Categorization', i18n: 'wizard', options: { variant: 'stepper', showNavButtons: true } });
    expect(wizard.elements![0]).toMatchObject({ type: 'Category', label: 'Who', i18n: 'first' });
    expect(wizard.elements![0]!.elements![0]).toMatchObject({ type: 'Group', i18n: 'who' });
    expect(wizard.elements![0]!.elements![0]!.elements![1]).toMatchObject({ type: 'HorizontalLayout' });
    const table = wizard.elements![1]!.elements![0]!;
    expect(table.options!.detail).toEqual({
      type: 'VerticalLayout', elements: [
        { type: 'Control', scope: '#/properties/item' },
        { type: 'Control', scope: '#/properties/amount', options: { widget: 'money', currency: 'CNY' } },
      ],
    });
    expect((uischema.options!.i18n as Record<string, Record<string, string>>)['zh-CN']).toMatchObject({ 'items.amount.label': '金额', 'first.label': '谁' });
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it('writes file uploads as a list of file ids with their count, size and type limits', () => {
    const receipts = field('file', 'receipts', { required: true, maxItems: 3, maxSizeMb: 2.5, accept: ' .pdf,image/* ' });
    const photo = field('file', 'photo', { multiple: false, maxItems: 7, accept: '', maxSizeMb: undefined });
    const { schema, uischema } = toDefinition([receipts, photo]);
    expect(schema.required).toEqual(['receipts']);
    expect(schema.properties!.receipts).toEqual({ type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true, maxItems: 3 });
    expect(schema.properties!.photo).toEqual({ type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true, maxItems: 1 });
    expect(uischema.elements![0]!.options).toEqual({ widget: 'file', accept: '.pdf,image/*', maxSize: 2621440 });
    expect(uischema.elements![1]!.options).toEqual({ widget: 'file' });
    expect(ajv.validate(schema, { receipts: ['0b8f3c4e-2f0a-4d53-9a8e-1b2c3d4e5f60'], photo: [] })).toBe(true);
  });

  it('turns builder rules into JSON Forms rules and drops rules on fields that are gone', () => {
    const tree = [
      field('number', 'budget'),
      field('text', 'reason', { rule: { effect: 'SHOW', field: 'budget', operator: 'gt', value: 10000 } }),
      field('text', 'orphan', { rule: { effect: 'HIDE', field: 'deleted', operator: 'eq', value: 'x' } }),
      layout('group', 'extra', [], { rule: { effect: 'DISABLE', field: 'budget', operator: 'eq', value: 0 } }),
    ];
    const { uischema } = toDefinition(tree);
    expect(uischema.elements![1]!.rule).toEqual({
      effect: 'SHOW', condition: { scope: '#/properties/budget', schema: { type: 'number', exclusiveMinimum: 10000 }, failWhenUndefined: true },
    });
    expect(uischema.elements![2]!.rule).toBeUndefined();
    expect(uischema.elements![3]!.rule).toMatchObject({ effect: 'DISABLE', condition: { schema: { const: 0 } } });
  });
});

describe('fromDefinition', () => {
  it('reopens every palette field as it was built', () => {
    const kinds = PALETTE.filter((p) => p.section === 'fields').map((p) => p.kind as FieldKind);
    const elements = kinds.map((kind) => field(kind, kind, { label: { en: `L ${kind}`, 'zh-CN': `标签 ${kind}` } }));
    expect(withoutFieldIds(roundTrip(elements))).toEqual(withoutFieldIds(elements));
  });

  it('round-trips nested layouts, sub-tables, rules, options, constraints and texts', () => {
    const tree = [
      field('text', 'title', { label: { en: 'Title', 'zh-CN': '标题' }, help: { en: '', 'zh-CN': '简短' }, required: true, maxLength: 80, pattern: '^\\S' }),
      layout('group', 'money_part', [
        layout('columns', 'two', [field('money', 'budget', { minimum: 5000, maximum: 20000, default: 5000 }), field('rating', 'score', { default: 3 })]),
        field('radio', 'urgency', { options: [{ value: 'low', label: { en: 'Low', 'zh-CN': '低' } }], default: 'low' }),
        field('checkbox', 'agree', { default: true, readOnly: true }),
      ], { label: { en: 'Money', 'zh-CN': '资金' }, rule: { effect: 'HIDE', field: 'title', operator: 'contains', value: 'a.b (c)' } }),
      layout('steps', 'wizard', [
        layout('step', 's1', [field('multiselect', 'tags', { rule: { effect: 'ENABLE', field: 'agree', operator: 'eq', value: true } })], { label: { en: 'One', 'zh-CN': '一' } }),
        layout('step', 's2', [field('table', 'rows', { minItems: 1, children: [field('text', 'what', { required: true, label: { en: 'What', 'zh-CN': '什么' } }), field('integer', 'qty', { minimum: 1 })] })]),
      ]),
      field('calculated', 'total', { expression: '=sum(rows.qty)', rule: { effect: 'SHOW', field: 'tags', operator: 'contains', value: 'option_1' } }),
    ];
    expect(withoutFieldIds(roundTrip(tree))).toEqual(withoutFieldIds(tree));
  });

  it('reopens file uploads: one file or several, the limit, size in MB and accepted types', () => {
    const tree = [
      field('file', 'receipts', { maxItems: 3, maxSizeMb: 2.5, accept: '.pdf,image/*', label: { en: 'Receipts', 'zh-CN': '收据' } }),
      field('file', 'photo', { multiple: false }),
      field('file', 'any'),
    ];
    const reopened = roundTrip(tree);
    expect(withoutFieldIds(reopened)).toEqual(withoutFieldIds(tree));
    expect(reopened.map((f) => [f.kind, f.multiple, f.maxItems, f.maxSizeMb, f.accept])).toEqual([
      ['file', true, 3, 2.5, '.pdf,image/*'], ['file', false, undefined, undefined, undefined], ['file', true, undefined, undefined, undefined],
    ]);
    // a file field made elsewhere (API, older designer) opens as a file upload too
    const made = fromDefinition(
      { type: 'object', properties: { scans: { type: 'array', maxItems: 1, items: { type: 'string', format: 'uuid' } } } },
      { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/scans', options: { widget: 'file', maxSize: 1000 } }] },
    );
    expect(made[0]).toMatchObject({ kind: 'file', multiple: false, maxSizeMb: 1000 / 1048576 });
    expect(toDefinition(made).uischema.elements![0]!.options).toEqual({ widget: 'file', maxSize: 1000 });
  });

  it('keeps rules the builder cannot show and properties no control shows', () => {
    const rawRule = { effect: 'SHOW', condition: { scope: '#/properties/a', schema: { minLength: 3 } } };
    const elements = fromDefinition(
      { type: 'object', properties: { a: { type: 'string', title: 'A' }, b: { type: 'integer' } }, required: ['b'] },
      { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/a', rule: rawRule }] },
    );
    expect(elements.map((e) => [e.key, e.kind, e.required])).toEqual([['a', 'text', false], ['b', 'integer', true]]);
    expect(elements[0]!.label).toEqual({ en: 'A', 'zh-CN': '' });
    expect(elements[0]!.rawRule).toEqual(rawRule);
    expect(toDefinition(elements).uischema.elements![0]!.rule).toEqual(rawRule);
  });

  it('opens an empty draft as an empty form', () => {
    expect(fromDefinition(undefined, undefined)).toEqual([]);
    expect(fromDefinition({ type: 'object', properties: {} }, { type: 'VerticalLayout', elements: [] })).toEqual([]);
  });
});
