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

const MARKER = 'opsflow-problem';
const OVERLAY = 'opsflow-problem';

/**
 * Marks the elements deploy problems concern (a red outline and a badge with the messages), and clears them
 * again: a small bpmn-js module, so the markers live in the diagram's own layers.
 */
export class ProblemMarkers {
  static $inject = ['overlays', 'canvas', 'elementRegistry'];
  private marked: string[] = [];

  constructor(private readonly overlays: Overlays, private readonly canvas: Canvas, private readonly registry: ElementRegistry) {}

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
      text.textContent = list.map((p) => p.message).join('\n');
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
