/** The BPMN processes the fault tests run. Every service task calls the probe and adds one to `calls`. */

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

function definitions(id: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="Defs_${id}" targetNamespace="http://opsflow.test/faults">
  <bpmn:process id="P_${id}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

function flow(id: string, from: string, to: string): string {
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
}

/** A service task of type http.request that calls `<probeUrl>/step/<step>?bk=<bk>` and counts itself in `calls`. */
function probeCall(id: string, step: string, retries: number): string {
  return `<bpmn:serviceTask id="${id}" name="${id}">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" retries="${retries}" />
        <zeebe:ioMapping>
          <zeebe:input source="=probeUrl + &quot;/step/${step}?bk=&quot; + bk" target="url" />
          <zeebe:input source="=60000" target="timeoutMs" />
          <zeebe:output source="=calls + 1" target="calls" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>`;
}

const approve = `<bpmn:userTask id="approve" name="approve">
      <bpmn:extensionElements><zeebe:assignmentDefinition assignee="=initiator" /></bpmn:extensionElements>
    </bpmn:userTask>`;

/** start → fetch (service task) → approve (user task) → notify (service task) → end */
export const CHAIN = definitions('faultChain', `
    <bpmn:startEvent id="start" />
    ${probeCall('fetch', 'fetch', 5)}
    ${approve}
    ${probeCall('notify', 'notify', 5)}
    <bpmn:endEvent id="end" />
    ${flow('f1', 'start', 'fetch')}${flow('f2', 'fetch', 'approve')}${flow('f3', 'approve', 'notify')}${flow('f4', 'notify', 'end')}`);

/** start → wait (timer, 2 s) → fetch → approve → notify → end */
export const TIMED = definitions('faultTimed', `
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    ${probeCall('fetch', 'fetch', 5)}
    ${approve}
    ${probeCall('notify', 'notify', 5)}
    <bpmn:endEvent id="end" />
    ${flow('f1', 'start', 'wait')}${flow('f2', 'wait', 'fetch')}${flow('f3', 'fetch', 'approve')}${flow('f4', 'approve', 'notify')}${flow('f5', 'notify', 'end')}`);

/** start → fragile (service task, 2 tries) → end: an incident when the probe refuses both tries. */
export const FRAGILE = definitions('faultFragile', `
    <bpmn:startEvent id="start" />
    ${probeCall('fragile', 'fragile', 2)}
    <bpmn:endEvent id="end" />
    ${flow('f1', 'start', 'fragile')}${flow('f2', 'fragile', 'end')}`);
