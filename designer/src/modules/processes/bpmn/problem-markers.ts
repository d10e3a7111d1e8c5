import { problemsByElement, type ProcessProblem } from '../model/problems';

interface Overlays {
  add(elementId: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface Canvas {
  addMarker(elementId: string, marker: string): void;
  removeMarker(elementId: string, marker: string): void;
}
interface ElementRegistry {
  get(id: string): unknown;
}
interface EventBus {
  on(event: string, listener: (event: { elements: { id: string }[] }) => void): void;
  fire(event: string, data: unknown): void;
}

const MARKER = 'opsflow-problem';
const OVERLAY = 'opsflow-problem';

/**
 * Marks the elements deploy problems concern (a red outline and a badge with the messages), and clears them
 * again: a small bpmn-js module, so the markers live in the diagram's own layers.
 */
export class ProblemMarkers {
  static $inject = ['overlays', 'canvas', 'elementRegistry', 'eventBus'];
  private marked: string[] = [];

  constructor(private readonly overlays: Overlays, private readonly canvas: Canvas, private readonly registry: ElementRegistry, eventBus: EventBus) {
    // an element edited since the check may be fixed: its marker goes, and the page is told (`problems.touched`)
    eventBus.on('elements.changed', ({ elements }) => {
      const touched = elements.map((element) => element.id).filter((id) => this.marked.includes(id));
      if (touched.length === 0) return;
      for (const elementId of touched) this.unmark(elementId);
      eventBus.fire('problems.touched', { elementIds: touched });
    });
  }

  private unmark(elementId: string): void {
    if (this.registry.get(elementId)) this.canvas.removeMarker(elementId, MARKER);
    this.overlays.remove({ element: elementId, type: OVERLAY } as { type: string });
    this.marked = this.marked.filter((id) => id !== elementId);
  }

  show(problems: readonly ProcessProblem[]): void {
    this.clear();
    for (const [elementId, list] of problemsByElement(problems)) {
      if (!this.registry.get(elementId)) continue;
      this.canvas.addMarker(elementId, MARKER);
      this.marked.push(elementId);
      const badge = document.createElement('div');
      badge.className = `opsflow-problem-badge${list.every((p) => p.severity === 'warning') ? ' opsflow-problem-badge--warning' : ''}`;
      badge.dataset.test = 'problem-overlay';
      badge.dataset.elementId = elementId;
      const count = document.createElement('span');
      count.className = 'opsflow-problem-count';
      count.textContent = String(list.length);
      const text = document.createElement('div');
      text.className = 'opsflow-problem-text';
      // textContent: server messages quote names the admin typed
      text.textContent = list.map((p) => (p.detail ? `${p.message}\n${p.detail}` : p.message)).join('\n');
      badge.append(count, text);
      this.overlays.add(elementId, OVERLAY, { position: { top: -12, left: -12 }, html: badge });
    }
  }

  clear(): void {
    for (const elementId of this.marked) {
      if (this.registry.get(elementId)) this.canvas.removeMarker(elementId, MARKER);
    }
    this.marked = [];
    this.overlays.remove({ type: OVERLAY });
  }
}

export default {
  problemMarkers: ['type', ProblemMarkers],
};
