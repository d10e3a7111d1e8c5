import { Generate, type JsonSchema } from '@jsonforms/core';
import type { FieldError } from '../../shared/forms';

type JsonObject = Record<string, unknown>;

function fieldNames(schema: JsonObject | null | undefined): string[] {
  const properties = schema?.properties;
  return properties && typeof properties === 'object' && !Array.isArray(properties) ? Object.keys(properties) : [];
}

/**
 * What the task form starts with: the process variables named like the form's fields (`title`, `budget`),
 * and nothing else — the server refuses fields a form does not have (`initiator`, `recordId`, ...).
 */
export function prefill(schema: JsonObject | null | undefined, variables: JsonObject): JsonObject {
  const data: JsonObject = {};
  for (const name of fieldNames(schema)) {
    const value = variables[name];
    if (value !== undefined && value !== null) data[name] = value;
  }
  return data;
}

/** The form's own fields of what JSON Forms hands back. */
export function formAnswers(schema: JsonObject | null | undefined, data: JsonObject): JsonObject {
  const names = new Set(fieldNames(schema));
  return Object.fromEntries(Object.entries(data).filter(([name, value]) => names.has(name) && value !== undefined));
}

/** The 422 details that concern the task's form (`data.budget`), for OpsflowForm's server errors. */
export function formErrors(details: readonly FieldError[]): FieldError[] {
  return details.filter((detail) => detail.path === 'data' || detail.path.startsWith('data.') || detail.path.startsWith('data['));
}

/** Details the form cannot show (a path outside `data`), so the page says them itself. */
export function otherErrors(details: readonly FieldError[]): FieldError[] {
  const onForm = new Set(formErrors(details));
  return details.filter((detail) => !onForm.has(detail));
}

const BPMN_EXPRESSIONS = ['conditionExpression', 'completionCondition'];
/** A FEEL name used on its own (not `x.outcome`, not `outcomes`). */
const OUTCOME_NAME = /(^|[^\w.])(outcome|approved)(?![\w])/;

/**
 * Whether a process decides on what approvers answer: one of its FEEL expressions (a gateway condition, a
 * completion condition, an `=...` attribute) reads `outcome` (what Approve/Reject set) or `approved`.
 * Such a process gets Approve and Reject buttons; others a plain Complete.
 */
export function usesOutcomes(bpmnXml: string): boolean {
  let doc: Document;
  try {
    doc = new DOMParser().parseFromString(bpmnXml, 'application/xml');
  } catch {
    return false;
  }
  if (doc.getElementsByTagName('parsererror').length > 0) return false;
  const expressions: string[] = [];
  for (const element of Array.from(doc.getElementsByTagName('*'))) {
    if (BPMN_EXPRESSIONS.includes(element.localName)) expressions.push(element.textContent ?? '');
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.value.trim().startsWith('=')) expressions.push(attribute.value);
    }
  }
  return expressions.some((expression) => OUTCOME_NAME.test(expression.replace(/"(?:[^"\\]|\\.)*"/g, '""')));
}

const TOP_LEVEL = /^#\/properties\/([^/]+)/;

/**
 * The task's form with every control outside `editable` (the fields this step may change) made read-only;
 * `editable` null leaves the form as it is. A form without its own layout gets JSON Forms' default one first.
 */
export function readOnlyExcept(uischema: JsonObject | null | undefined, schema: JsonObject | null | undefined, editable: readonly string[] | null): JsonObject | null {
  if (editable === null || !schema) return uischema ?? null;
  const layout = structuredClone(uischema ?? (Generate.uiSchema(schema as JsonSchema) as unknown as JsonObject));
  const visit = (element: JsonObject): void => {
    const scope = typeof element.scope === 'string' ? TOP_LEVEL.exec(element.scope)?.[1] : undefined;
    if (element.type === 'Control' && scope !== undefined && !editable.includes(decodeURIComponent(scope))) {
      element.options = { ...(element.options as JsonObject | undefined), readonly: true };
    }
    for (const child of (element.elements as JsonObject[] | undefined) ?? []) visit(child);
  };
  visit(layout);
  return layout;
}
