import { createHmac } from 'node:crypto';
import { PASSWORD, startApp, type TestApp, type TestTenant } from './harness.js';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('sign-in, sessions and API keys', () => {
  let t: TestApp;
  let acme: TestTenant;

  beforeAll(async () => {
    t = await startApp();
    acme = await t.tenant('Acme');
  });
  afterAll(() => t.close());

  it('answers health without signing in', async () => {
    const response = await t.http().get('/api/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', db: 'ok', queue: 'ok' });
  });

  it('signs in with the right password, sets an httpOnly SameSite cookie and shows who I am', async () => {
    const agent = t.http();
    const login = await agent.post('/api/auth/login').send({ email: acme.ownerEmail.toUpperCase(), password: PASSWORD }).expect(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/opsflow_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await agent.get('/api/auth/me').expect(200);
    expect(me.body.user).toMatchObject({ email: acme.ownerEmail, roles: ['owner'] });
    expect(me.body.tenant).toMatchObject({ id: acme.id, name: 'Acme' });
    expect(me.body.user.passwordHash).toBeUndefined();
  });

  it('refuses a wrong password and an unknown email with the same generic message', async () => {
    const wrong = await t.http().post('/api/auth/login').send({ email: acme.ownerEmail, password: 'nope-nope' }).expect(401);
    const unknown = await t.http().post('/api/auth/login').send({ email: 'nobody@example.com', password: 'nope-nope' }).expect(401);
    expect(wrong.body).toEqual({ code: 'invalid_credentials', message: 'The email or password is incorrect' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('locks an account after five failures, even for the right password, and audits the failures', async () => {
    const other = await t.tenant('Locked Co');
    for (let i = 0; i < 5; i++) {
      await t.http().post('/api/auth/login').send({ email: other.ownerEmail, password: `wrong-${i}-x` }).expect(401);
    }
    const locked = await t.http().post('/api/auth/login').send({ email: other.ownerEmail, password: PASSWORD }).expect(429);
    expect(locked.body.code).toBe('too_many_attempts');
    expect(locked.body.message).toMatch(/Try again in \d+ minute/);
    const audit = await other.owner.get('/api/audit?action=auth.login_failed').expect(200);
    expect(audit.body.total).toBe(5);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = await startApp({ OPSFLOW_LOGIN_ATTEMPTS_PER_IP: '3' });
    try {
      for (let i = 0; i < 3; i++) await limited.http().post('/api/auth/login').send({ email: `x${i}@example.com`, password: 'whatever1' }).expect(401);
      const refused = await limited.http().post('/api/auth/login').send({ email: 'y@example.com', password: 'whatever1' }).expect(429);
      expect(refused.body.code).toBe('too_many_attempts');
    } finally {
      await limited.close();
    }
  });

  it('takes the address from X-Forwarded-For only when the proxy is trusted (loopback by default)', async () => {
    const attempt = (app: TestApp, address: string) =>
      app.http().post('/api/auth/login').set('X-Forwarded-For', address).send({ email: 'z@example.com', password: 'whatever1' });
    const behindProxy = await startApp({ OPSFLOW_LOGIN_ATTEMPTS_PER_IP: '2' });
    try {
      for (let i = 0; i < 2; i++) await attempt(behindProxy, '203.0.113.7').expect(401);
      await attempt(behindProxy, '203.0.113.7').expect(429);
      await attempt(behindProxy, '198.51.100.9').expect(401);
    } finally {
      await behindProxy.close();
    }
    const direct = await startApp({ OPSFLOW_LOGIN_ATTEMPTS_PER_IP: '2', OPSFLOW_TRUST_PROXY: 'false' });
    try {
      for (let i = 0; i < 2; i++) await attempt(direct, `203.0.113.${i}`).expect(401);
      await attempt(direct, '198.51.100.9').expect(429);
    } finally {
      await direct.close();
    }
  });

  it('asks for sign-in without a session, and signing out ends the session for good', async () => {
    await t.http().get('/api/auth/me').expect(401, { code: 'unauthenticated', message: 'Please sign in' });
    const agent = await t.login(acme.ownerEmail, PASSWORD);
    const login = await t.http().post('/api/auth/login').send({ email: acme.ownerEmail, password: PASSWORD }).expect(200);
    const token = /opsflow_session=([^;]+)/.exec(String(login.headers['set-cookie']))![1];
    await agent.post('/api/auth/logout').expect(204);
    await agent.get('/api/auth/me').expect(401);
    // A copy of a signed-out token is dead too.
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('refuses tokens with alg=none, a forged signature or another algorithm', async () => {
    const claims = { sub: acme.ownerId, tid: acme.id, sid: '00000000-0000-4000-8000-000000000000', exp: Math.floor(Date.now() / 1000) + 3600 };
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    await t.http().get('/api/auth/me').set('Cookie', `opsflow_session=${none}`).expect(401);
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${none}`).expect(401);
    const header = base64url({ alg: 'HS512', typ: 'JWT' });
    const body = base64url(claims);
    const hs512 = `${header}.${body}.${createHmac('sha512', t.config.sessionSecret).update(`${header}.${body}`).digest('base64url')}`;
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${hs512}`).expect(401);
    const forgedHeader = base64url({ alg: 'HS256', typ: 'JWT' });
    const forged = `${forgedHeader}.${body}.${createHmac('sha256', 'not-the-secret').update(`${forgedHeader}.${body}`).digest('base64url')}`;
    await t.http().get('/api/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
  });

  it('creates an API key shown once, authenticates with it, limits it to its scopes, and revokes it', async () => {
    const created = await acme.owner.post('/api/api-keys').send({ name: 'CI import', scopes: ['read'] }).expect(201);
    expect(created.body.key).toMatch(/^opk_/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 12));
    const list = await acme.owner.get('/api/api-keys').expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toBeDefined();
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);

    const bearer = { Authorization: `Bearer ${created.body.key}` };
    const users = await t.http().get('/api/users').set(bearer).expect(200);
    expect(users.body.total).toBeGreaterThanOrEqual(1);
    const write = await t.http().post('/api/departments').set(bearer).send({ name: 'Nope' }).expect(403);
    expect(write.body.code).toBe('scope_required');
    await t.http().get('/api/api-keys').set(bearer).expect(403);

    await acme.owner.delete(`/api/api-keys/${created.body.id}`).expect(204);
    await t.http().get('/api/users').set(bearer).expect(401);
    const audit = await acme.owner.get('/api/audit').expect(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['api_key.created', 'api_key.revoked', 'auth.login']));
  });

  it('lets an admin key manage users, and refuses an expired key', async () => {
    const admin = await acme.owner.post('/api/api-keys').send({ name: 'provisioning', scopes: ['read', 'write', 'admin'] }).expect(201);
    await t.http().post('/api/users').set('Authorization', `Bearer ${admin.body.key}`)
      .send({ email: 'provisioned@example.com', name: 'Provisioned', roles: ['member'], password: PASSWORD }).expect(201);
    await acme.owner.post('/api/api-keys').send({ name: 'old', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' }).expect(422);
    await t.http().get('/api/users').set('Authorization', 'Bearer opk_not-a-real-key').expect(401);
  });

  it('lets an invited person choose a password once, then sign in', async () => {
    const invited = await acme.owner.post('/api/users').send({ email: 'invitee@example.com', name: 'Invitee', roles: ['member'] }).expect(201);
    const token = new URL(invited.body.inviteUrl).searchParams.get('token')!;
    await t.http().post('/api/auth/login').send({ email: 'invitee@example.com', password: 'anything-at-all' }).expect(401);
    const agent = t.http();
    await agent.post('/api/auth/accept-invite').send({ token, password: 'my new password' }).expect(200);
    await agent.get('/api/auth/me').expect(200);
    const again = await t.http().post('/api/auth/accept-invite').send({ token, password: 'another password' }).expect(410);
    expect(again.body.code).toBe('invite_invalid');
    await t.login('invitee@example.com', 'my new password');
  });

  it('changes my own name, language and password (the current password is checked)', async () => {
    await acme.owner.post('/api/users').send({ email: 'self@example.com', name: 'Self', roles: ['member'], password: PASSWORD }).expect(201);
    const agent = await t.login('self@example.com', PASSWORD);
    const updated = await agent.patch('/api/auth/me').send({ name: 'Self Renamed', locale: 'zh-CN' }).expect(200);
    expect(updated.body.user).toMatchObject({ name: 'Self Renamed', locale: 'zh-CN' });
    const wrong = await agent.patch('/api/auth/me').send({ currentPassword: 'wrong', password: 'brand new pass' }).expect(422);
    expect(wrong.body.code).toBe('password_incorrect');
    await agent.patch('/api/auth/me').send({ locale: 'fr' }).expect(422);
    await agent.patch('/api/auth/me').send({ currentPassword: PASSWORD, password: 'brand new pass' }).expect(200);
    await t.login('self@example.com', 'brand new pass');
  });

  it('asks which organisation when one email and password open two tenants', async () => {
    const first = await t.tenant('Twin One');
    const second = await t.tenant('Twin Two');
    await first.owner.post('/api/users').send({ email: 'twin@example.com', name: 'Twin', roles: ['member'], password: PASSWORD }).expect(201);
    await second.owner.post('/api/users').send({ email: 'twin@example.com', name: 'Twin', roles: ['member'], password: PASSWORD }).expect(201);
    const ambiguous = await t.http().post('/api/auth/login').send({ email: 'twin@example.com', password: PASSWORD }).expect(409);
    expect(ambiguous.body.code).toBe('tenant_required');
    expect(ambiguous.body.details.map((d: { message: string }) => d.message).sort()).toEqual([first.slug, second.slug].sort());
    const agent = t.http();
    await agent.post('/api/auth/login').send({ email: 'twin@example.com', password: PASSWORD, tenant: second.slug }).expect(200);
    const me = await agent.get('/api/auth/me').expect(200);
    expect(me.body.tenant.id).toBe(second.id);
  });
});
