// Validated submissions over HTTP (32 clients) against the same server storing the same rows through
// a bare endpoint (same auth and body parsing; no validation, calculation, access check or audit).
// Each figure also shows the CPU time per record of the server and of this load generator: both run
// on the same cores, so every microsecond the client spends is one the server does not get.
// BENCH_CLIENT=fetch sends with global fetch (undici) instead of node:http, as before.
import { alternate, httpClient, startServer } from './lib.js';

const TOTAL = Number(process.env.BENCH_SUBMISSIONS ?? 6000);
const ROUNDS = 3;
const CONCURRENCY = 32;
const CLIENT = process.env.BENCH_CLIENT === 'fetch' ? 'fetch' : 'node:http';

const schema = {
  type: 'object',
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    budget: { type: 'number', minimum: 5000, maximum: 20000 },
    category: { type: 'string', enum: ['tools', 'process', 'training'] },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, uniqueItems: true },
    items: { type: 'array', maxItems: 10, items: { type: 'object', properties: { what: { type: 'string' }, amount: { type: 'number' } } } },
    total: { type: 'number', readOnly: true },
  },
  required: ['title', 'budget'],
};
const uischema = { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/total', options: { calculate: '=sum(items.amount)' } }] };
const data = (i) => ({ title: `Request ${i}`, budget: 5000 + (i % 15000), category: 'tools', tags: ['a', 'b'], items: [{ what: 'x', amount: 10 }, { what: 'y', amount: i % 100 }] });

function line(name, figure, baseline) {
  const cpu = figure.serverCpu === undefined ? '' : `  cpu/record: server ${figure.serverCpu.toFixed(0)} µs, client ${figure.clientCpu.toFixed(0)} µs`;
  return `${name.padEnd(46)} ${figure.perSecond.toFixed(0).padStart(6)} records/s  p50 ${figure.p50.toFixed(1).padStart(5)} ms  p99 ${figure.p99.toFixed(1).padStart(6)} ms  ${figure.failures ? `${figure.failures} failed  ` : ''}ratio ${(figure.perSecond / baseline.perSecond).toFixed(2)}${cpu}`;
}

export async function run() {
  const email = 'bench@example.com';
  const password = 'bench password 1';
  const server = await startServer({ OPSFLOW_ADMIN_EMAIL: email, OPSFLOW_ADMIN_PASSWORD: password, OPSFLOW_BENCH_ENDPOINTS: 'true' });
  const client = httpClient(server.url);
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const headers = { cookie: login.headers.get('set-cookie').split(';')[0], 'content-type': 'application/json' };
    const post = CLIENT === 'fetch'
      ? (path, body) => fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
      : (path, body) => client.post(path, body, { headers: { cookie: headers.cookie } });
    const app = await (await post('/api/apps', { name: 'Bench' })).json();
    const form = await (await post('/api/forms', { appId: app.id, name: 'Bench form', schema, uischema })).json();
    await post(`/api/forms/${form.id}/publish`, {});
    const bare = `/api/bench/forms/${form.id}/records`;
    const validatedPath = `/api/forms/${form.id}/records`;
    const measure = async (run) => {
      const server0 = server.cpuSeconds();
      const client0 = process.cpuUsage();
      const figure = await run();
      const client = process.cpuUsage(client0);
      const serverCpu = server.cpuSeconds();
      return { ...figure, cost: server0 === undefined || serverCpu === undefined ? {} : { server: (serverCpu - server0) * 1e6, client: client.user + client.system } };
    };
    const loads = (total) => ({
      baseline: { total, request: (i) => post(bare, { data: data(i) }) },
      validated: { total, request: (i) => post(validatedPath, { data: data(i) }) },
    });
    await alternate(loads(1000), { rounds: 2, concurrency: CONCURRENCY });
    const figures = await alternate(loads(TOTAL), { rounds: ROUNDS, concurrency: CONCURRENCY, measure });
    const withCpu = (figure) => (figure.cost.server === undefined ? figure : { ...figure, serverCpu: figure.cost.server / TOTAL, clientCpu: figure.cost.client / TOTAL });
    const baseline = withCpu(figures.baseline);
    const validated = withCpu(figures.validated);
    console.log(`\nSubmissions over HTTP on SQLite, ${TOTAL} per figure in ${ROUNDS} alternating rounds, ${CONCURRENCY} clients over ${CLIENT} (ratio = figure / baseline records/s)`);
    console.log(line('baseline: bare insert endpoint', baseline, baseline));
    console.log(line('POST /api/forms/:id/records (validated)', validated, baseline));
  } finally {
    client.close();
    await server.stop();
  }
}
