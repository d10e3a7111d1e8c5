import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle, type ModdleObject } from 'bpmn-moddle';
import { type EngineTestApp, startEngineApp } from './engine-harness.js';

/*
 * The BPMN Model Interchange Working Group's reference models (shared corpora beside the repository):
 * drawn in a dozen tools, most of them not meant to run. Every file must either deploy or be refused
 * with 422 `process_invalid` whose every detail names an element of the file and says why; never a 500,
 * never a hang. A second pass marks each process of each file executable in turn, so the builder meets
 * every element the corpus holds instead of stopping at "not executable".
 */

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpora/bpmn-miwg');
const FILES = readdirSync(CORPUS).filter((file) => file.endsWith('.bpmn')).sort();
const REQUEST_TIMEOUT_MS = 15_000;

/** What each file gets as it is: deployed, or the problem codes it is refused with. Update it when the builder learns something. */
const EXPECTED: Record<string, string[] | 'deployed'> = {
  'A.1.0.bpmn': ['not_executable'],
  'A.2.0.bpmn': ['not_executable'],
  'A.2.1.bpmn': ['not_executable'],
  'A.3.0.bpmn': ['not_executable'],
  'A.4.0.bpmn': ['not_executable'],
  'A.4.1.bpmn': ['not_executable'],
  'B.1.0.bpmn': ['not_executable'],
  'B.2.0.bpmn': ['not_executable'],
  'C.1.0.bpmn': ['feel_syntax', 'missing_task_type'],
  'C.1.1.bpmn': ['feel_syntax', 'missing_task_type'],
  'C.2.0.bpmn': ['not_executable'],
  'C.3.0.bpmn': ['feel_syntax', 'missing_condition', 'missing_correlation_key', 'subprocess_start_invalid'],
  'C.4.0.bpmn': ['not_executable'],
  'C.5.0.bpmn': ['not_executable'],
  'C.6.0.bpmn': ['not_executable'],
  'C.7.0.bpmn': ['not_executable'],
  'C.8.0.bpmn': ['not_executable'],
  'C.8.1.bpmn': ['unknown_form', 'unknown_task_type'],
  'C.9.0.bpmn': ['dmn_not_supported', 'unknown_task_type', 'unsupported_element'],
  'C.9.1.bpmn': ['unknown_task_type'],
  'C.9.2.bpmn': ['unknown_form', 'unsupported_element'],
};

/** Constructs the engine does not run; each one in an executable process must be named by an `unsupported_element` problem. */
const UNSUPPORTED_TYPES = new Set(['bpmn:ComplexGateway', 'bpmn:Transaction', 'bpmn:AdHocSubProcess']);
const UNSUPPORTED_TRIGGERS = new Set([
  'bpmn:SignalEventDefinition', 'bpmn:EscalationEventDefinition', 'bpmn:CompensateEventDefinition',
  'bpmn:LinkEventDefinition', 'bpmn:ConditionalEventDefinition', 'bpmn:CancelEventDefinition',
]);

interface ProblemDetail {
  path: string;
  code: string;
  message: string;
}

interface Outcome {
  status: number;
  code: string | null;
  details: ProblemDetail[];
}

/** Files declare their encoding; a browser reading one would decode it the same way. */
function readModel(file: string): string {
  const head = readFileSync(join(CORPUS, file)).subarray(0, 200).toString('latin1');
  return readFileSync(join(CORPUS, file), /encoding="ISO-8859-1"/i.test(head) ? 'latin1' : 'utf8');
}

function idsOf(xml: string): Set<string> {
  return new Set([...xml.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));
}

const PROCESS_TAG = /<((?:[\w-]+:)?process)\b([^>]*)>/g;

function processIds(xml: string): string[] {
  return [...xml.matchAll(PROCESS_TAG)].map((match) => /\bid="([^"]+)"/.exec(match[2])?.[1] ?? '').filter(Boolean);
}

/** The same file with only `processId` marked executable (or every process, for `'all'`). */
function withExecutable(xml: string, processId: string | 'all'): string {
  return xml.replace(PROCESS_TAG, (_tag, name: string, attributes: string) => {
    const selfClosing = attributes.trimEnd().endsWith('/');
    const rest = attributes.replace(/\s+isExecutable="[^"]*"/, '').replace(/\/\s*$/, '');
    const id = /\bid="([^"]+)"/.exec(rest)?.[1];
    return `<${name}${rest} isExecutable="${processId === 'all' || id === processId}"${selfClosing ? '/' : ''}>`;
  });
}

function list(element: ModdleObject | undefined, key: string): ModdleObject[] {
  const value = element?.[key];
  return Array.isArray(value) ? (value as ModdleObject[]) : [];
}

/** Ids of the elements of `processId` that the engine cannot run, found by walking the file with bpmn-moddle. */
async function unsupportedElements(xml: string, processId: string): Promise<string[]> {
  const { rootElement } = await BpmnModdle().fromXML(xml, 'bpmn:Definitions');
  const process = list(rootElement, 'rootElements').find((element) => element.$type === 'bpmn:Process' && element.id === processId);
  const found: string[] = [];
  const walk = (container: ModdleObject | undefined) => {
    for (const element of list(container, 'flowElements')) {
      const id = element.id ?? '';
      const loop = element.loopCharacteristics as ModdleObject | undefined;
      const refused = UNSUPPORTED_TYPES.has(element.$type) || element.triggeredByEvent === true || element.isForCompensation === true;
      if (refused || list(element, 'eventDefinitions').some((definition) => UNSUPPORTED_TRIGGERS.has(definition.$type))
        || loop?.$type === 'bpmn:StandardLoopCharacteristics') {
        found.push(id);
      }
      // The builder does not look inside what it refuses as a whole.
      if (!refused && element.$type === 'bpmn:SubProcess') walk(element);
    }
  };
  walk(process);
  return found;
}

describe('BPMN MIWG reference models', () => {
  let e: EngineTestApp;
  const summary: string[] = [];

  beforeAll(async () => {
    e = await startEngineApp();
  });

  afterAll(async () => {
    process.stdout.write(`\nMIWG reference models (as drawn, then with each process made executable):\n${summary.join('\n')}\n\n`);
    await e.close();
  });

  const deploy = async (processId: string): Promise<Outcome> => {
    const response = await e.tenant.owner.post(`/api/processes/${processId}/deploy`).timeout(REQUEST_TIMEOUT_MS);
    return { status: response.status, code: response.body.code ?? null, details: (response.body.details ?? []) as ProblemDetail[] };
  };

  /** 200, or 422 process_invalid where every detail names an element of the file, has a code and a readable reason. */
  const expectDeployedOrExplained = (outcome: Outcome, xml: string): void => {
    expect([200, 422]).toContain(outcome.status);
    if (outcome.status === 200) return;
    expect(outcome.code).toBe('process_invalid');
    expect(outcome.details.length).toBeGreaterThan(0);
    const ids = idsOf(xml);
    for (const detail of outcome.details) {
      expect({ detail, named: ids.has(detail.path) }).toEqual({ detail, named: true });
      expect(detail.code).toMatch(/^[a-z_]+$/);
      expect(detail.message.length).toBeGreaterThan(15);
      expect(detail.message).not.toMatch(/undefined|null|\[object|^: |\n/);
    }
  };

  const describeOutcome = (outcome: Outcome): string => {
    if (outcome.status === 200) return 'deployed';
    const counts = new Map<string, number>();
    for (const detail of outcome.details) counts.set(detail.code, (counts.get(detail.code) ?? 0) + 1);
    return `refused: ${[...counts].map(([code, count]) => (count > 1 ? `${code} ×${count}` : code)).join(', ')}`;
  };

  it.each(FILES)('%s deploys, or is refused with reasons that name its elements', async (file) => {
    const xml = readModel(file);
    const created = await e.tenant.owner.post('/api/processes').send({ appId: e.appId, name: `MIWG ${file}`, bpmnXml: xml }).timeout(REQUEST_TIMEOUT_MS);
    expect(created.status).toBe(201);
    const outcome = await deploy(created.body.id);
    summary.push(`  ${file.padEnd(11)} ${describeOutcome(outcome)}`);
    expectDeployedOrExplained(outcome, xml);
    const codes = [...new Set(outcome.details.map((detail) => detail.code))].sort();
    expect(outcome.status === 200 ? 'deployed' : codes).toEqual(EXPECTED[file]);
  });

  describe('with each process made executable in turn', () => {
    let probeId: string;

    beforeAll(async () => {
      // One draft takes every variant, so processes that share an id across files do not clash.
      probeId = (await e.tenant.owner.post('/api/processes').send({ appId: e.appId, name: 'MIWG probe' }).expect(201)).body.id;
    });

    it.each(FILES)('%s: every process deploys or names what stops it, and what deploys starts', async (file) => {
      const xml = readModel(file);
      for (const processId of processIds(xml)) {
        const variant = withExecutable(xml, processId);
        await e.tenant.owner.patch(`/api/processes/${probeId}`).send({ bpmnXml: variant }).timeout(REQUEST_TIMEOUT_MS).expect(200);
        const outcome = await deploy(probeId);
        summary.push(`  ${file.padEnd(11)} ${processId.slice(0, 42).padEnd(43)} ${describeOutcome(outcome)}`);
        expectDeployedOrExplained(outcome, variant);
        expect(outcome.details.find((detail) => detail.code === 'not_executable')).toBeUndefined();
        const named = new Set(outcome.details.filter((detail) => detail.code === 'unsupported_element').map((detail) => detail.path));
        for (const id of await unsupportedElements(variant, processId)) expect({ id, named: named.has(id) }).toEqual({ id, named: true });
        if (outcome.status !== 200) continue;
        const started = await e.tenant.owner.post(`/api/processes/${probeId}/instances`).send({ variables: {} }).timeout(REQUEST_TIMEOUT_MS);
        expect([201, 422]).toContain(started.status);
        if (started.status !== 201) continue;
        await e.settle();
        expect(['active', 'completed', 'incident']).toContain((await e.instance(started.body.id)).status);
      }
      if (processIds(xml).length > 1) {
        await e.tenant.owner.patch(`/api/processes/${probeId}`).send({ bpmnXml: withExecutable(xml, 'all') }).expect(200);
        const outcome = await deploy(probeId);
        expect(outcome.status).toBe(422);
        expect(outcome.details.map((detail) => detail.code)).toEqual(['several_executable_processes']);
        expect(processIds(xml)).toContain(outcome.details[0].path);
      }
    });
  });
});
