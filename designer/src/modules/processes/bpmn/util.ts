// Small typed views of bpmn-js objects and the commands Opsflow's entries run (always through the command stack).

export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  id?: string;
  name?: string;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  [key: string]: unknown;
}

export interface DiagramElement {
  id: string;
  type: string;
  businessObject: ModdleElement;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  parent?: DiagramElement;
  host?: DiagramElement;
  attachers?: DiagramElement[];
  incoming?: DiagramElement[];
  outgoing?: DiagramElement[];
  source?: DiagramElement;
  target?: DiagramElement;
  waypoints?: { x: number; y: number }[];
  labelTarget?: DiagramElement;
}

export interface Command {
  cmd: string;
  context: Record<string, unknown>;
}

export interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
}

export interface CommandStack {
  execute(command: string, context: unknown): void;
  registerHandler(command: string, handler: unknown): void;
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;
}

export interface Modeling {
  updateProperties(element: DiagramElement, properties: Record<string, unknown>): void;
  updateModdleProperties(element: DiagramElement, moddleElement: ModdleElement, properties: Record<string, unknown>): void;
  createShape(shape: unknown, position: { x: number; y: number }, target: DiagramElement, hints?: Record<string, unknown>): DiagramElement;
  appendShape(source: DiagramElement, shape: Record<string, unknown>, position?: { x: number; y: number }): DiagramElement;
  connect(source: DiagramElement, target: DiagramElement, attrs?: Record<string, unknown>): DiagramElement;
}

export interface ElementFactory {
  createShape(attrs: Record<string, unknown>): DiagramElement;
}

export function is(element: DiagramElement | ModdleElement | undefined | null, type: string): boolean {
  const bo = element && 'businessObject' in element ? element.businessObject : element;
  const candidate = bo as { $instanceOf?: (type: string) => boolean } | undefined | null;
  return typeof candidate?.$instanceOf === 'function' && candidate.$instanceOf(type);
}

export const MULTI_COMMAND = 'properties-panel.multi-command-executor';

export function updateModdle(element: DiagramElement, moddleElement: ModdleElement, properties: Record<string, unknown>): Command {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

export function updateProperties(element: DiagramElement, properties: Record<string, unknown>): Command {
  return { cmd: 'element.updateProperties', context: { element, properties } };
}

export function runCommands(commandStack: CommandStack, commands: Command[]): void {
  if (commands.length > 0) commandStack.execute(MULTI_COMMAND, commands);
}

function values(extensionElements: ModdleElement | undefined): ModdleElement[] {
  const list = extensionElements?.get('values');
  return Array.isArray(list) ? (list as ModdleElement[]) : [];
}

/** The first extension element of a type (`zeebe:AssignmentDefinition`) on a business object. */
export function getExtension(bo: ModdleElement | undefined, type: string): ModdleElement | undefined {
  const extensionElements = bo?.get('extensionElements') as ModdleElement | undefined;
  return values(extensionElements).find((value) => value.$type === type);
}

/** A string attribute of a moddle element, or undefined when it is missing or empty. */
export function attr(element: ModdleElement | undefined, name: string): string | undefined {
  const value = element?.get(name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Commands that set attributes of an extension element of `bo` (by default the element's business object),
 * creating `bpmn:extensionElements` and the extension when they are missing; with `removeWhenEmpty` (the caller
 * then passes every attribute of the type), an extension left with no attribute is removed.
 */
export function extensionCommands(
  element: DiagramElement,
  type: string,
  properties: Record<string, unknown>,
  bpmnFactory: BpmnFactory,
  options: { removeWhenEmpty?: boolean; bo?: ModdleElement } = {},
): Command[] {
  const bo = options.bo ?? element.businessObject;
  const commands: Command[] = [];
  const extensionElements = bo.get('extensionElements') as ModdleElement | undefined;
  const existing = getExtension(bo, type);
  const defined = Object.entries(properties).filter(([, value]) => value !== undefined && value !== '');
  if (existing) {
    if (options.removeWhenEmpty && defined.length === 0) {
      commands.push(updateModdle(element, extensionElements!, { values: values(extensionElements).filter((value) => value !== existing) }));
    } else {
      const cleaned = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, value === '' ? undefined : value]));
      commands.push(updateModdle(element, existing, cleaned));
    }
    return commands;
  }
  if (defined.length === 0) return commands;
  return addExtensionCommands(element, bpmnFactory.create(type, Object.fromEntries(defined)), bpmnFactory, bo);
}

/** Adds a new extension element (creating `bpmn:ExtensionElements` when there is none). */
export function addExtensionCommands(element: DiagramElement, extension: ModdleElement, bpmnFactory: BpmnFactory, bo: ModdleElement = element.businessObject): Command[] {
  const commands: Command[] = [];
  let extensionElements = bo.get('extensionElements') as ModdleElement | undefined;
  if (!extensionElements) {
    extensionElements = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    extensionElements.$parent = bo;
    commands.push(updateModdle(element, bo, { extensionElements }));
  }
  extension.$parent = extensionElements;
  commands.push(updateModdle(element, extensionElements, { values: [...values(extensionElements), extension] }));
  return commands;
}

/** `bpmn:FormalExpression` with a body, parented. */
export function formalExpression(bpmnFactory: BpmnFactory, body: string, parent: ModdleElement): ModdleElement {
  const expression = bpmnFactory.create('bpmn:FormalExpression', { body });
  expression.$parent = parent;
  return expression;
}

export function bodyOf(expression: unknown): string | undefined {
  const body = (expression as ModdleElement | undefined)?.get?.('body');
  return typeof body === 'string' ? body : undefined;
}

export function nameOf(element: DiagramElement | undefined): string {
  const name = element?.businessObject.get('name');
  return typeof name === 'string' && name.trim() ? name.replace(/\s+/g, ' ').trim() : element?.id ?? '';
}
