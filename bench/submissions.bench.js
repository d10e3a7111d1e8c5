// Validated submissions over HTTP (32 clients) against the same server storing the same rows through
// a bare endpoint (same auth and body parsing; no validation, calculation, access check or audit).
import { load, startServer } from './lib.js';

const TOTAL = Number(process.env.BENCH_SUBMISSIONS ?? 4000);
const CONCURRENCY = 32;

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
  return `${name.padEnd(46)} ${figure.perSecond.toFixed(0).padStart(6)} records/s  p50 ${figure.p50.toFixed(1).padStart(5)} ms  p99 ${figure.p99.toFixed(1).padStart(6)} ms  ${figure.failures ? `${figure.failures} failed  ` : ''}ratio ${(figure.perSecond / baseline.perSecond).toFixed(2)}`;
}

export async function run() {
  const email = 'bench@example.com';
  const password = 'bench password 1';
  const server = await startServer({ OPSFLOW_ADMIN_EMAIL: email, OPSFLOW_ADMIN_PASSWORD: password, OPSFLOW_BENCH_ENDPOINTS: 'true' });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const headers = { cookie: login.headers.get('set-cookie').split(';')[0], 'content-type': 'application/json' };
    const post = (path, body) => fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const app = await (await post('/api/apps', { name: 'Bench' })).json();
    const form = await (await post('/api/forms', { appId: app.id, name: 'Bench form', schema, uischema })).json();
    await post(`/api/forms/${form.id}/publish`, {});
    const run = (path, total) => load({ total, concurrency: CONCURRENCY, request: (i) => post(path, { data: data(i) }) });
    await run(`/api/bench/forms/${form.id}/records`, 300);
    await run(`/api/forms/${form.id}/records`, 300);
    const baseline = await run(`/api/bench/forms/${form.id}/records`, TOTAL);
    const validated = await run(`/api/forms/${form.id}/records`, TOTAL);
    console.log(`\nSubmissions over HTTP on SQLite, ${TOTAL} per figure, ${CONCURRENCY} clients (ratio = figure / baseline records/s)`);
    console.log(line('baseline: bare insert endpoint', baseline, baseline));
    console.log(line('POST /api/forms/:id/records (validated)', validated, baseline));
  } finally {
    await server.stop();
  }
}
