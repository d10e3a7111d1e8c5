import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD, startApp, type TestApp, type TestTenant } from './harness.js';

const SCHEMA = {
  type: 'object',
  properties: { title: { type: 'string' }, attachments: { type: 'array', maxItems: 3, items: { type: 'string', format: 'uuid' } } },
};
const UISCHEMA = {
  type: 'VerticalLayout',
  elements: [
    { type: 'Control', scope: '#/properties/title' },
    { type: 'Control', scope: '#/properties/attachments', options: { widget: 'file', accept: 'image/*,.pdf', maxSize: 2000 } },
  ],
};

describe('file uploads for file fields', () => {
  let t: TestApp;
  let acme: TestTenant;
  let other: TestTenant;
  let formId: string;
  let publicToken: string;

  beforeAll(async () => {
    t = await startApp({ OPSFLOW_UPLOAD_MAX_MB: '1' });
    acme = await t.tenant('Acme');
    other = await t.tenant('Other');
    await acme.owner.post('/api/users').send({ email: 'emp@acme.example', name: 'Employee', roles: ['member'], password: PASSWORD }).expect(201);
    const appId = (await acme.owner.post('/api/apps').send({ name: 'Expenses' }).expect(201)).body.id;
    formId = (await acme.owner.post('/api/forms').send({ appId, name: 'Receipt', schema: SCHEMA, uischema: UISCHEMA }).expect(201)).body.id;
    await acme.owner.post(`/api/forms/${formId}/publish`).expect(200);
    const settings = { access: { submit: 'public', viewAll: ['admin'] }, anonymous: true, hiddenFields: [] };
    const publicForm = (await acme.owner.post('/api/forms').send({ appId, name: 'Public receipt', schema: SCHEMA, uischema: UISCHEMA, settings }).expect(201)).body.id;
    await acme.owner.post(`/api/forms/${publicForm}/publish`).expect(200);
    publicToken = (await acme.owner.get(`/api/forms/${publicForm}`).expect(200)).body.publicToken;
  });
  afterAll(() => t.close());

  const upload = (agent: ReturnType<TestApp['http']>, name: string, body: Buffer, type: string, path = '/api/files') =>
    agent.post(path).attach('file', body, { filename: name, contentType: type });

  it('stores an upload under a server-made name and attaches it to the record that names it', async () => {
    const employee = await t.login('emp@acme.example', PASSWORD);
    const uploaded = await upload(employee, '../../报告 March.pdf', Buffer.from('%PDF-1.4 tiny'), 'application/pdf').expect(201);
    // The uploader's folders are dropped and the UTF-8 name survives.
    expect(uploaded.body).toMatchObject({ name: '报告 March.pdf', size: 13, contentType: 'application/pdf' });
    const stored = readdirSync(join(t.config.filesDir, acme.id), { recursive: true }).map(String);
    expect(stored.some((path) => path.endsWith(uploaded.body.id))).toBe(true);
    expect(existsSync(join(t.config.dataDir, '..', '报告 March.pdf'))).toBe(false);

    const record = await employee.post(`/api/forms/${formId}/records`).send({ data: { title: 'Taxi', attachments: [uploaded.body.id] } }).expect(201);
    const download = await employee.get(`/api/files/${uploaded.body.id}/content`).expect(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''%E6%8A%A5%E5%91%8A%20March.pdf");
    expect(Buffer.from(download.body).toString()).toBe('%PDF-1.4 tiny');
    // The owner sees it through the record; another tenant sees nothing.
    await acme.owner.get(`/api/files/${uploaded.body.id}`).expect(200);
    await other.owner.get(`/api/files/${uploaded.body.id}`).expect(404);
    await other.owner.get(`/api/files/${uploaded.body.id}/content`).expect(404);
    // A file cannot be moved to a second record.
    const again = await employee.post(`/api/forms/${formId}/records`).send({ data: { title: 'Again', attachments: [uploaded.body.id] } }).expect(422);
    expect(again.body.details[0].path).toBe('data.attachments.0');
    expect(record.body.data.attachments).toEqual([uploaded.body.id]);
  });

  it('refuses files of another person, of the wrong type or over the field\'s size, writing no record', async () => {
    const employee = await t.login('emp@acme.example', PASSWORD);
    const ownersFile = (await upload(acme.owner, 'owner.png', Buffer.from('png'), 'image/png').expect(201)).body.id;
    const exe = (await upload(employee, 'tool.exe', Buffer.from('MZ'), 'application/octet-stream').expect(201)).body.id;
    const big = (await upload(employee, 'big.png', Buffer.alloc(5000, 1), 'image/png').expect(201)).body.id;
    const before = (await employee.get('/api/records/mine').expect(200)).body.total;
    const response = await employee.post(`/api/forms/${formId}/records`).send({ data: { title: 'x', attachments: [ownersFile, exe, big] } }).expect(422);
    expect(response.body.details.map((d: { path: string; message: string }) => [d.path, d.message.slice(0, 20)])).toEqual([
      ['data.attachments.0', 'This file was not up'], ['data.attachments.1', '"tool.exe" is not on'], ['data.attachments.2', '"big.png" is larger '],
    ]);
    expect((await employee.get('/api/records/mine').expect(200)).body.total).toBe(before);
    await employee.get(`/api/files/${ownersFile}`).expect(404);
  });

  it('serves only plain images inline; HTML and SVG download', async () => {
    const png = (await upload(acme.owner, 'p.png', Buffer.from('png'), 'image/png').expect(201)).body.id;
    const svg = (await upload(acme.owner, 'x.svg', Buffer.from('<svg onload="alert(1)"/>'), 'image/svg+xml').expect(201)).body.id;
    const inline = await acme.owner.get(`/api/files/${png}/content`).expect(200);
    expect(inline.headers['content-type']).toBe('image/png');
    expect(inline.headers['content-disposition']).toMatch(/^inline/);
    const download = await acme.owner.get(`/api/files/${svg}/content`).expect(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-security-policy']).toContain('sandbox');
  });

  it('answers a download whose stored bytes went missing with the API\'s JSON error, not a broken file', async () => {
    const id = (await upload(acme.owner, 'lost.png', Buffer.from('png'), 'image/png').expect(201)).body.id;
    const stored = readdirSync(join(t.config.filesDir, acme.id), { recursive: true }).map(String).find((path) => path.endsWith(id))!;
    rmSync(join(t.config.filesDir, acme.id, stored));
    const response = await acme.owner.get(`/api/files/${id}/content`).expect(500);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(response.body).toEqual({ code: 'internal_error', message: 'Something went wrong on the server' });
  });

  it('answers 413 over the upload limit and 422 without a file', async () => {
    const response = await upload(acme.owner, 'huge.pdf', Buffer.alloc(1024 * 1024 + 10, 1), 'application/pdf').expect(413);
    expect(response.body.code).toBe('payload_too_large');
    const none = await acme.owner.post('/api/files').field('note', 'no file').expect(422);
    expect(none.body.details[0].path).toBe('file');
  });

  it('takes uploads through a public link for that form only', async () => {
    const file = (await upload(t.http(), 'photo.jpg', Buffer.from('jpg'), 'image/jpeg', `/api/public/forms/${publicToken}/files`).expect(201)).body.id;
    await t.http().post(`/api/forms/${formId}/records`).send({ data: { title: 'x', attachments: [file] } }).expect(401);
    const employee = await t.login('emp@acme.example', PASSWORD);
    await employee.post(`/api/forms/${formId}/records`).send({ data: { title: 'stolen', attachments: [file] } }).expect(422);
    await t.http().post(`/api/public/forms/${publicToken}/records`).send({ data: { title: 'From outside', attachments: [file] } }).expect(201);
    await upload(t.http(), 'x.jpg', Buffer.from('x'), 'image/jpeg', '/api/public/forms/not-a-real-token-at-all/files').expect(404);
  });
});
