import { describe, expect, it } from 'vitest';
import { decodeBpmnFile, splitImportWarnings } from './bpmn-file';

describe('imported .bpmn files', () => {
  it('are read in the encoding they declare and then declare UTF-8', () => {
    const latin1 = Uint8Array.from([...'<?xml version="1.0" encoding="ISO-8859-1"?><a name="Caf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x22, 0x2f, 0x3e]));
    expect(decodeBpmnFile(latin1)).toBe('<?xml version="1.0" encoding="UTF-8"?><a name="Café"/>');
  });

  it('read UTF-8 (with or without a byte order mark) as it is', () => {
    const utf8 = new TextEncoder().encode('\uFEFF<?xml version="1.0" encoding="UTF-8"?><a name="审批"/>');
    expect(decodeBpmnFile(utf8)).toBe('<?xml version="1.0" encoding="UTF-8"?><a name="审批"/>');
    expect(decodeBpmnFile(new TextEncoder().encode('<a/>'))).toBe('<a/>');
  });
});

describe('import warnings', () => {
  it('set drawing leftovers apart from warnings about the process', () => {
    expect(splitImportWarnings([
      'no bpmnElement referenced in <bpmndi:BPMNEdge id="e1" />',
      'unresolved reference <Task_9>',
      'unresolved reference <triso:unspecified>',
    ])).toEqual({
      leftovers: ['no bpmnElement referenced in <bpmndi:BPMNEdge id="e1" />', 'unresolved reference <triso:unspecified>'],
      warnings: ['unresolved reference <Task_9>'],
    });
  });
});
