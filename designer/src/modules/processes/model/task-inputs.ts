import { expressionOf, feelString } from './feel';

/** One input a service-task type declares in its JSON Schema, as the generated form shows it. */
export interface InputField {
  name: string;
  title: string;
  description: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  required: boolean;
  options: string[];
}

/** What the admin typed for an input: a literal value or a FEEL expression. */
export interface InputValue {
  mode: 'literal' | 'feel';
  text: string;
}

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of a task type's `inputSchema` (an object schema; anything it cannot read is left out). */
export function inputFields(schema: unknown): InputField[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const fields: InputField[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isRecord(property)) continue;
    const declared = Array.isArray(property.type) ? property.type.find((t) => t !== 'null') : property.type;
    const type = TYPES.find((t) => t === declared) ?? (Array.isArray(property.enum) ? 'string' : 'object');
    fields.push({
      name,
      title: typeof property.title === 'string' ? property.title : name,
      description: typeof property.description === 'string' ? property.description : '',
      type,
      required: required.includes(name),
      options: Array.isArray(property.enum) ? property.enum.map(String) : [],
    });
  }
  return fields;
}

/** The mapping source for a value: strings as they are (quoted when they would read as FEEL), other literals as FEEL. */
export function inputSource(field: InputField, value: InputValue): string | undefined {
  const text = value.text.trim();
  if (!text) return undefined;
  if (value.mode === 'feel') return text.startsWith('=') ? text : `=${text}`;
  switch (field.type) {
    case 'string': return text.startsWith('=') ? `=${feelString(text)}` : value.text;
    case 'number': case 'integer': return Number.isFinite(Number(text)) ? `=${Number(text)}` : undefined;
    case 'boolean': return text === 'true' ? '=true' : '=false';
    default: return `=${text}`;
  }
}

/** Reads a mapping source back into what the generated form shows. */
export function readInputSource(field: InputField, source: string | undefined): InputValue {
  if (source === undefined) return { mode: 'literal', text: '' };
  const expression = expressionOf(source);
  if (expression === null) return { mode: 'literal', text: source };
  if ((field.type === 'number' || field.type === 'integer') && /^-?\d+(\.\d+)?$/.test(expression)) return { mode: 'literal', text: expression };
  if (field.type === 'boolean' && (expression === 'true' || expression === 'false')) return { mode: 'literal', text: expression };
  if (field.type === 'string') {
    const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(expression);
    if (quoted) return { mode: 'literal', text: quoted[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) };
  }
  return { mode: 'feel', text: `=${expression}` };
}

/** A problem to show under an input, or null: required and empty, or not a number. */
export function inputProblem(field: InputField, value: InputValue): 'required' | 'number' | null {
  if (!value.text.trim()) return field.required ? 'required' : null;
  if (value.mode === 'literal' && (field.type === 'number' || field.type === 'integer') && !Number.isFinite(Number(value.text.trim()))) return 'number';
  return null;
}
