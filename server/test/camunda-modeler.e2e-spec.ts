import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EngineTestApp, HOUR, startEngineApp } from './engine-harness.js';

/**
 * A diagram as Camunda Modeler 5 saves it for Camunda 8 (Zeebe extension elements, a version tag, extension
 * properties, the modeler's own attributes) deploys unchanged and runs: a service task with input/output
 * mappings and headers, a FEEL condition with a default flow, a candidate-group task with a due date and a
 * non-interrupting reminder timer, and a message catch correlated by key.
 */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'bpmn', 'camunda-modeler', 'equipment-request.bpmn');

describe('a diagram drawn in Camunda Modeler for Zeebe', () => {
  let e: EngineTestApp;

  beforeAll(async () => {
    e = await startEngineApp();
  });

  afterAll(async () => {
    await e.close();
  });

  it('deploys as it is and runs: mappings, condition, reminder timer, candidate task, message', async () => {
    const xml = readFileSync(FIXTURE, 'utf8');
    const processId = await e.deploy(xml, 'Equipment request');
    // what was stored is byte for byte what Camunda Modeler wrote
    expect((await e.tenant.owner.get(`/api/processes/${processId}`).expect(200)).body.bpmnXml).toBe(xml);

    const instanceId = await e.start(processId, { quantity: 10, orderNumber: 'PO-7' });
    const [task] = await e.tasks(instanceId);
    expect(task).toMatchObject({ elementId: 'Activity_approve', assignee: null, candidateGroups: ['admin'], status: 'open' });
    expect(task.dueAt).toBe('2027-03-03T09:00:00.000Z');
    expect((await e.instance(instanceId)).variables).toMatchObject({ total: 1200 });

    e.clock.advance(4 * HOUR + 1000);
    await e.settle();
    expect(await e.path(instanceId)).toEqual(['StartEvent_1', 'Activity_price', 'Gateway_amount', 'Event_remind', 'Activity_remind', 'Event_reminded']);

    await e.completeTask(task.id, {}, 'approved');
    expect((await e.instance(instanceId)).activeElements.map((element) => element.elementId)).toEqual(['Event_delivered']);
    await e.tenant.owner.post('/api/messages').send({ name: 'equipment-delivered', correlationKey: 'PO-7', variables: {} }).expect(200);
    await e.settle();
    expect((await e.instance(instanceId)).status).toBe('completed');
    expect((await e.path(instanceId)).slice(-4)).toEqual(['Activity_approve', 'Gateway_join', 'Event_delivered', 'Event_done']);
  });
});
