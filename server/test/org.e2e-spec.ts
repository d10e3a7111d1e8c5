import { OrgRoutingService } from '../src/modules/org/org-routing.service.js';
import { PASSWORD, startApp, type TestApp, type TestTenant } from './harness.js';

describe('people, departments and groups', () => {
  let t: TestApp;
  let acme: TestTenant;

  beforeAll(async () => {
    t = await startApp();
    acme = await t.tenant('Acme');
  });
  afterAll(() => t.close());

  const createUser = async (email: string, extra: Record<string, unknown> = {}) =>
    (await acme.owner.post('/api/users').send({ email, name: email.split('@')[0], roles: ['member'], password: PASSWORD, ...extra }).expect(201)).body;

  it('creates, finds, pages and edits users', async () => {
    const dept = (await acme.owner.post('/api/departments').send({ name: 'Support' }).expect(201)).body;
    const lead = await createUser('lead@acme.example', { departmentId: dept.id });
    const agent = await createUser('agent@acme.example', { departmentId: dept.id, managerId: lead.id, roles: ['member', 'designer'] });
    expect(agent).toMatchObject({ managerId: lead.id, departmentId: dept.id, roles: ['member', 'designer'], hasPassword: true, active: true });
    const found = await acme.owner.get('/api/users?q=AGENT').expect(200);
    expect(found.body.items.map((u: { email: string }) => u.email)).toEqual(['agent@acme.example']);
    const byDepartment = await acme.owner.get(`/api/users?departmentId=${dept.id}`).expect(200);
    expect(byDepartment.body.total).toBe(2);
    const page = await acme.owner.get('/api/users?page=2&pageSize=1').expect(200);
    expect(page.body).toMatchObject({ page: 2, pageSize: 1, total: 3 });
    expect(page.body.items).toHaveLength(1);
    await acme.owner.get('/api/users?pageSize=501').expect(422);
    const renamed = await acme.owner.patch(`/api/users/${agent.id}`).send({ name: 'Agent Smith', roles: ['admin'] }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Agent Smith', roles: ['admin'] });
    const duplicate = await acme.owner.post('/api/users').send({ email: 'LEAD@acme.example', name: 'Again', roles: ['member'] }).expect(409);
    expect(duplicate.body.code).toBe('email_taken');
  });

  it('treats "%" and "_" in a search as plain characters', async () => {
    await createUser('under_score@acme.example');
    const found = await acme.owner.get('/api/users?q=r_s').expect(200);
    expect(found.body.items.map((u: { email: string }) => u.email)).toEqual(['under_score@acme.example']);
    expect((await acme.owner.get('/api/users?q=%25').expect(200)).body.total).toBe(0);
  });

  it('lets only admins manage people, and only owners hand out the owner role', async () => {
    await createUser('member@acme.example');
    const member = await t.login('member@acme.example', PASSWORD);
    await member.get('/api/users').expect(200);
    const refused = await member.post('/api/users').send({ email: 'x@acme.example', name: 'X', roles: ['member'] }).expect(403);
    expect(refused.body.code).toBe('forbidden');
    await member.post('/api/api-keys').send({ name: 'k', scopes: ['read'] }).expect(403);
    await member.get('/api/audit').expect(403);

    await createUser('admin@acme.example', { roles: ['admin'] });
    const admin = await t.login('admin@acme.example', PASSWORD);
    await admin.post('/api/users').send({ email: 'made-by-admin@acme.example', name: 'M', roles: ['designer'], password: PASSWORD }).expect(201);
    const ownerGrant = await admin.post('/api/users').send({ email: 'o@acme.example', name: 'O', roles: ['owner'] }).expect(403);
    expect(ownerGrant.body.code).toBe('owner_only');
  });

  it('deactivates a user, which ends their sessions, and keeps the last owner', async () => {
    const leaving = await createUser('leaving@acme.example');
    const session = await t.login('leaving@acme.example', PASSWORD);
    await session.get('/api/auth/me').expect(200);
    await acme.owner.patch(`/api/users/${leaving.id}`).send({ active: false }).expect(200);
    await session.get('/api/auth/me').expect(401);
    await t.http().post('/api/auth/login').send({ email: 'leaving@acme.example', password: PASSWORD }).expect(401);
    const inactive = await acme.owner.get('/api/users?active=false').expect(200);
    expect(inactive.body.items.map((u: { id: string }) => u.id)).toEqual([leaving.id]);

    const self = await acme.owner.patch(`/api/users/${acme.ownerId}`).send({ active: false }).expect(409);
    expect(self.body.code).toBe('cannot_deactivate_self');
    const demote = await acme.owner.patch(`/api/users/${acme.ownerId}`).send({ roles: ['admin'] }).expect(409);
    expect(demote.body.code).toBe('last_owner');
    const audit = await acme.owner.get('/api/audit?action=user.deactivated').expect(200);
    expect(audit.body.items[0]).toMatchObject({ targetId: leaving.id, actorId: acme.ownerId });
  });

  it('refuses a manager chain that loops', async () => {
    const top = await createUser('top@acme.example');
    const middle = await createUser('middle@acme.example', { managerId: top.id });
    const bottom = await createUser('bottom@acme.example', { managerId: middle.id });
    const loop = await acme.owner.patch(`/api/users/${top.id}`).send({ managerId: bottom.id }).expect(422);
    expect(loop.body.details).toEqual([{ path: 'managerId', message: expect.stringContaining('loop') }]);
    await acme.owner.patch(`/api/users/${top.id}`).send({ managerId: top.id }).expect(422);
  });

  it('keeps departments a tree with heads, and resolves managers and heads for approval routing', async () => {
    const root = (await acme.owner.post('/api/departments').send({ name: 'Company' }).expect(201)).body;
    const head = await createUser('cfo@acme.example');
    const finance = (await acme.owner.post('/api/departments').send({ name: 'Finance', parentId: root.id, headId: head.id }).expect(201)).body;
    const payroll = (await acme.owner.post('/api/departments').send({ name: 'Payroll', parentId: finance.id }).expect(201)).body;
    const cycle = await acme.owner.patch(`/api/departments/${finance.id}`).send({ parentId: payroll.id }).expect(422);
    expect(cycle.body.details[0].path).toBe('parentId');
    const boss = await createUser('boss@acme.example');
    const manager = await createUser('manager@acme.example', { managerId: boss.id });
    const clerk = await createUser('clerk@acme.example', { managerId: manager.id, departmentId: payroll.id });

    const routing = t.app.get(OrgRoutingService);
    expect((await routing.managerOf(acme.id, clerk.id, 1))?.id).toBe(manager.id);
    expect((await routing.managerOf(acme.id, clerk.id, 2))?.id).toBe(boss.id);
    expect(await routing.managerOf(acme.id, clerk.id, 3)).toBeNull();
    expect((await routing.headOf(acme.id, payroll.id))?.id).toBe(head.id);
    expect(await routing.headOf('another-tenant', payroll.id)).toBeNull();

    const notEmpty = await acme.owner.delete(`/api/departments/${finance.id}`).expect(409);
    expect(notEmpty.body.code).toBe('department_not_empty');
    await acme.owner.patch(`/api/users/${clerk.id}`).send({ departmentId: null }).expect(200);
    await acme.owner.delete(`/api/departments/${payroll.id}`).expect(204);
  });

  it('manages groups and their members', async () => {
    const one = await createUser('g1@acme.example');
    const two = await createUser('g2@acme.example');
    const group = (await acme.owner.post('/api/groups').send({ name: 'Committee', description: 'Innovation fund committee' }).expect(201)).body;
    const withMembers = await acme.owner.put(`/api/groups/${group.id}/members`).send({ userIds: [one.id, two.id, one.id] }).expect(200);
    expect(withMembers.body.memberIds.sort()).toEqual([one.id, two.id].sort());
    const routing = t.app.get(OrgRoutingService);
    expect((await routing.groupMembers(acme.id, group.id)).map((u) => u.id).sort()).toEqual([one.id, two.id].sort());
    await acme.owner.delete(`/api/groups/${group.id}`).expect(204);
    await acme.owner.get(`/api/groups/${group.id}`).expect(404);
  });

  describe('CSV import', () => {
    it('reports every bad row and cell, and imports nothing', async () => {
      const before = (await acme.owner.get('/api/users').expect(200)).body.total;
      const csv = [
        'email,name,roles,department,manager,password',
        'ok@import.example,Okay,member,Import/Team A,,',
        'not-an-email,Bad Email,member,,,',
        'lead@acme.example,Exists Already,member,,,',
        'nobody-role@import.example,Role,emperor,,,',
        'ok@import.example,Duplicate,member,,,',
        'orphan@import.example,Orphan,member,,ghost@nowhere.example,',
        'short@import.example,Short,member,,,abc',
      ].join('\n');
      const response = await acme.owner.post('/api/users/import').send({ csv }).expect(422);
      expect(response.body.code).toBe('import_failed');
      const paths = response.body.details.map((d: { path: string }) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['rows[2].email', 'rows[3].email', 'rows[4].roles', 'rows[5].email', 'rows[6].manager', 'rows[7].password']));
      expect(paths).not.toContain('rows[1].email');
      expect((await acme.owner.get('/api/users').expect(200)).body.total).toBe(before);
      const departments = await acme.owner.get('/api/departments').expect(200);
      expect(departments.body.items.map((d: { name: string }) => d.name)).not.toContain('Import');
    });

    it('imports people with departments by path and managers named later in the file', async () => {
      const csv = [
        'Email,Name,Roles,Department,Manager,Password',
        'ann@import.example,Ann,member,Sales/North,bea@import.example,',
        'bea@import.example,"Bea, Head",member|designer,Sales,,a long password',
        'missing-at.example,No At Sign,member,,,',
      ].join('\r\n');
      const bad = await acme.owner.post('/api/users/import').send({ csv }).expect(422);
      expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['rows[3].email']);
      const good = csv.split('\r\n').slice(0, 3).join('\r\n');
      const response = await acme.owner.post('/api/users/import').send({ csv: good }).expect(201);
      expect(response.body.created).toBe(2);
      const [ann, bea] = response.body.users;
      expect(ann.managerId).toBe(bea.id);
      expect(ann.inviteUrl).toMatch(/accept-invite\?token=/);
      expect(bea.inviteUrl).toBeUndefined();
      expect(bea).toMatchObject({ name: 'Bea, Head', roles: ['member', 'designer'] });
      const departments = (await acme.owner.get('/api/departments').expect(200)).body.items as Array<{ id: string; name: string; parentId: string | null }>;
      const sales = departments.find((d) => d.name === 'Sales')!;
      const north = departments.find((d) => d.name === 'North')!;
      expect(north.parentId).toBe(sales.id);
      expect(ann.departmentId).toBe(north.id);
      await t.login('bea@import.example', 'a long password');
    });

    it('explains a CSV it cannot read', async () => {
      const unknownColumn = await acme.owner.post('/api/users/import').send({ csv: 'email,name,salary\na@b.example,A,100' }).expect(422);
      expect(unknownColumn.body.message).toMatch(/Unknown column/);
      const headerOnly = await acme.owner.post('/api/users/import').send({ csv: 'email,name' }).expect(422);
      expect(headerOnly.body.message).toMatch(/no rows/);
      const broken = await acme.owner.post('/api/users/import').send({ csv: 'email,name\n"a@b.example,A' }).expect(422);
      expect(broken.body.message).toMatch(/could not be read/);
    });
  });
});
