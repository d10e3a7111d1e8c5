import { describe, expect, it } from 'vitest';
import type { FormField } from '../../shared';
import { flush, mountWithApp } from '../../shared/testing';
import FilterBuilder from './components/FilterBuilder.vue';
import { buildFilter, emptyRow, operatorsFor, type FilterRow } from './filters';
import { defineComponent, h, ref } from 'vue';
import en from '../../lang/en.json';

const fields: FormField[] = [
  { path: 'title', type: 'string', title: 'Title' },
  { path: 'budget', type: 'number', title: 'Budget' },
  { path: 'count', type: 'integer' },
  { path: 'start', type: 'string', format: 'date' },
  { path: 'urgent', type: 'boolean' },
  { path: 'tags', type: 'array', itemType: 'string' },
  { path: 'lines', type: 'array', itemType: 'object' },
  { path: 'createdAt', type: 'string', format: 'date-time' },
];

const row = (field: string, op: FilterRow['op'], value = '', value2 = ''): FilterRow => ({ field, op, value, value2 });

describe('filter builder', () => {
  it('offers the operators that fit each field type', () => {
    const ops = (path: string) => operatorsFor(fields.find((f) => f.path === path));
    expect(ops('budget')).toEqual(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'isEmpty']);
    expect(ops('title')).toEqual(['eq', 'ne', 'contains', 'in', 'isEmpty']);
    expect(ops('start')).toEqual(['eq', 'gt', 'gte', 'lt', 'lte', 'between', 'isEmpty']);
    expect(ops('urgent')).toEqual(['eq', 'isEmpty']);
    expect(ops('tags')).toEqual(['contains', 'isEmpty']);
    expect(ops('lines')).toEqual(['isEmpty']);
  });

  it.each([
    [row('title', 'eq', ' Laptop '), { field: 'title', op: 'eq', value: 'Laptop' }],
    [row('title', 'ne', 'x'), { field: 'title', op: 'ne', value: 'x' }],
    [row('title', 'contains', 'lap'), { field: 'title', op: 'contains', value: 'lap' }],
    [row('title', 'in', 'a, b ,,c'), { field: 'title', op: 'in', value: ['a', 'b', 'c'] }],
    [row('title', 'isEmpty'), { field: 'title', op: 'isEmpty', value: true }],
    [row('budget', 'gt', '10000'), { field: 'budget', op: 'gt', value: 10000 }],
    [row('budget', 'gte', '5000.5'), { field: 'budget', op: 'gte', value: 5000.5 }],
    [row('budget', 'lt', '1'), { field: 'budget', op: 'lt', value: 1 }],
    [row('count', 'lte', '3'), { field: 'count', op: 'lte', value: 3 }],
    [row('budget', 'between', '5000', '20000'), { field: 'budget', op: 'between', value: [5000, 20000] }],
    [row('start', 'between', '2026-01-01', '2026-03-31'), { field: 'start', op: 'between', value: ['2026-01-01', '2026-03-31'] }],
    [row('urgent', 'eq', 'false'), { field: 'urgent', op: 'eq', value: false }],
    [row('tags', 'contains', 'red'), { field: 'tags', op: 'contains', value: 'red' }],
  ])('turns %o into a condition', (input, expected) => {
    expect(buildFilter([input], fields)).toEqual({ and: [expected] });
  });

  it('sends date-time bounds as instants and leaves incomplete rows out', () => {
    const filter = buildFilter([row('createdAt', 'gte', '2026-05-01'), row('budget', 'gt', ''), row('budget', 'between', '1', ''), row('budget', 'gt', 'abc')], fields);
    expect(filter).toEqual({ and: [{ field: 'createdAt', op: 'gte', value: new Date('2026-05-01T00:00:00').toISOString() }] });
    expect(buildFilter([row('budget', 'gt', '')], fields)).toBeNull();
  });

  it('builds the filter from what the person picks in the UI', async () => {
    const rows = ref<FilterRow[]>([]);
    let applied = 0;
    const Host = defineComponent({
      setup: () => () =>
        h(FilterBuilder, {
          fields,
          labels: { budget: 'Budget' },
          modelValue: rows.value,
          'onUpdate:modelValue': (next: FilterRow[]) => (rows.value = next),
          onApply: () => (applied += 1),
        }),
    });
    const { wrapper } = await mountWithApp(Host, { messages: { en } });
    await wrapper.find('[data-test="filter-add"]').trigger('click');
    await flush();
    expect(rows.value).toEqual([emptyRow(fields[0])]);
    // pick "Budget", then "greater than", then type 10000
    await wrapper.find('[data-test="filter-field"] .v-field').trigger('mousedown');
    await flush();
    const budget = [...document.querySelectorAll<HTMLElement>('.v-overlay--active .v-list-item')].find((el) => el.textContent?.includes('Budget'));
    budget!.click();
    await flush();
    expect(rows.value[0]).toMatchObject({ field: 'budget', op: 'eq' });
    await wrapper.find('[data-test="filter-op"] .v-field').trigger('mousedown');
    await flush();
    const greater = [...document.querySelectorAll<HTMLElement>('.v-overlay--active .v-list-item')].findLast((el) => el.textContent?.trim() === 'greater than');
    greater!.click();
    await flush();
    await wrapper.find('[data-test="filter-value"] input').setValue('10000');
    await wrapper.find('[data-test="filter-apply"]').trigger('click');
    expect(applied).toBe(1);
    expect(buildFilter(rows.value, fields)).toEqual({ and: [{ field: 'budget', op: 'gt', value: 10000 }] });
  });
});
