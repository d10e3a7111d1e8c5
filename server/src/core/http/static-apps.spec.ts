import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSinglePageApp } from './static-apps.js';

/** A built web app and designer in a temporary folder, with a secret file beside them. */
function builtApps(): { root: string; web: string; designer: string } {
  const root = mkdtempSync(join(tmpdir(), 'opsflow-spa-'));
  const web = join(root, 'web');
  const designer = join(root, 'designer');
  for (const [dist, name] of [[web, 'web'], [designer, 'designer']]) {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), `<title>${name}</title>`);
    writeFileSync(join(dist, 'assets', 'app-1a2b.js'), `console.log('${name}')`);
    writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  }
  writeFileSync(join(root, 'secret.txt'), 'not for you');
  return { root, web, designer };
}

describe('the single-page apps', () => {
  let apps: ReturnType<typeof builtApps>;
  let server: FastifyInstance;

  beforeAll(async () => {
    apps = builtApps();
    server = Fastify();
    await server.register(fastifyStatic, { root: apps.web, serve: false });
    server.get('/api/health', async () => ({ status: 'ok' }));
    serveSinglePageApp(server, '/designer', apps.designer);
    serveSinglePageApp(server, '/', apps.web);
    await server.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server.close();
    rmSync(apps.root, { recursive: true, force: true });
  });

  /** The raw path as sent (no client-side normalising of `..`), over a real socket. */
  const get = (path: string) => new Promise<{ statusCode: number; headers: IncomingHttpHeaders; body: string; json(): unknown }>((resolve, reject) => {
    const { port } = server.server.address() as AddressInfo;
    request({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () =>
        resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body, json: () => JSON.parse(body) }));
    }).on('error', reject).end();
  });

  it('serves each app\'s page for its client-side routes, never cached', async () => {
    for (const [url, title] of [['/', 'web'], ['/tasks/42', 'web'], ['/designer', 'designer'], ['/designer/', 'designer'], ['/designer/apps/7', 'designer']]) {
      const response = await get(url);
      expect([url, response.statusCode, response.body]).toEqual([url, 200, `<title>${title}</title>`]);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year and other files not at all', async () => {
    const asset = await get('/designer/assets/app-1a2b.js');
    expect(asset.body).toBe("console.log('designer')");
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/favicon.svg')).headers['cache-control']).toBe('no-cache');
  });

  it('never serves a file outside the app, and answers odd paths with the app\'s page', async () => {
    for (const url of ['/../secret.txt', '/..%2fsecret.txt', '/designer/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/x%00', '/assets/x%00', '/designer/%00']) {
      const response = await get(url);
      expect([url, response.statusCode]).toEqual([url, 200]);
      expect(response.body).not.toContain('not for you');
    }
  });

  it('leaves /api to the API: an unknown API path is a 404, not the app\'s page', async () => {
    expect((await get('/api/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/api/nothing-here')).statusCode).toBe(404);
    expect((await get('/api')).statusCode).toBe(404);
  });
});
