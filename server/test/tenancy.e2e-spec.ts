import { PASSWORD, startApp, type TestApp, type TestTenant } from './harness.js';

describe('tenant isolation: another tenant\'s ids are 404, lists never mix', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  let aUserId: string;
  let aKeyId: string;
  let aDepartmentId: string;
  let aGroupId: string;

  beforeAll(async () => {
    t = await startApp();
    a = await t.tenant('Alpha');
    b = await t.tenant('Beta');
    aUserId = (await a.owner.post('/api/users').send({ email: 'alice@alpha.example', name: 'Alice', roles: ['member'], password: PASSWORD }).expect(201)).body.id;
    aKeyId = (await a.owner.post('/api/api-keys').send({ name: 'alpha key', scopes: ['read'] }).expect(201)).body.id;
    aDepartmentId = (await a.owner.post('/api/departments').send({ name: 'Alpha Ops' }).expect(201)).body.id;
    aGroupId = (await a.owner.post('/api/groups').send({ name: 'Alpha reviewers' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('does not list the other tenant\'s users, keys, departments, groups or audit events', async () => {
    const users = await b.owner.get('/api/users?pageSize=500').expect(200);
    expect(users.body.items.map((u: { id: string }) => u.id)).not.toContain(aUserId);
    expect(users.body.items.every((u: { email: string }) => !u.email.endsWith('alpha.example'))).toBe(true);
    const keys = await b.owner.get('/api/api-keys').expect(200);
    expect(keys.body.items.map((k: { id: string }) => k.id)).not.toContain(aKeyId);
    const departments = await b.owner.get('/api/departments').expect(200);
    expect(departments.body.items.map((d: { id: string }) => d.id)).not.toContain(aDepartmentId);
    const groups = await b.owner.get('/api/groups').expect(200);
    expect(groups.body.items.map((g: { id: string }) => g.id)).not.toContain(aGroupId);
    const audit = await b.owner.get('/api/audit?pageSize=500').expect(200);
    expect(audit.body.items.map((e: { targetId: string }) => e.targetId)).not.toContain(aUserId);
  });

  it('answers 404 to reading, changing or deleting the other tenant\'s objects, exactly like a missing id', async () => {
    const missing = await b.owner.get('/api/users/00000000-0000-4000-8000-000000000000').expect(404);
    const foreign = await b.owner.get(`/api/users/${aUserId}`).expect(404);
    expect(foreign.body).toEqual(missing.body);
    await b.owner.patch(`/api/users/${aUserId}`).send({ name: 'Hijacked' }).expect(404);
    await b.owner.patch(`/api/users/${aUserId}`).send({ active: false }).expect(404);
    await b.owner.delete(`/api/api-keys/${aKeyId}`).expect(404);
    await b.owner.patch(`/api/departments/${aDepartmentId}`).send({ name: 'Mine now' }).expect(404);
    await b.owner.delete(`/api/departments/${aDepartmentId}`).expect(404);
    await b.owner.get(`/api/groups/${aGroupId}`).expect(404);
    await b.owner.patch(`/api/groups/${aGroupId}`).send({ name: 'Mine now' }).expect(404);
    await b.owner.put(`/api/groups/${aGroupId}/members`).send({ userIds: [] }).expect(404);
    await b.owner.delete(`/api/groups/${aGroupId}`).expect(404);
    const alice = await a.owner.get(`/api/users/${aUserId}`).expect(200);
    expect(alice.body).toMatchObject({ name: 'Alice', active: true });
    await a.owner.get(`/api/groups/${aGroupId}`).expect(200);
    await a.owner.get('/api/api-keys').expect(200).then((r) => expect(r.body.items[0].revokedAt).toBeNull());
  });

  it('refuses to point at the other tenant\'s people and departments', async () => {
    const asManager = await b.owner.post('/api/users').send({ email: 'bob@beta.example', name: 'Bob', roles: ['member'], managerId: aUserId }).expect(422);
    expect(asManager.body.details[0].path).toBe('managerId');
    await b.owner.post('/api/users').send({ email: 'bob@beta.example', name: 'Bob', roles: ['member'], departmentId: aDepartmentId }).expect(422);
    await b.owner.post('/api/departments').send({ name: 'Sub', parentId: aDepartmentId }).expect(422);
    await b.owner.post('/api/departments').send({ name: 'Headed', headId: aUserId }).expect(422);
    const group = (await b.owner.post('/api/groups').send({ name: 'Beta group' }).expect(201)).body.id;
    await b.owner.put(`/api/groups/${group}/members`).send({ userIds: [aUserId] }).expect(422);
  });

  it('does not resolve a CSV import\'s manager email in another tenant', async () => {
    const csv = 'email,name,manager\nbea@beta.example,Bea,alice@alpha.example';
    const response = await b.owner.post('/api/users/import').send({ csv }).expect(422);
    expect(response.body.details).toEqual([{ path: 'rows[1].manager', message: 'no user or row has this email' }]);
  });

  it('keeps API keys inside their tenant', async () => {
    const key = (await b.owner.post('/api/api-keys').send({ name: 'beta key', scopes: ['read', 'write', 'admin'] }).expect(201)).body.key;
    await t.http().get(`/api/users/${aUserId}`).set('Authorization', `Bearer ${key}`).expect(404);
    await t.http().patch(`/api/users/${aUserId}`).set('Authorization', `Bearer ${key}`).send({ name: 'x' }).expect(404);
  });

  it('creates tenants only for platform admins unless sign-up is open', async () => {
    const closed = await t.http().post('/api/tenants').send({ name: 'Gamma', ownerEmail: 'g@gamma.example', ownerPassword: PASSWORD }).expect(403);
    expect(closed.body.code).toBe('signup_closed');
    await a.owner.post('/api/tenants').send({ name: 'Gamma', ownerEmail: 'g@gamma.example', ownerPassword: PASSWORD }).expect(403);
    const open = await startApp({ OPSFLOW_SIGNUP: 'open' });
    try {
      const created = await open.http().post('/api/tenants').send({ name: 'Gamma Ltd', ownerEmail: 'g@gamma.example', ownerPassword: PASSWORD, ownerName: 'Gina' }).expect(201);
      expect(created.body.tenant).toMatchObject({ name: 'Gamma Ltd', slug: 'gamma-ltd' });
      expect(created.body.owner).toMatchObject({ email: 'g@gamma.example', roles: ['owner'], name: 'Gina' });
      const agent = await open.login('g@gamma.example', PASSWORD);
      const departments = await agent.get('/api/departments').expect(200);
      expect(departments.body.items).toEqual([expect.objectContaining({ name: 'Gamma Ltd', headId: created.body.owner.id })]);
      await open.http().post('/api/tenants').send({ name: 'Bad', ownerEmail: 'nope', ownerPassword: 'short' }).expect(422);
    } finally {
      await open.close();
    }
  });
});
