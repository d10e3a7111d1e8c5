import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import './opsflow-bpmn.css';
import Modeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import zeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { lintProblems, type ProcessProblem } from '../model/problems';
import type { OpsflowCatalog } from './catalog';
import { lintConfig } from './lint';
import problemMarkersModule, { type ProblemMarkers } from './problem-markers';
import opsflowPropertiesModule from './properties';
import { translateModule } from './translate';
import type { CommandStack, DiagramElement } from './util';

const OPEN_GROUPS = [
  'opsflow-form-group', 'opsflow-assignee-group', 'opsflow-approval-group', 'opsflow-condition-group', 'opsflow-task-type-group',
  'opsflow-inputs-group', 'opsflow-timer-group',
];

export interface ImportResult {
  warnings: string[];
}

/** The process designer's view of a bpmn-js Modeler: what the page's toolbar, problem list and journey use. */
export interface ProcessModeler {
  importXml(xml: string): Promise<ImportResult>;
  saveXml(): Promise<string>;
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;
  zoom(step: 1 | -1): void;
  fit(): void;
  select(elementId: string): boolean;
  /** An element's name as the diagram shows it ('' when it has none or does not exist). */
  nameOf(elementId: string): string;
  showProblems(problems: readonly ProcessProblem[]): void;
  lint(): Promise<ProcessProblem[]>;
  setLinting(active: boolean): void;
  /** Renders the properties panel again (after the catalogue loaded or the language changed). */
  refreshPanel(): void;
  onChange(listener: () => void): void;
  /** Elements with a marked problem that were edited since (their markers are gone). */
  onProblemsTouched(listener: (elementIds: string[]) => void): void;
  /** The number of shapes drawn (for checks that an imported model rendered). */
  shapeCount(): number;
  destroy(): void;
}

interface Viewbox {
  x: number;
  y: number;
  width: number;
  height: number;
  scale: number;
}

interface Canvas {
  zoom(level?: number | 'fit-viewport', center?: 'auto'): number;
  scrollToElement(element: DiagramElement): void;
  viewbox(): Viewbox;
  viewbox(box: Omit<Viewbox, 'scale'>): void;
}

/** The palette floats over the canvas's left edge (its width and margin, in screen pixels). */
const PALETTE_PX = 110;

/** The whole diagram in view, right of the palette, so no shape hides under it. */
function fitBesidePalette(canvas: Canvas): void {
  canvas.zoom('fit-viewport', 'auto');
  const box = canvas.viewbox();
  const room = PALETTE_PX / box.scale;
  canvas.viewbox({ x: box.x - room, y: box.y, width: box.width + room, height: box.height });
}

export function createProcessModeler(options: { canvas: HTMLElement; panel: HTMLElement; catalog: OpsflowCatalog }): ProcessModeler {
  const modeler = new Modeler({
    container: options.canvas,
    // Opsflow's groups start open: they are what an admin came to set
    propertiesPanel: { parent: options.panel, layout: { groups: Object.fromEntries(OPEN_GROUPS.map((id) => [id, { open: true }])) } },
    linting: { bpmnlint: lintConfig, active: false },
    moddleExtensions: { zeebe: zeebeModdle },
    additionalModules: [
      BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, zeebeBehaviorsModule,
      lintModule, problemMarkersModule, opsflowPropertiesModule,
      { opsflowCatalog: ['value', options.catalog] },
      translateModule(() => options.catalog.locale()),
    ],
  });
  const get = <T>(name: string) => modeler.get(name) as T;
  const commandStack = () => get<CommandStack>('commandStack');
  const canvas = () => get<Canvas>('canvas');
  const registry = () => get<{ get(id: string): DiagramElement | undefined; filter(fn: (e: DiagramElement) => boolean): DiagramElement[] }>('elementRegistry');
  const eventBus = () => get<{ on<E>(event: string, listener: (event: E) => void): void; fire(event: string, data?: unknown): void }>('eventBus');

  return {
    async importXml(xml) {
      const result = await modeler.importXML(xml);
      fitBesidePalette(canvas());
      return { warnings: result.warnings.map((warning) => String((warning as { message?: string }).message ?? warning)) };
    },
    async saveXml() {
      const { xml } = await modeler.saveXML({ format: true });
      return xml ?? '';
    },
    undo: () => commandStack().undo(),
    redo: () => commandStack().redo(),
    canUndo: () => commandStack().canUndo(),
    canRedo: () => commandStack().canRedo(),
    zoom(step) {
      canvas().zoom(canvas().zoom() * (step > 0 ? 1.2 : 1 / 1.2));
    },
    fit: () => fitBesidePalette(canvas()),
    select(elementId) {
      const element = registry().get(elementId);
      if (!element) return false;
      get<{ select(element: DiagramElement): void }>('selection').select(element);
      if (!element.waypoints) canvas().scrollToElement(element);
      return true;
    },
    nameOf(elementId) {
      const name = registry().get(elementId)?.businessObject.get('name');
      return typeof name === 'string' ? name.replace(/\s+/g, ' ').trim() : '';
    },
    showProblems: (problems) => get<ProblemMarkers>('problemMarkers').show(problems),
    async lint() {
      const issues = await get<{ lint(): Promise<Record<string, { message: string; category: string; id?: string }[]>> }>('linting').lint();
      return lintProblems(issues);
    },
    setLinting: (active) => get<{ toggle(active: boolean): void }>('linting').toggle(active),
    refreshPanel: () => eventBus().fire('propertiesPanel.providersChanged'),
    onChange: (listener) => eventBus().on('commandStack.changed', listener),
    onProblemsTouched: (listener) => eventBus().on<{ elementIds: string[] }>('problems.touched', (event) => listener(event.elementIds)),
    shapeCount: () => registry().filter((element) => !element.waypoints && element.type !== 'label' && !!element.parent).length,
    destroy: () => modeler.destroy(),
  };
}
