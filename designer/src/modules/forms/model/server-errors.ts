import { isField } from './palette';
import { dataFields } from './tree';
import type { FormElement } from './types';

/** Where a 422 detail belongs in the designer: an element and the property input that shows it. */
export interface PlacedError {
  elementId: string | null;
  /** the properties-panel input: `key`, `label`, `pattern`, `minimum`, `options`, `rule`, ... */
  property: string;
  message: string;
}

const SCHEMA_PROPERTIES: Record<string, string> = {
  title: 'label', description: 'help', enum: 'options', items: 'options', readOnly: 'readOnly', type: 'key',
};

function schemaProperty(rest: string[]): string {
  const first = rest[0];
  if (!first) return 'key';
  return SCHEMA_PROPERTIES[first] ?? first;
}

/**
 * Puts a server detail path (`schema.properties.code.pattern`, `schema.properties.rows.items.properties.qty.minimum`,
 * `uischema.elements[2].rule.condition.scope`) on the element it is about.
 */
export function placeServerError(elements: FormElement[], path: string, message: string): PlacedError {
  const parts = path.split('.');
  if (parts[0] === 'schema' && parts[1] === 'properties' && parts[2]) {
    const field = dataFields(elements).find((f) => f.key === parts[2]);
    if (field?.kind === 'table' && parts[3] === 'items' && parts[4] === 'properties' && parts[5]) {
      const column = field.children?.find((c) => c.key === parts[5]);
      if (column) return { elementId: column.id, property: schemaProperty(parts.slice(6)), message };
    }
    if (field) return { elementId: field.id, property: schemaProperty(parts.slice(3)), message };
  }
  if (parts[0]?.startsWith('uischema')) {
    let list: FormElement[] | undefined = elements;
    let element: FormElement | undefined;
    const tokens = path.slice('uischema'.length).match(/\.[A-Za-z_]+|\[\d+\]/g) ?? [];
    let rest: string[] = [];
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i]!;
      const index = /^\[(\d+)\]$/.exec(token);
      const previous = tokens[i - 1];
      if (index && (previous === '.elements') && list) {
        element = list[Number(index[1])];
        list = element?.children;
        continue;
      }
      if (token === '.elements') continue;
      if (token === '.options' && tokens[i + 1] === '.detail' && element?.kind === 'table') {
        i += 1;
        continue;
      }
      rest = tokens.slice(i).map((t) => t.replace(/^\./, ''));
      break;
    }
    if (element) {
      const property = rest[0] === 'rule' ? 'rule' : rest[0] === 'scope' && isField(element.kind) ? 'key' : rest[0] === 'options' ? (rest[1] === 'calculate' ? 'expression' : rest[1] ?? 'key') : 'key';
      return { elementId: element.id, property, message };
    }
  }
  return { elementId: null, property: '', message };
}
