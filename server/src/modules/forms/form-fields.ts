import type { JsonSchema } from './form-definition.js';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** A field a record can hold, as filters, sorting, exports and tables see it. */
export interface FormField {
  /** Dot path into the record's data: `budget`, `address.city`. Property names never contain dots here. */
  path: string;
  type: FieldType;
  /** JSON Schema `format` of strings (`date`, `date-time`, `email`, ...). */
  format?: string;
  title?: string;
  /** For arrays: the type of their items (multi-select: string; sub-table: object). */
  itemType?: FieldType;
  /** Strings whose values are known to stay short (an enum, or maxLength up to 1,000): safe to put in a PostgreSQL btree index. */
  short?: boolean;
}

const SHORT_STRING = 1000;

const TYPES: readonly FieldType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

function typeOf(schema: JsonSchema): FieldType | undefined {
  const declared = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return TYPES.includes(declared as FieldType) ? (declared as FieldType) : undefined;
}

/** Every field of a form's JSON Schema: top-level properties and the properties of nested objects (not inside arrays). */
export function listFields(schema: JsonSchema, prefix = ''): FormField[] {
  const fields: FormField[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!property || typeof property !== 'object' || name.includes('.')) continue;
    const type = typeOf(property);
    if (!type) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const field: FormField = { path, type };
    if (typeof property.format === 'string') field.format = property.format;
    if (typeof property.title === 'string') field.title = property.title;
    if (type === 'string' && (Array.isArray(property.enum) || (typeof property.maxLength === 'number' && property.maxLength <= SHORT_STRING))) field.short = true;
    if (type === 'array' && property.items && typeof property.items === 'object' && !Array.isArray(property.items)) {
      field.itemType = typeOf(property.items as JsonSchema);
    }
    fields.push(field);
    if (type === 'object') fields.push(...listFields(property, path));
  }
  return fields;
}
