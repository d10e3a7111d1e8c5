import { describe, expect, it } from 'vitest';
import { formAnswers, formErrors, otherErrors, prefill, readOnlyExcept, usesOutcomes } from './task-form';

const schema = { type: 'object', properties: { title: { type: 'string' }, budget: { type: 'number' }, note: { type: 'string' } } };

function process(conditions: string[], extra = ''): string {
  const flows = conditions
    .map((c, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="g" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${c}</bpmn:conditionExpression></bpmn:sequenceFlow>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d">
  <bpmn:process id="p" isExecutable="true"><bpmn:exclusiveGateway id="g" /><bpmn:endEvent id="e" />${flows}${extra}</bpmn:process>
</bpmn:definitions>`;
}

describe('prefill', () => {
  it('takes the variables the form has fields for, and nothing else', () => {
    const variables = { title: 'Lab kit', budget: 15000, initiator: 'u1', recordId: 'r1', note: null };
    expect(prefill(schema, variables)).toEqual({ title: 'Lab kit', budget: 15000 });
    expect(prefill(null, variables)).toEqual({});
  });

  it('sends only the form\'s fields back', () => {
    expect(formAnswers(schema, { title: 'x', budget: 1, outcome: 'approved' })).toEqual({ title: 'x', budget: 1 });
  });
});

describe('server errors', () => {
  it('puts data.<field> on the form and keeps the others for the page', () => {
    const details = [{ path: 'data.budget', message: 'must be a number' }, { path: 'comment', message: 'too long' }];
    expect(formErrors(details)).toEqual([details[0]]);
    expect(otherErrors(details)).toEqual([details[1]]);
  });
});

describe('usesOutcomes', () => {
  it('is true when a condition reads the outcome', () => {
    expect(usesOutcomes(process(['=outcome = "rejected"', '=budget &gt; 10000']))).toBe(true);
    expect(usesOutcomes(process(['=approved']))).toBe(true);
  });

  it('finds the outcome in =attributes such as a completion condition or input mapping', () => {
    const mapping = '<bpmn:serviceTask id="s"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=outcome" target="x" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>';
    expect(usesOutcomes(process([], mapping))).toBe(true);
  });

  it('is false for processes that decide on data only, or only mention the word in text', () => {
    expect(usesOutcomes(process(['=budget &gt; 10000']))).toBe(false);
    expect(usesOutcomes(process(['=status = "approved"', '=outcomes &gt; 1', '=request.outcome = 1']))).toBe(false);
    expect(usesOutcomes('not xml')).toBe(false);
  });
});

describe('readOnlyExcept', () => {
  const layout = {
    type: 'VerticalLayout',
    elements: [
      { type: 'Control', scope: '#/properties/title' },
      { type: 'Group', label: 'Money', elements: [{ type: 'Control', scope: '#/properties/budget', options: { format: 'money' } }] },
      { type: 'Control', scope: '#/properties/note' },
    ],
  };
  const readonlyScopes = (uischema: Record<string, unknown> | null): string[] => {
    const found: string[] = [];
    const visit = (element: Record<string, unknown>) => {
      if ((element.options as { readonly?: boolean } | undefined)?.readonly) found.push(String(element.scope));
      for (const child of (element.elements as Record<string, unknown>[] | undefined) ?? []) visit(child);
    };
    if (uischema) visit(uischema);
    return found;
  };

  it('makes every field but the editable ones read-only, inside groups too, keeping their options', () => {
    const result = readOnlyExcept(layout, schema, ['note']);
    expect(readonlyScopes(result)).toEqual(['#/properties/title', '#/properties/budget']);
    expect(JSON.stringify(result)).toContain('"format":"money"');
    expect(readonlyScopes(layout)).toEqual([]);
  });

  it('leaves the form alone when every field may change, and builds the default layout for a form without one', () => {
    expect(readOnlyExcept(layout, schema, null)).toBe(layout);
    expect(readonlyScopes(readOnlyExcept(null, schema, []))).toEqual(['#/properties/title', '#/properties/budget', '#/properties/note']);
  });
});
