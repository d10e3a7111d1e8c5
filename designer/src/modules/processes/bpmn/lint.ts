import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';

/**
 * bpmnlint's recommended rules without the noisy ones (labels on every element, overlapping shapes, fake joins (an end event reached by two paths),
 * superfluous labels/terminations, "global" elements, inclusive gateways — the engine runs those), packed for
 * bpmn-js-bpmnlint. The server's deploy check stays the authority; this only warns early.
 */
const RULES: Record<string, { rule: unknown; level: 'error' | 'warn' }> = {
  'conditional-flows': { rule: conditionalFlows, level: 'error' },
  'end-event-required': { rule: endEventRequired, level: 'error' },
  'event-based-gateway': { rule: eventBasedGateway, level: 'error' },
  'no-complex-gateway': { rule: noComplexGateway, level: 'error' },
  'no-disconnected': { rule: noDisconnected, level: 'error' },
  'no-duplicate-sequence-flows': { rule: noDuplicateSequenceFlows, level: 'error' },
  'no-implicit-end': { rule: noImplicitEnd, level: 'warn' },
  'no-implicit-split': { rule: noImplicitSplit, level: 'warn' },
  'no-implicit-start': { rule: noImplicitStart, level: 'warn' },
  'single-blank-start-event': { rule: singleBlankStartEvent, level: 'error' },
  'single-event-definition': { rule: singleEventDefinition, level: 'error' },
  'start-event-required': { rule: startEventRequired, level: 'error' },
  'sub-process-blank-start-event': { rule: subProcessBlankStartEvent, level: 'error' },
  'superfluous-gateway': { rule: superfluousGateway, level: 'warn' },
};

export const lintConfig = {
  config: { rules: Object.fromEntries(Object.entries(RULES).map(([name, { level }]) => [name, level])) },
  resolver: {
    resolveRule(pkg: string, ruleName: string): unknown {
      if (pkg !== 'bpmnlint' || !RULES[ruleName]) throw new Error(`unknown lint rule ${pkg}/${ruleName}`);
      return RULES[ruleName].rule;
    },
    resolveConfig(pkg: string, configName: string): never {
      throw new Error(`unknown lint config ${pkg}/${configName}`);
    },
  },
};
