import { describe, expect, it } from 'vitest';
import { createElement } from './palette';
import { placeServerError } from './server-errors';
import type { FormElement } from './types';

const code = { ...createElement('text'), id: 'code-id', key: 'code' };
const qty = { ...createElement('integer'), id: 'qty-id', key: 'qty' };
const rows: FormElement = { ...createElement('table'), id: 'rows-id', key: 'rows', children: [qty] };
const calc = { ...createElement('calculated'), id: 'calc-id', key: 'total' };
const group: FormElement = { ...createElement('group'), id: 'g', children: [rows, calc] };
const tree = [code, group];

describe('placeServerError', () => {
  it('puts schema paths on the field and input they name', () => {
    expect(placeServerError(tree, 'schema.properties.code.pattern', 'unsafe')).toEqual({ elementId: 'code-id', property: 'pattern', message: 'unsafe' });
    expect(placeServerError(tree, 'schema.properties.rows.items.properties.qty.minimum', 'm').elementId).toBe('qty-id');
    expect(placeServerError(tree, 'schema.properties.code.title', 'm').property).toBe('label');
    expect(placeServerError(tree, 'schema.properties.rows.maxItems', 'm')).toMatchObject({ elementId: 'rows-id', property: 'maxItems' });
  });

  it('follows UI schema element indexes into layouts', () => {
    expect(placeServerError(tree, 'uischema.elements[1].elements[1].options.calculate', 'feel')).toMatchObject({ elementId: 'calc-id', property: 'expression' });
    expect(placeServerError(tree, 'uischema.elements[0].rule.condition.scope', 'x')).toMatchObject({ elementId: 'code-id', property: 'rule' });
    expect(placeServerError(tree, 'uischema.elements[1].elements[0].options.detail.elements[0].scope', 'x')).toMatchObject({ elementId: 'qty-id', property: 'key' });
  });

  it('leaves paths it cannot place for the general message', () => {
    expect(placeServerError(tree, 'schema.properties.gone.pattern', 'x').elementId).toBeNull();
    expect(placeServerError(tree, 'name', 'x').elementId).toBeNull();
  });
});
