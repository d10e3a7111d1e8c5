// The baseline of the engine bench: the reference approval process run purely in memory by the npm
// bpmn-engine package (no database, no HTTP), in its own process so its heap can be measured:
//   node --expose-gc bench/engine-baseline.js <instances> <concurrency> <waiting> <seconds>
// prints one JSON line: completed instances/s with p50/p99 per instance, and heap / saved state per waiting instance.
//
// bpmn-engine does not know FEEL or the Zeebe extension elements, so it gets the least a user would add:
// - an `expressions` handler that evaluates `=...` expressions with feelin against the process variables
//   (the gateway condition `=amount > 10000`), as the Opsflow engine evaluates them;
// - an extension that gives a service task with zeebe:taskDefinition type "set-variables" a service that
//   evaluates its zeebe:input mappings with feelin and merges the `variables` result into the process
//   variables (what Opsflow's built-in set-variables task does). It answers synchronously (no job queue).
// The BPMN is parsed and serialised once and every instance starts from that serialised context, as
// Opsflow compiles a deployed version once. The user task is completed by signalling it with the same data.
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APPROVAL, APPROVAL_COMPLETION, APPROVAL_PATH, approvalVariables, serverRequire } from './engine-reference.js';

const { Engine } = await import(pathToFileURL(join(dirname(serverRequire.resolve('bpmn-engine')), '../src/index.js')).href);
const { evaluate } = await import(pathToFileURL(serverRequire.resolve('feelin')).href);
const zeebe = serverRequire('zeebe-bpmn-moddle/resources/zeebe.json');

const feel = (source, variables) => evaluate(source, variables).value;

const expressions = {
  resolveExpression(expression, context) {
    if (typeof expression === 'string' && expression.startsWith('=')) return feel(expression.slice(1), context.environment.variables);
    return expression;
  },
  isExpression: (text) => typeof text === 'string' && text.startsWith('='),
  hasExpression: (text) => typeof text === 'string' && text.startsWith('='),
};

function zeebeServiceTasks(activity) {
  if (activity.type !== 'bpmn:ServiceTask') return;
  const values = activity.behaviour?.extensionElements?.values ?? [];
  const definition = values.find((value) => value.$type === 'zeebe:TaskDefinition');
  if (definition?.type !== 'set-variables') return;
  const inputs = values.find((value) => value.$type === 'zeebe:IoMapping')?.inputParameters ?? [];
  activity.behaviour.Service = function SetVariables(running) {
    return {
      execute(_message, callback) {
        const variables = running.environment.variables;
        const local = {};
        for (const input of inputs) local[input.target] = feel(input.source.replace(/^=/, ''), { ...variables, ...local });
        Object.assign(variables, local.variables ?? {});
        callback(null, local.variables ?? {});
      },
    };
  };
}

const prototype = new Engine({ name: 'approval', source: APPROVAL, moddleOptions: { zeebe } });
// The engine keeps the serialised source under this registered symbol; handing it to every new Engine skips the XML parse.
const [sourceContext] = await Promise.all(prototype[Symbol.for('pending sources')]);

/** Runs one instance to its user task; resolves with the engine and a function that completes the task and resolves at the end. */
async function startToTask(i, trace) {
  const engine = new Engine({ name: `approval-${i}`, sourceContext, expressions, extensions: { zeebe: zeebeServiceTasks } });
  let reached;
  const waiting = new Promise((resolve) => (reached = resolve));
  const listener = {
    emit(name, api) {
      if (name === 'activity.wait') reached(api);
      if (trace && name === 'activity.end') trace.push({ id: api.id, variables: api.environment?.variables });
    },
  };
  const ended = engine.waitFor('end');
  await engine.execute({ listener, variables: approvalVariables(i, 'user-1') });
  const task = await waiting;
  if (task.id !== 'review') throw new Error(`bpmn-engine waits at ${task.id}, not at the user task`);
  return {
    engine,
    complete: async () => {
      task.signal({ ...APPROVAL_COMPLETION.data, outcome: APPROVAL_COMPLETION.outcome });
      await ended;
    },
  };
}

const [total = 1000, concurrency = 32, waitingCount = 1000, seconds = 10] = process.argv.slice(2).map(Number);

// The path taken and the variables at the end, checked once.
const trace = [];
const first = await startToTask(0, trace);
await first.complete();
const path = trace.map((step) => step.id);
const variables = trace.at(-1)?.variables ?? {};
if (JSON.stringify(path) !== JSON.stringify(APPROVAL_PATH) || variables.checked !== true) {
  throw new Error(`bpmn-engine took ${path.join(' → ')} with ${JSON.stringify(variables)}`);
}

async function throughput(count, limitSeconds) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + limitSeconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < count && performance.now() < deadline; i = next++) {
      const t0 = performance.now();
      await (await startToTask(i + 1)).complete();
      latencies.push(performance.now() - t0);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage();
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  return { perSecond: n / elapsed, p50: latencies[Math.floor(0.5 * n)], p99: latencies[Math.min(n - 1, Math.floor(0.99 * n))], completed: n, failures: 0, cpu };
}

await throughput(200, 5);
const cpuBefore = process.cpuUsage();
const run = await throughput(total, seconds);
run.cpuMsPerInstance = ((run.cpu.user + run.cpu.system) - (cpuBefore.user + cpuBefore.system)) / 1000 / run.completed;
delete run.cpu;

const heap = () => {
  for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage();
};
const before = heap();
const held = [];
for (let i = 0; i < waitingCount; i++) held.push(await startToTask(1_000_000 + i));
const after = heap();
let stateBytes = 0;
for (const { engine } of held.slice(0, 100)) stateBytes += Buffer.byteLength(JSON.stringify(await engine.getState()));
console.log(JSON.stringify({
  ...run,
  waiting: waitingCount,
  heapPerWaiting: (after.heapUsed - before.heapUsed) / waitingCount,
  rssPerWaiting: (after.rss - before.rss) / waitingCount,
  statePerWaiting: stateBytes / Math.min(100, held.length),
  gcExposed: typeof global.gc === 'function',
}));
