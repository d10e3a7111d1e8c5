import { describe, expect, it } from 'vitest';
import type { ActiveElement, HistoryEntry, Incident } from '../../shared/api/processes';
import { buildTimeline, diagramMarkers, readProcessGraph } from './history';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="d">
  <bpmn:process id="fund" isExecutable="true">
    <bpmn:startEvent id="start" name="Request submitted" />
    <bpmn:userTask id="manager" name="Manager review" />
    <bpmn:exclusiveGateway id="big" name="Budget over 10,000?" />
    <bpmn:userTask id="finance" name="Finance review" />
    <bpmn:endEvent id="end" name="Done" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="manager" />
    <bpmn:sequenceFlow id="f2" sourceRef="manager" targetRef="big" />
    <bpmn:sequenceFlow id="f3" sourceRef="big" targetRef="finance" />
    <bpmn:sequenceFlow id="f4" sourceRef="big" targetRef="end" />
    <bpmn:sequenceFlow id="f5" sourceRef="finance" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="plane" bpmnElement="fund"><bpmndi:BPMNShape id="s1" bpmnElement="start" /></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

function entry(overrides: Partial<HistoryEntry>): HistoryEntry {
  return {
    elementId: 'x', elementType: 'userTask', name: null, status: 'completed', startedAt: '2026-03-01T09:00:00Z', endedAt: '2026-03-01T10:00:00Z',
    actor: null, actorName: null, outcome: null, comment: null, target: null, targetName: null, ...overrides,
  };
}

const T0 = '2026-03-01T09:00:00.000Z';
const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-01T11:00:00.000Z';
const history: HistoryEntry[] = [
  entry({ elementId: 'start', elementType: 'startEvent', name: 'Request submitted', startedAt: T0, endedAt: T0 }),
  entry({ elementId: 'manager', name: 'Manager review', actor: 'u1', actorName: 'Mei Chen', outcome: 'approved', comment: 'Good idea', startedAt: T0, endedAt: T1 }),
  entry({ elementId: 'big', elementType: 'exclusiveGateway', name: 'Budget over 10,000?', startedAt: T1, endedAt: T1 }),
];
const waiting: ActiveElement[] = [{ elementInstanceId: 'e1', elementId: 'finance', state: 'waiting', startedAt: T1 }];

describe('readProcessGraph', () => {
  it('reads names, kinds, flows and whether there is a layout', () => {
    const graph = readProcessGraph(XML);
    expect(graph.names.get('finance')).toBe('Finance review');
    expect(graph.kinds.get('big')).toBe('exclusiveGateway');
    expect(graph.flows).toContainEqual({ id: 'f3', source: 'big', target: 'finance' });
    expect(graph.hasDiagram).toBe(true);
    expect(readProcessGraph('<oops').flows).toEqual([]);
  });
});

describe('diagramMarkers', () => {
  it('marks the path taken, where it waits and where it is stuck', () => {
    const graph = readProcessGraph(XML);
    const markers = diagramMarkers(history, waiting, [], graph.flows);
    expect(markers.done.sort()).toEqual(['big', 'manager', 'start']);
    expect(markers.active).toEqual(['finance']);
    expect(markers.failed).toEqual([]);
    // f4 (to the end) was not taken
    expect(markers.flows.sort()).toEqual(['f1', 'f2', 'f3']);
  });

  it('does not mark the branch a gateway skipped, although its end was reached another way', () => {
    const finished = [
      ...history,
      entry({ elementId: 'finance', name: 'Finance review', startedAt: T1, endedAt: T2 }),
      entry({ elementId: 'end', elementType: 'endEvent', name: 'Done', startedAt: T2, endedAt: T2 }),
    ];
    const markers = diagramMarkers(finished, [], [], readProcessGraph(XML).flows);
    expect(markers.done.sort()).toEqual(['big', 'end', 'finance', 'manager', 'start']);
    expect(markers.flows.sort()).toEqual(['f1', 'f2', 'f3', 'f5']);
  });

  it('marks an element with an open incident as failed, not waiting', () => {
    const incident: Incident = {
      id: 'inc', instanceId: 'i', elementId: 'finance', kind: 'job_failed', message: 'boom', status: 'open', createdAt: '', resolvedAt: null,
    };
    const markers = diagramMarkers(history, waiting, [incident], []);
    expect(markers.failed).toEqual(['finance']);
    expect(markers.active).toEqual([]);
  });
});

describe('buildTimeline', () => {
  it('tells who did what, leaves the gateway out and ends with where it waits', () => {
    const items = buildTimeline(history, { activeElements: waiting, incidents: [], graph: readProcessGraph(XML), starterName: 'Mei Chen' });
    expect(items.map((i) => [i.kind, i.step, i.actorName, i.outcome, i.comment])).toEqual([
      ['started', 'Request submitted', 'Mei Chen', null, null],
      ['task', 'Manager review', 'Mei Chen', 'approved', 'Good idea'],
      ['waiting', 'Finance review', null, null, null],
    ]);
  });

  it('never names an unnamed start by its generated id', () => {
    const unnamed = [entry({ elementId: 'StartEvent_1', elementType: 'startEvent', name: null, startedAt: T0, endedAt: T0 })];
    const items = buildTimeline(unnamed, { activeElements: [], incidents: [], graph: { names: new Map(), kinds: new Map() }, starterName: 'Mei Chen' });
    expect(items.map((i) => [i.kind, i.step])).toEqual([['started', '']]);
  });

  it('shows returns, transfers and a withdrawal; one line for a step several approvers wait at', () => {
    const items = buildTimeline(
      [
        entry({ elementId: 'manager', name: 'Manager review', status: 'transferred', actorName: 'Mei', targetName: 'Li Na', comment: 'on leave' }),
        entry({ elementId: 'finance', name: 'Finance review', status: 'terminated', outcome: 'returned', actorName: 'Li Na' }),
        entry({ elementId: 'fund', elementType: 'process', status: 'withdrawn', actorName: 'Mei', outcome: 'withdrawn' }),
      ],
      {
        activeElements: [...waiting, { ...waiting[0], elementInstanceId: 'e2' }],
        incidents: [],
        graph: readProcessGraph(XML),
      },
    );
    expect(items.map((i) => i.kind)).toEqual(['transferred', 'returned', 'withdrawn', 'waiting']);
    expect(items[0].targetName).toBe('Li Na');
  });
});
