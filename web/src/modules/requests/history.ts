import type { ActiveElement, HistoryEntry, Incident } from '../../shared/api/processes';

/** What the diagram of a deployed version tells the page: element names and the sequence flows. */
export interface ProcessGraph {
  names: Map<string, string>;
  /** element id → BPMN type (`userTask`, `subProcess`, ...) */
  kinds: Map<string, string>;
  flows: { id: string; source: string; target: string }[];
  /** the file has a diagram layout (BPMN DI) to draw */
  hasDiagram: boolean;
}

/** Reads names and flows out of BPMN XML (an unreadable file gives an empty graph). */
export function readProcessGraph(bpmnXml: string): ProcessGraph {
  const graph: ProcessGraph = { names: new Map(), kinds: new Map(), flows: [], hasDiagram: false };
  const doc = new DOMParser().parseFromString(bpmnXml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return graph;
  for (const element of Array.from(doc.getElementsByTagName('*'))) {
    const id = element.getAttribute('id');
    if (element.localName === 'BPMNShape' || element.localName === 'BPMNEdge') graph.hasDiagram = true;
    if (!id) continue;
    graph.kinds.set(id, element.localName);
    const name = element.getAttribute('name')?.trim();
    if (name) graph.names.set(id, name);
    if (element.localName === 'sequenceFlow') {
      graph.flows.push({ id, source: element.getAttribute('sourceRef') ?? '', target: element.getAttribute('targetRef') ?? '' });
    }
  }
  return graph;
}

export interface DiagramMarkers {
  /** elements the request passed through */
  done: string[];
  /** where it waits now */
  active: string[];
  /** where it is stuck (an incident) */
  failed: string[];
  /** sequence flows it took (both ends reached) */
  flows: string[];
}

/** Which elements and flows to highlight, from the history, the waiting elements and the incidents. */
export function diagramMarkers(
  history: readonly HistoryEntry[],
  activeElements: readonly ActiveElement[],
  incidents: readonly Incident[],
  flows: ProcessGraph['flows'],
): DiagramMarkers {
  const failed = new Set([
    ...activeElements.filter((element) => element.state === 'failed').map((element) => element.elementId),
    ...incidents.filter((incident) => incident.status === 'open').map((incident) => incident.elementId),
  ]);
  const active = new Set(activeElements.filter((element) => element.state === 'waiting' && !failed.has(element.elementId)).map((element) => element.elementId));
  const done = new Set(
    history.filter((entry) => entry.status === 'completed' && entry.elementType !== 'process').map((entry) => entry.elementId),
  );
  // A flow was taken when its target was entered the moment its source finished (one engine step shares one
  // clock reading); that tells the branch a gateway chose from a branch that reached the same end another way.
  const finishedAt = new Map<string, Set<number>>();
  const enteredAt = new Map<string, Set<number>>();
  const note = (map: Map<string, Set<number>>, id: string, at: string) => {
    const time = new Date(at).getTime();
    if (!Number.isNaN(time)) (map.get(id) ?? map.set(id, new Set()).get(id)!).add(time);
  };
  for (const entry of history) {
    if (entry.status !== 'completed') continue;
    note(finishedAt, entry.elementId, entry.endedAt);
    note(enteredAt, entry.elementId, entry.startedAt);
  }
  for (const element of activeElements) note(enteredAt, element.elementId, element.startedAt);
  const taken = (source: string, target: string) => {
    const ends = finishedAt.get(source);
    const starts = enteredAt.get(target);
    return !!ends && !!starts && [...starts].some((time) => ends.has(time));
  };
  return {
    done: [...done].filter((id) => !active.has(id) && !failed.has(id)),
    active: [...active],
    failed: [...failed],
    flows: flows.filter((flow) => taken(flow.source, flow.target)).map((flow) => flow.id),
  };
}

export type TimelineKind = 'started' | 'task' | 'automatic' | 'event' | 'returned' | 'canceled' | 'transferred' | 'signerAdded'
  | 'urged' | 'withdrawn' | 'ended' | 'waiting' | 'failed';

export interface TimelineItem {
  key: string;
  kind: TimelineKind;
  /** the step's name (the element's, or its id when it has none) */
  step: string;
  at: string;
  actorName: string | null;
  targetName: string | null;
  outcome: string | null;
  comment: string | null;
}

const AUTOMATIC = new Set(['serviceTask', 'scriptTask', 'sendTask', 'businessRuleTask', 'callActivity', 'receiveTask', 'manualTask', 'task']);
const EVENTS = new Set(['intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent']);
/** Steps that say nothing to the person who asked: gateways, subprocess scopes, multi-instance bodies. */
const SILENT = new Set(['exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway', 'complexGateway', 'subProcess', 'multiInstanceBody']);

function kindOf(entry: HistoryEntry): TimelineKind | null {
  switch (entry.status) {
    case 'transferred': return 'transferred';
    case 'signer_added': return 'signerAdded';
    case 'urged': return 'urged';
    case 'withdrawn': return 'withdrawn';
    case 'terminated':
      if (entry.elementType !== 'userTask') return null;
      return entry.outcome === 'returned' ? 'returned' : 'canceled';
    default:
      break;
  }
  if (SILENT.has(entry.elementType)) return null;
  if (entry.elementType === 'startEvent') return 'started';
  if (entry.elementType === 'endEvent') return 'ended';
  if (entry.elementType === 'userTask') return 'task';
  if (AUTOMATIC.has(entry.elementType)) return 'automatic';
  if (EVENTS.has(entry.elementType)) return entry.name ? 'event' : null;
  return null;
}

/**
 * The request's story for people: who did what when, with outcomes and comments; gateways and other
 * plumbing left out; then where it waits now (or is stuck).
 */
export function buildTimeline(
  history: readonly HistoryEntry[],
  now: {
    activeElements: readonly ActiveElement[];
    incidents: readonly Incident[];
    graph: Pick<ProcessGraph, 'names' | 'kinds'>;
    starterName?: string | null;
  },
): TimelineItem[] {
  const items: TimelineItem[] = [];
  history.forEach((entry, index) => {
    const kind = kindOf(entry);
    if (!kind) return;
    items.push({
      key: `h${index}`,
      kind,
      // an unnamed start reads as "Submitted" on the page, never as its generated id
      step: entry.name ?? now.graph.names.get(entry.elementId) ?? (kind === 'started' ? '' : entry.elementId),
      at: entry.endedAt,
      actorName: entry.actorName ?? (kind === 'started' ? now.starterName ?? null : null),
      targetName: entry.targetName,
      outcome: kind === 'task' ? entry.outcome : null,
      comment: entry.comment,
    });
  });
  const openIncidents = now.incidents.filter((incident) => incident.status === 'open');
  const stuck = new Set(openIncidents.map((incident) => incident.elementId));
  const shown = new Set<string>();
  for (const element of now.activeElements) {
    const failed = element.state === 'failed' || stuck.has(element.elementId);
    const name = now.graph.names.get(element.elementId);
    // a subprocess waits while its inner steps do, and the approvers of a multi-instance task are one step;
    // unnamed plumbing means nothing to people unless it is stuck
    if (shown.has(element.elementId) || SILENT.has(now.graph.kinds.get(element.elementId) ?? '') || (!name && !failed)) continue;
    shown.add(element.elementId);
    items.push({
      key: `a${element.elementInstanceId}`,
      kind: failed ? 'failed' : 'waiting',
      step: name ?? element.elementId,
      at: element.startedAt,
      actorName: null,
      targetName: null,
      outcome: null,
      comment: null,
    });
  }
  return items;
}
