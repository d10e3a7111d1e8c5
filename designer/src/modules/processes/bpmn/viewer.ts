import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './opsflow-bpmn.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';

export type ElementState = 'completed' | 'active' | 'incident';

/** A read-only diagram of an instance's version with the elements it passed, waits in, or failed at marked. */
export interface InstanceViewer {
  /** Shows the diagram; answers the elements' names by id (for messages that only know an id). */
  show(xml: string, states: Map<string, ElementState>): Promise<Map<string, string>>;
  destroy(): void;
}

interface Canvas {
  zoom(level: 'fit-viewport', center: 'auto'): number;
  addMarker(elementId: string, marker: string): void;
}

export function createInstanceViewer(container: HTMLElement): InstanceViewer {
  const viewer = new NavigatedViewer({ container, moddleExtensions: { zeebe: zeebeModdle } });
  return {
    async show(xml, states) {
      await viewer.importXML(xml);
      const canvas = viewer.get('canvas') as Canvas;
      const registry = viewer.get('elementRegistry') as {
        get(id: string): unknown;
        getAll(): { id: string; businessObject?: { name?: unknown } }[];
      };
      canvas.zoom('fit-viewport', 'auto');
      for (const [elementId, state] of states) {
        if (registry.get(elementId)) canvas.addMarker(elementId, `opsflow-state-${state}`);
      }
      const names = new Map<string, string>();
      for (const element of registry.getAll()) {
        const name = element.businessObject?.name;
        if (typeof name === 'string' && name.trim()) names.set(element.id, name.replace(/\s+/g, ' ').trim());
      }
      return names;
    },
    destroy: () => viewer.destroy(),
  };
}
