// Authenticated API requests against the same server's cheapest endpoint.
// Baseline: GET /api/health (no auth, one SELECT 1). Figures: a session-cookie request (token check,
// session row, user, tenant) and an API-key request, and a page of 50 users out of 2,000.
import { load, row, startServer } from './lib.js';

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = 32;

export async function run() {
  const email = 'bench@example.com';
  const password = 'bench password 1';
  const server = await startServer({ OPSFLOW_ADMIN_EMAIL: email, OPSFLOW_ADMIN_PASSWORD: password });
  try {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const headers = { cookie, 'content-type': 'application/json' };
    const key = await (await fetch(`${server.url}/api/api-keys`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench', scopes: ['read'] }) })).json();
    const csv = ['email,name,roles,department', ...Array.from({ length: 2000 }, (_, i) => `user${i}@bench.example,User ${i},member,Bench/Team ${i % 20}`)].join('\n');
    const imported = await fetch(`${server.url}/api/users/import`, { method: 'POST', headers, body: JSON.stringify({ csv }) });
    if (imported.status !== 201) throw new Error(`import failed: ${imported.status} ${await imported.text()}`);

    const opts = { total: TOTAL, concurrency: CONCURRENCY };
    await load({ ...opts, total: 500, request: () => fetch(`${server.url}/api/health`) });
    const baseline = await load({ ...opts, request: () => fetch(`${server.url}/api/health`) });
    const me = await load({ ...opts, request: () => fetch(`${server.url}/api/auth/me`, { headers: { cookie } }) });
    const apiKey = await load({ ...opts, request: () => fetch(`${server.url}/api/auth/me`.replace('auth/me', 'departments'), { headers: { authorization: `Bearer ${key.key}` } }) });
    const users = await load({ ...opts, request: (i) => fetch(`${server.url}/api/users?page=${(i % 40) + 1}&pageSize=50`, { headers: { cookie } }) });
    console.log(`\nHTTP on SQLite, ${TOTAL} requests per figure, ${CONCURRENCY} clients (ratio = figure / baseline req/s)`);
    console.log(row('baseline: GET /api/health', baseline, baseline));
    console.log(row('GET /api/auth/me (session cookie)', me, baseline));
    console.log(row('GET /api/departments (API key)', apiKey, baseline));
    console.log(row('GET /api/users page of 50 of 2,001', users, baseline));
  } finally {
    await server.stop();
  }
}
