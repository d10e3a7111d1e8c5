const DECLARATION = /^(\uFEFF)?<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["'][^>]*\?>/;

/**
 * The text of an imported .bpmn file: decoded with the encoding its XML declaration names (Signavio and other
 * tools write ISO-8859-1), and the declaration then saying UTF-8, which is what the text is from here on.
 */
export function decodeBpmnFile(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = DECLARATION.exec(head)?.[2];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  const text = decoder.decode(bytes).replace(/^\uFEFF/, '');
  return text.replace(DECLARATION, (declaration) => declaration.replace(/\bencoding\s*=\s*["'][^"']*["']/, 'encoding="UTF-8"'));
}

/**
 * bpmn-js's warnings for what it leaves out without changing the process: a drawing element (shape or edge) that
 * points at no process element, or a reference into another namespace (`triso:unspecified`, an element of an
 * imported file that a single file cannot resolve).
 */
const DRAWING_LEFTOVER = /^(no bpmnElement referenced in <bpmndi:|unresolved reference <[A-Za-z_][\w.-]*:[^>]+>)/;

/**
 * Import warnings split into leftovers (DI shapes or edges of nothing, references into other files: bpmn-js leaves them
 * out and the next save drops them, worth a note, not a dialog) and the warnings that concern the process itself.
 */
export function splitImportWarnings(warnings: readonly string[]): { leftovers: string[]; warnings: string[] } {
  return {
    leftovers: warnings.filter((warning) => DRAWING_LEFTOVER.test(warning)),
    warnings: warnings.filter((warning) => !DRAWING_LEFTOVER.test(warning)),
  };
}
