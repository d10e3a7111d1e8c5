import { DataSource } from 'typeorm';
import { JobRunner } from '../src/core/jobs/job-runner.js';
import { PASSWORD, startApp, type TestApp, type TestTenant } from './harness.js';

const SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string', title: 'Title', minLength: 1, maxLength: 200 },
    budget: { type: 'number', minimum: 5000, maximum: 20000 },
    category: { type: 'string', enum: ['tools', 'process', 'training'] },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, uniqueItems: true },
    items: { type: 'array', maxItems: 10, items: { type: 'object', properties: { what: { type: 'string' }, amount: { type: 'number' } } } },
    total: { type: 'number', readOnly: true },
    justification: { type: 'string' },
  },
  required: ['title', 'budget'],
};

const UISCHEMA = {
  type: 'VerticalLayout',
  elements: [
    { type: 'Control', scope: '#/properties/title' },
    { type: 'HorizontalLayout', elements: [{ type: 'Control', scope: '#/properties/budget' }, { type: 'Control', scope: '#/properties/category' }] },
    { type: 'Control', scope: '#/properties/tags' },
    { type: 'Control', scope: '#/properties/items', options: { detail: { type: 'HorizontalLayout', elements: [{ type: 'Control', scope: '#/properties/what' }, { type: 'Control', scope: '#/properties/amount' }] } } },
    { type: 'Control', scope: '#/properties/total', options: { calculate: '=sum(items.amount)' } },
    {
      type: 'Control', scope: '#/properties/justification',
      rule: { effect: 'SHOW', condition: { scope: '#/properties/budget', schema: { exclusiveMinimum: 10000 } } },
    },
  ],
};

describe('apps, forms and records', () => {
  let t: TestApp;
  let acme: TestTenant;
  let other: TestTenant;
  let appId: string;
  let formId: string;

  beforeAll(async () => {
    t = await startApp();
    acme = await t.tenant('Acme');
    other = await t.tenant('Other');
    await acme.owner.post('/api/users').send({ email: 'emp@acme.example', name: 'Employee', roles: ['member'], password: PASSWORD }).expect(201);
    await acme.owner.post('/api/users').send({ email: 'fin@acme.example', name: 'Finance', roles: ['designer'], password: PASSWORD }).expect(201);
    appId = (await acme.owner.post('/api/apps').send({ name: 'Innovation fund', icon: 'mdiLightbulbOn' }).expect(201)).body.id;
    formId = (await acme.owner.post('/api/forms').send({ appId, name: 'Request', schema: SCHEMA, uischema: UISCHEMA }).expect(201)).body.id;
    await acme.owner.post(`/api/forms/${formId}/publish`).expect(200);
  });
  afterAll(() => t.close());

  describe('apps', () => {
    it('lists, updates and refuses to delete an app that has forms', async () => {
      const list = await acme.owner.get('/api/apps').expect(200);
      expect(list.body.items).toEqual([expect.objectContaining({ id: appId, name: 'Innovation fund', formCount: 1, icon: 'mdiLightbulbOn' })]);
      await acme.owner.patch(`/api/apps/${appId}`).send({ description: 'Small bets' }).expect(200);
      const busy = await acme.owner.delete(`/api/apps/${appId}`).expect(409);
      expect(busy.body.code).toBe('app_not_empty');
      await acme.owner.post('/api/apps').send({ name: 'x', icon: 'javascript:alert(1)' }).expect(422);
    });

    it('lets only designers change apps, and hides them from other tenants', async () => {
      const employee = await t.login('emp@acme.example', PASSWORD);
      await employee.get('/api/apps').expect(200);
      await employee.post('/api/apps').send({ name: 'Mine' }).expect(403);
      await other.owner.get(`/api/apps/${appId}`).expect(404);
      await other.owner.patch(`/api/apps/${appId}`).send({ name: 'Stolen' }).expect(404);
      await other.owner.delete(`/api/apps/${appId}`).expect(404);
      expect((await other.owner.get('/api/apps').expect(200)).body.total).toBe(0);
      await other.owner.post('/api/forms').send({ appId, name: 'Sneaky' }).expect(422);
    });
  });

  describe('form definitions', () => {
    it('refuses a schema ajv cannot compile, with its path', async () => {
      const response = await acme.owner.post('/api/forms').send({ appId, name: 'Bad', schema: { type: 'object', properties: { a: { type: 'strin' } } } }).expect(422);
      expect(response.body.code).toBe('invalid_form');
      expect(response.body.details[0].path).toBe('schema');
    });

    it('refuses a pattern prone to catastrophic backtracking when it is saved', async () => {
      const schema = { type: 'object', properties: { code: { type: 'string', pattern: '^(a+)+$' } } };
      const response = await acme.owner.post('/api/forms').send({ appId, name: 'ReDoS', schema }).expect(422);
      expect(response.body).toMatchObject({ code: 'unsafe_pattern', details: [{ path: 'schema.properties.code.pattern' }] });
      await acme.owner.post('/api/forms').send({ appId, name: 'Safe', schema: { type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]{2}-[0-9]{4}$' } } } }).expect(201);
    });

    it('refuses a UI schema pointing at a missing field, a rule on a missing field and bad FEEL', async () => {
      const uischema = {
        type: 'VerticalLayout',
        elements: [
          { type: 'Control', scope: '#/properties/nope' },
          { type: 'Control', scope: '#/properties/title', rule: { effect: 'HIDE', condition: { scope: '#/properties/ghost', schema: { const: 1 } } } },
          { type: 'Control', scope: '#/properties/total', options: { calculate: '=sum(items.' } },
        ],
      };
      const response = await acme.owner.post('/api/forms').send({ appId, name: 'Bad UI', schema: SCHEMA, uischema }).expect(422);
      expect(response.body.code).toBe('unknown_scope');
      expect(response.body.details.map((d: { path: string }) => d.path)).toEqual([
        'uischema.elements.0.scope', 'uischema.elements.1.rule.condition.scope', 'uischema.elements.2.options.calculate',
      ]);
    });

    it('keeps published versions immutable while the draft changes', async () => {
      const created = (await acme.owner.post('/api/forms').send({ appId, name: 'Versioned', schema: SCHEMA }).expect(201)).body;
      expect(created).toMatchObject({ publishedVersion: null, hasUnpublishedChanges: true });
      const v1 = await acme.owner.post(`/api/forms/${created.id}/publish`).expect(200);
      expect(v1.body.version).toBe(1);
      const changed = { ...SCHEMA, properties: { ...SCHEMA.properties, extra: { type: 'string' } } };
      const draft = await acme.owner.patch(`/api/forms/${created.id}`).send({ schema: changed }).expect(200);
      expect(draft.body).toMatchObject({ publishedVersion: 1, hasUnpublishedChanges: true });
      const stillV1 = await acme.owner.get(`/api/forms/${created.id}/versions/1`).expect(200);
      expect(stillV1.body.schema.properties.extra).toBeUndefined();
      await acme.owner.post(`/api/forms/${created.id}/publish`).expect(200);
      const versions = await acme.owner.get(`/api/forms/${created.id}/versions`).expect(200);
      expect(versions.body.items.map((v: { version: number; publishedByName: string }) => [v.version, v.publishedByName])).toEqual([[2, 'Acme Owner'], [1, 'Acme Owner']]);
      expect((await acme.owner.get(`/api/forms/${created.id}/published`).expect(200)).body.schema.properties.extra).toEqual({ type: 'string' });
      await other.owner.get(`/api/forms/${created.id}`).expect(404);
      await other.owner.patch(`/api/forms/${created.id}`).send({ name: 'x' }).expect(404);
      await other.owner.post(`/api/forms/${created.id}/publish`).expect(404);
      await other.owner.get(`/api/forms/${created.id}/versions/1`).expect(404);
    });
  });

  it('builds the field indexes of a published form in a background job', async () => {
    const dataSource = t.app.get(DataSource);
    const sql = dataSource.options.type === 'postgres'
      ? "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'record' AND indexname LIKE 'record_field_%'"
      : "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'record_field_%'";
    let names: string[] = [];
    for (let i = 0; i < 200 && names.length < 3; i++) {
      names = (await dataSource.query(sql)).map((row: { name: string }) => row.name);
      if (names.length < 3) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // title, budget and category of the published Request form (plus those of other published forms).
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  describe('records', () => {
    it('stores a valid submission against the version it was validated with, recomputing calculated fields', async () => {
      const employee = await t.login('emp@acme.example', PASSWORD);
      const data = { title: 'Better coffee', budget: 15000, category: 'tools', tags: ['a'], items: [{ what: 'grinder', amount: 300 }, { what: 'beans', amount: 120.5 }], total: 1, justification: 'Team morale' };
      const created = await employee.post(`/api/forms/${formId}/records`).send({ data }).expect(201);
      expect(created.body).toMatchObject({ formId, formVersion: 1, submittedByName: 'Employee', data: { ...data, total: 420.5 } });
      const mine = await employee.get('/api/records/mine').expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ id: created.body.id, formName: 'Request', appId })]);
      await employee.get(`/api/records/${created.body.id}`).expect(200);
    });

    it('refuses invalid answers with a message per field, and unknown fields, writing nothing', async () => {
      const employee = await t.login('emp@acme.example', PASSWORD);
      const before = (await employee.get('/api/records/mine').expect(200)).body.total;
      const response = await employee.post(`/api/forms/${formId}/records`).send({ data: { budget: 'lots', category: 'bribes', tags: ['a', 'a'], sneaky: true } }).expect(422);
      expect(response.body.code).toBe('validation_failed');
      const paths = response.body.details.map((d: { path: string }) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['data.title', 'data.budget', 'data.category', 'data.tags', 'data.sneaky']));
      await employee.post(`/api/forms/${formId}/records`).send({ data: { title: 'x', budget: 100 } }).expect(422);
      await employee.post(`/api/forms/${formId}/records`).set('Content-Type', 'application/json').send('{"data":{"title":"x","budget":6000,"__proto__":{"admin":true}}}').expect(422);
      expect((await employee.get('/api/records/mine').expect(200)).body.total).toBe(before);
    });

    it('keeps records from other tenants and from people without access', async () => {
      const employee = await t.login('emp@acme.example', PASSWORD);
      const record = (await employee.post(`/api/forms/${formId}/records`).send({ data: { title: 'Mine', budget: 6000 } }).expect(201)).body;
      await other.owner.post(`/api/forms/${formId}/records`).send({ data: { title: 'x', budget: 6000 } }).expect(404);
      await other.owner.get(`/api/records/${record.id}`).expect(404);
      await other.owner.patch(`/api/records/${record.id}`).send({ data: { title: 'x', budget: 6000 } }).expect(404);
      await other.owner.delete(`/api/records/${record.id}`).expect(404);
      await other.owner.get(`/api/forms/${formId}/records`).expect(404);
      const finance = await t.login('fin@acme.example', PASSWORD);
      await finance.get(`/api/records/${record.id}`).expect(404);
      await finance.get(`/api/forms/${formId}/records`).expect(403);
      await employee.get(`/api/forms/${formId}/records`).expect(403);
      await employee.delete(`/api/records/${record.id}`).expect(403);
    });

    it('lets admins correct a record (revalidated against its version) and delete it, audited', async () => {
      const employee = await t.login('emp@acme.example', PASSWORD);
      const record = (await employee.post(`/api/forms/${formId}/records`).send({ data: { title: 'Typo', budget: 7000 } }).expect(201)).body;
      await acme.owner.patch(`/api/records/${record.id}`).send({ data: { title: 'Fixed', budget: 3 } }).expect(422);
      const fixed = await acme.owner.patch(`/api/records/${record.id}`).send({ data: { title: 'Fixed', budget: 7000 } }).expect(200);
      expect(fixed.body.data).toEqual({ title: 'Fixed', budget: 7000 });
      await acme.owner.delete(`/api/records/${record.id}`).expect(204);
      await acme.owner.get(`/api/records/${record.id}`).expect(404);
      const audit = await acme.owner.get('/api/audit?pageSize=500').expect(200);
      const actions = audit.body.items.filter((e: { targetId: string }) => e.targetId === record.id).map((e: { action: string }) => e.action);
      expect(actions.sort()).toEqual(['record.created', 'record.deleted', 'record.updated']);
    });

    it('escapes spreadsheet formulas in the CSV export', async () => {
      const employee = await t.login('emp@acme.example', PASSWORD);
      for (const title of ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tTabbed', 'Plain']) {
        await employee.post(`/api/forms/${formId}/records`).send({ data: { title, budget: 5000 } }).expect(201);
      }
      const csv = await acme.owner.get(`/api/forms/${formId}/records/export?format=csv&sort=createdAt`).expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="?Request\.csv"?$/);
      const text = csv.text;
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
      expect(text).toContain("'+1+1");
      expect(text).toContain("'-2+3");
      expect(text).toContain("'@SUM(A1)");
      expect(text).toContain("'\tTabbed");
      expect(text).toMatch(/,Plain,/);
      expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
      const xlsx = await acme.owner.get(`/api/forms/${formId}/records/export?format=xlsx`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    });

    it('imports CSV rows validated like submissions, all or nothing', async () => {
      const before = (await acme.owner.get(`/api/forms/${formId}/records?pageSize=1`).expect(200)).body.total;
      const bad = 'title,budget,tags\nGood row,6000,a;b\n,7000,a\nBad budget,lots,a\nToo small,10,z';
      const refused = await acme.owner.post(`/api/forms/${formId}/records/import`).send({ csv: bad }).expect(422);
      expect(refused.body.code).toBe('import_failed');
      expect(refused.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['rows[2].title', 'rows[3].budget', 'rows[4].budget', 'rows[4].tags.0']));
      expect((await acme.owner.get(`/api/forms/${formId}/records?pageSize=1`).expect(200)).body.total).toBe(before);
      const imported = await acme.owner.post(`/api/forms/${formId}/records/import`).send({ csv: 'Title,budget,tags\nImported one,6000,a;b\nImported two,"12,000",c' }).expect(201);
      expect(imported.body.created).toBe(2);
      await acme.owner.post(`/api/forms/${formId}/records/import`).send({ csv: 'title,salary\nx,1' }).expect(422);
    });
  });

  it('records an integration\'s submission under its API key, naming no person', async () => {
    const key = (await acme.owner.post('/api/api-keys').send({ name: 'intake bot', scopes: ['read', 'write'] }).expect(201)).body;
    const created = await t.http().post(`/api/forms/${formId}/records`).set('Authorization', `Bearer ${key.key}`).send({ data: { title: 'From the bot', budget: 5000 } }).expect(201);
    expect(created.body.submittedBy).toBeNull();
    const audit = await acme.owner.get('/api/audit?action=record.created&pageSize=500').expect(200);
    expect(audit.body.items.find((e: { targetId: string }) => e.targetId === created.body.id)).toMatchObject({ actorKind: 'api-key' });
  });

  describe('public and anonymous forms', () => {
    let token: string;
    let feedbackId: string;

    beforeAll(async () => {
      const schema = { type: 'object', properties: { rating: { type: 'integer', minimum: 1, maximum: 5 }, text: { type: 'string', maxLength: 2000 } }, required: ['rating'] };
      const settings = { access: { submit: 'public', viewAll: ['admin'] }, anonymous: true, hiddenFields: [] };
      feedbackId = (await acme.owner.post('/api/forms').send({ appId, name: 'Feedback', schema, settings }).expect(201)).body.id;
      await acme.owner.post(`/api/forms/${feedbackId}/publish`).expect(200);
      token = (await acme.owner.get(`/api/forms/${feedbackId}`).expect(200)).body.publicToken;
      expect(token).toMatch(/^[\w-]{20,}$/);
    });

    it('opens without signing in and stores no identity of the submitter', async () => {
      const form = await t.http().get(`/api/public/forms/${token}`).expect(200);
      expect(form.body).toMatchObject({ formId: feedbackId, name: 'Feedback', anonymous: true, version: 1 });
      const sent = await t.http().post(`/api/public/forms/${token}/records`).set('User-Agent', 'Secret Browser 1.0').send({ data: { rating: 4, text: 'Nice canteen' } }).expect(201);
      const signedIn = await acme.owner.post(`/api/public/forms/${token}/records`).send({ data: { rating: 2 } }).expect(201);
      const employee = await t.login('emp@acme.example', PASSWORD);
      await employee.post(`/api/forms/${feedbackId}/records`).send({ data: { rating: 5 } }).expect(201);
      const records = await acme.owner.get(`/api/forms/${feedbackId}/records`).expect(200);
      expect(records.body.total).toBe(3);
      for (const record of records.body.items) expect(record.submittedBy).toBeNull();
      expect(JSON.stringify(records.body)).not.toMatch(/Secret Browser|127\.0\.0\.1|::1|emp@acme/);
      const audit = await acme.owner.get('/api/audit?action=record.created&pageSize=500').expect(200);
      for (const id of [sent.body.id, signedIn.body.id]) {
        const entry = audit.body.items.find((e: { targetId: string }) => e.targetId === id);
        expect(entry).toMatchObject({ actorId: null, actorKind: 'anonymous', ip: null });
      }
    });

    it('answers 404 for unknown tokens and validates public answers', async () => {
      await t.http().get('/api/public/forms/nope-nope-nope-nope-nope').expect(404);
      await t.http().get('/api/public/forms/..%2F..%2Fetc').expect(404);
      const invalid = await t.http().post(`/api/public/forms/${token}/records`).send({ data: { rating: 9 } }).expect(422);
      expect(invalid.body.details[0].path).toBe('data.rating');
      await t.http().get(`/api/public/forms/${token}`).expect(200);
    });

    it('limits public submissions per address', async () => {
      let limited = false;
      for (let i = 0; i < 30 && !limited; i++) {
        const response = await t.http().post(`/api/public/forms/${token}/records`).send({ data: { rating: 3 } });
        limited = response.status === 429;
        if (limited) expect(response.body.code).toBe('too_many_requests');
      }
      expect(limited).toBe(true);
    });

    it('stops the public link when the form is no longer public', async () => {
      await acme.owner.patch(`/api/forms/${feedbackId}`).send({ settings: { access: { submit: 'members', viewAll: ['admin'] }, anonymous: true, hiddenFields: [] } }).expect(200);
      await acme.owner.post(`/api/forms/${feedbackId}/publish`).expect(200);
      await t.http().get(`/api/public/forms/${token}`).expect(404);
    });
  });

  describe('long answers', () => {
    it('stores a 20 KB answer in a text field that has field indexes (PostgreSQL btree entries stop at ~2.7 KB)', async () => {
      const schema = { type: 'object', properties: { title: { type: 'string', maxLength: 200 }, details: { type: 'string' }, budget: { type: 'number' } } };
      const id = (await acme.owner.post('/api/forms').send({ appId, name: 'Long answers', schema }).expect(201)).body.id;
      await acme.owner.post(`/api/forms/${id}/publish`).expect(200);
      // The field indexes are built by a maintenance job after publishing: wait for it.
      const runner = t.app.get(JobRunner);
      for (let i = 0; i < 400 && (await runner.driver.pending()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      const details = 'Lorem ipsum 中文 '.repeat(1400);
      const created = await acme.owner.post(`/api/forms/${id}/records`).send({ data: { title: 'Long', details, budget: 5 } }).expect(201);
      expect((await acme.owner.get(`/api/records/${created.body.id}`).expect(200)).body.data.details).toBe(details);
      const found = await acme.owner.get(`/api/forms/${id}/records`).query({ filter: JSON.stringify({ field: 'title', op: 'eq', value: 'Long' }) }).expect(200);
      expect(found.body.total).toBe(1);
    });
  });
});
