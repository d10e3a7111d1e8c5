// The reference approval process of server/test/engine.e2e-spec.ts (APPROVAL), as the engine bench deploys it:
// start → service task (set-variables through an input mapping) → exclusive gateway on `=amount > 10000`
// → user task assigned to `=initiator` → end; the default flow ends at once.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './lib.js';

/** Resolves packages the way the server does (bpmn-engine and feelin are server dependencies). */
export const serverRequire = createRequire(join(root, 'server/package.json'));

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function bpmn(id, body) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="Defs_${id}" targetNamespace="http://opsflow.test">
  <bpmn:process id="P_${id}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

function flow(id, from, to, condition) {
  const body = condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escapeXml(condition)}</bpmn:conditionExpression>` : '';
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${body}</bpmn:sequenceFlow>`;
}

export const APPROVAL = bpmn('approval', `
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="prepare"><bpmn:extensionElements><zeebe:taskDefinition type="set-variables" retries="2" /><zeebe:ioMapping><zeebe:input source="={checked: true}" target="variables" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:exclusiveGateway id="big" default="small" />
    <bpmn:userTask id="review" name="review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="autoEnd" />
    ${flow('f1', 'start', 'prepare')}
    ${flow('f2', 'prepare', 'big')}
    ${flow('large', 'big', 'review', '=amount > 10000')}
    ${flow('small', 'big', 'autoEnd')}
    ${flow('f3', 'review', 'end')}`);

/** The elements a completed instance passed, in order (the user-task path). */
export const APPROVAL_PATH = ['start', 'prepare', 'big', 'review', 'end'];

/** Start variables: every amount takes the user-task path; the variables look like a small real request. */
export function approvalVariables(i, initiator) {
  return {
    amount: 10001 + (i % 50000), initiator, title: `Purchase request ${i}`, costCenter: `CC-${100 + (i % 40)}`,
    items: [{ what: 'laptop', price: 1200 }, { what: 'dock', price: 180 }],
  };
}

/** What the approver sends with the completion. */
export const APPROVAL_COMPLETION = { data: { approved: true, note: 'ok' }, outcome: 'approved' };
