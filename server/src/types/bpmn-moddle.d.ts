// bpmn-moddle ships types for its element data but none for the class itself.
declare module 'bpmn-moddle' {
  export interface ModdleObject {
    $type: string;
    id?: string;
    [property: string]: unknown;
  }

  export interface FromXmlResult {
    rootElement: ModdleObject;
    warnings: { message: string }[];
  }

  export interface Moddle {
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }

  /** Creates a moddle for BPMN 2.0 plus the extension packages given (Zeebe's here). */
  export function BpmnModdle(packages?: Record<string, unknown>): Moddle;
}
