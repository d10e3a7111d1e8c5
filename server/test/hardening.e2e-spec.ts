import { jest } from '@jest/globals';
import { JobRunner } from '../src/core/jobs/job-runner.js';
import { PASSWORD, startApp, type TestApp, type TestTenant } from './harness.js';

describe('bad input gets a clear error and changes nothing', () => {
  let t: TestApp;
  let acme: TestTenant;

  beforeAll(async () => {
    t = await startApp({ OPSFLOW_BODY_LIMIT: '64kb' });
    acme = await t.tenant('Acme');
  });
  afterAll(() => t.close());

  const userCount = async () => (await acme.owner.get('/api/users').expect(200)).body.total as number;

  it('answers 413 for an oversized body', async () => {
    const before = await userCount();
    const response = await acme.owner.post('/api/users').send({ email: 'big@example.com', name: 'x'.repeat(100_000), roles: ['member'] }).expect(413);
    expect(response.body).toEqual({ code: 'payload_too_large', message: 'The request body is too large' });
    expect(await userCount()).toBe(before);
  });

  it('refuses JSON nested deeper than the limit', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const response = await acme.owner.post('/api/departments').send({ name: 'Deep', extra: deep }).expect(422);
    expect(response.body.code).toBe('json_too_deep');
  });

  it('refuses __proto__, constructor and prototype keys anywhere in the body', async () => {
    const body = '{"name":"Evil","__proto__":{"admin":true}}';
    const response = await acme.owner.post('/api/departments').set('Content-Type', 'application/json').send(body).expect(422);
    expect(response.body).toMatchObject({ code: 'forbidden_key', details: [{ path: '__proto__' }] });
    const nested = await acme.owner.post('/api/groups').send({ name: 'G', description: 'd', meta: { constructor: { prototype: {} } } }).expect(422);
    expect(nested.body.code).toBe('forbidden_key');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses unknown fields with their path instead of dropping them', async () => {
    const response = await acme.owner.post('/api/users').send({ email: 'u@example.com', name: 'U', roles: ['member'], isRoot: true }).expect(422);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'isRoot' })]));
  });

  it('puts every validation problem on its field', async () => {
    const response = await acme.owner.post('/api/users').send({ email: 'not-an-email', name: '', roles: ['emperor'] }).expect(422);
    const paths = response.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'name', 'roles']));
  });

  it('answers 400 for JSON that does not parse, with no stack trace', async () => {
    const response = await acme.owner.post('/api/users').set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(response.body).toEqual({ code: 'invalid_json', message: 'The request body is not valid JSON' });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js/);
  });

  it('answers 415 for a body that is not JSON, and reads a bodiless JSON POST as {}', async () => {
    const before = await userCount();
    const response = await acme.owner.post('/api/users').set('Content-Type', 'text/plain').send('email=x@example.com').expect(415);
    expect(response.body).toEqual({ code: 'unsupported_media_type', message: 'The request body must be JSON (or a multipart upload where a file is expected)' });
    expect(await userCount()).toBe(before);
    const empty = await acme.owner.post('/api/users').set('Content-Type', 'application/json').expect(422);
    expect(empty.body.code).toBe('validation_failed');
    // Scripts' HTTP clients label bodiless POSTs (claim, publish) with any type: no body is {} whatever the label.
    const unlabelled = await acme.owner.post('/api/users').set('Content-Type', 'application/x-www-form-urlencoded').expect(422);
    expect(unlabelled.body.code).toBe('validation_failed');
  });

  it('answers a URL that cannot be decoded with a 400 in the API\'s shape', async () => {
    const response = await acme.owner.get('/api/users/%zz').expect(400);
    expect(response.body).toEqual({ code: 'bad_request', message: 'The request could not be read' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 503 with the same body when the job runner does not answer', async () => {
    const health = jest.spyOn(t.app.get(JobRunner).driver, 'health').mockResolvedValue('down');
    try {
      const response = await t.http().get('/api/health').expect(503);
      expect(response.body).toMatchObject({ status: 'degraded', db: 'ok', queue: 'down' });
    } finally {
      health.mockRestore();
    }
    await t.http().get('/api/health').expect(200);
  });

  it('answers 404 in the same shape for an unknown API path and for an id that is not a UUID', async () => {
    const unknown = await acme.owner.get('/api/nothing-here').expect(404);
    expect(unknown.body).toEqual({ code: 'not_found', message: 'Cannot GET /api/nothing-here' });
    await acme.owner.get('/api/users/').expect(200);
    const badId = await acme.owner.get('/api/users/../../etc/passwd').expect(404);
    expect(badId.body.code).toBe('not_found');
    await acme.owner.get('/api/users/1%27%20OR%201=1').expect(404);
  });

  it('sends security headers', async () => {
    const response = await t.http().get('/api/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the OpenAPI document', async () => {
    const response = await t.http().get('/api/openapi.json').expect(200);
    expect(response.body.paths['/api/auth/login']).toBeDefined();
    expect(response.body.paths['/api/users/{id}']).toBeDefined();
  });

  it('keeps a failed create from leaving anything behind (one transaction per command)', async () => {
    const before = await userCount();
    await acme.owner.post('/api/users').send({ email: 'ghost@example.com', name: 'Ghost', roles: ['member'], password: PASSWORD, managerId: '00000000-0000-4000-8000-000000000000' }).expect(422);
    expect(await userCount()).toBe(before);
    const audit = await acme.owner.get('/api/audit?action=user.created').expect(200);
    expect(audit.body.items.find((e: { data: { email?: string } }) => e.data.email === 'ghost@example.com')).toBeUndefined();
  });
});
