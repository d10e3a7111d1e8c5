import { applyCalculations, calculatedFields, fileFields, searchTextOf, withFieldsFrom, withoutFields } from './record-data.js';

describe('record data', () => {
  const uischema = {
    type: 'VerticalLayout',
    elements: [
      { type: 'Control', scope: '#/properties/items' },
      { type: 'Group', elements: [{ type: 'Control', scope: '#/properties/total', options: { calculate: '=sum(items.amount)' } }] },
    ],
  };

  it('finds calculated controls, nested in layouts', () => {
    expect(calculatedFields(uischema)).toEqual([{ path: ['total'], expression: 'sum(items.amount)' }]);
  });

  it('recomputes a FEEL total and ignores what the client sent', () => {
    const data = { items: [{ amount: 1200.5 }, { amount: 300 }], total: 999999 };
    expect(applyCalculations(data, uischema)).toEqual({ items: data.items, total: 1500.5 });
    expect(data.total).toBe(999999);
  });

  it('leaves a field empty when its calculation has nothing to work on', () => {
    expect(applyCalculations({ total: 5 }, { type: 'Control', scope: '#/properties/total', options: { calculate: '=a / b' } })).toEqual({});
  });

  it('collects lower-cased text for search, without hidden fields', () => {
    const text = searchTextOf({ title: 'Better Coffee', budget: 12000, team: ['Ann', 'Bo'], secret: { note: 'Hidden Stuff' } }, ['secret.note']);
    expect(text).toContain('better coffee');
    expect(text).toContain('12000');
    expect(text).toContain('ann');
    expect(text).not.toContain('hidden');
  });

  it('removes hidden dot paths from a copy', () => {
    const data = { a: 1, b: { c: 2, d: 3 } };
    expect(withoutFields(data, ['b.c', 'a'])).toEqual({ b: { d: 3 } });
    expect(data).toEqual({ a: 1, b: { c: 2, d: 3 } });
  });

  it('keeps hidden values from the stored record when someone who cannot see them saves', () => {
    const edited = { a: 2, b: { d: 4 } };
    expect(withFieldsFrom(edited, { a: 1, b: { c: 'secret', d: 3 } }, ['b.c'])).toEqual({ a: 2, b: { c: 'secret', d: 4 } });
    expect(withFieldsFrom({ b: { c: 'forged' } }, { a: 1 }, ['b.c'])).toEqual({ b: {} });
  });

  it('finds file fields with their limits, but not scopes into arrays', () => {
    const ui = {
      type: 'Group',
      elements: [
        { type: 'Control', scope: '#/properties/receipts', options: { widget: 'file', accept: '.pdf', maxSize: 1000 } },
        { type: 'Control', scope: '#/properties/rows/items/properties/scan', options: { widget: 'file' } },
        { type: 'Control', scope: '#/properties/title' },
      ],
    };
    expect(fileFields(ui)).toEqual([{ path: ['receipts'], accept: '.pdf', maxSize: 1000 }]);
  });
});
