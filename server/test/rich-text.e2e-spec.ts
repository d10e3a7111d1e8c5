import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PASSWORD, startApp, type TestApp, type TestTenant } from './harness.js';

/** A rich-text field as the designer emits it, beside a plain text field and a sub-table with a rich-text column. */
const SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 20000 },
    notes: { type: 'string', maxLength: 20000 },
    rows: { type: 'array', items: { type: 'object', properties: { memo: { type: 'string' } } } },
  },
};
const UISCHEMA = {
  type: 'VerticalLayout',
  elements: [
    { type: 'Control', scope: '#/properties/title' },
    { type: 'Control', scope: '#/properties/notes', options: { widget: 'richtext' } },
    { type: 'Control', scope: '#/properties/rows', options: { detail: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/memo', options: { widget: 'richtext' } }] } } },
  ],
};
const DIRTY = '<img src=x onerror=alert(1)><script>alert(2)</script><b>ok</b>'
  + '<p style="color:red" onclick="steal()">Read <a href="javascript:alert(3)">this</a> and <a href="https://example.com/a?b=1&c=2">that</a></p>';
const BLNS: string[] = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpora/naughty-strings/blns.json'), 'utf8'));
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Groups of strings whose escaped HTML stays under `bytes` (PostgreSQL's btree field indexes take at most about 2.7 KB per value). */
function chunksUnder(bytes: number, strings: string[]): string[][] {
  const chunks: string[][] = [[]];
  let size = 0;
  for (const text of strings) {
    const length = Buffer.byteLength(escapeText(text)) + 7;
    if (size + length > bytes && chunks[chunks.length - 1]!.length) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]!.push(text);
    size += length;
  }
  return chunks;
}

function expectClean(html: string): void {
  expect(html).not.toMatch(/<script|alert\(2\)|onerror|onclick|style=|javascript:|<img/i);
  expect(html).toContain('<b>ok</b>');
  expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">that</a>');
}

describe('rich-text fields are sanitised on the server', () => {
  let t: TestApp;
  let acme: TestTenant;
  let formId: string;
  let token: string;

  beforeAll(async () => {
    t = await startApp();
    acme = await t.tenant('Acme');
    await acme.owner.post('/api/users').send({ email: 'emp@acme.example', name: 'Employee', roles: ['member'], password: PASSWORD }).expect(201);
    const appId = (await acme.owner.post('/api/apps').send({ name: 'Notes' }).expect(201)).body.id;
    const settings = { access: { submit: 'public', viewAll: ['admin'] }, anonymous: false, hiddenFields: [] };
    formId = (await acme.owner.post('/api/forms').send({ appId, name: 'Note', schema: SCHEMA, uischema: UISCHEMA, settings }).expect(201)).body.id;
    await acme.owner.post(`/api/forms/${formId}/publish`).expect(200);
    token = (await acme.owner.get(`/api/forms/${formId}`).expect(200)).body.publicToken;
  });
  afterAll(() => t.close());

  it('stores a submission without scripts, handlers, styles, images or javascript: links, keeping the formatting', async () => {
    const employee = await t.login('emp@acme.example', PASSWORD);
    const created = await employee.post(`/api/forms/${formId}/records`).send({ data: { title: DIRTY, notes: DIRTY, rows: [{ memo: DIRTY }] } }).expect(201);
    const stored = (await acme.owner.get(`/api/records/${created.body.id}`).expect(200)).body.data;
    expectClean(stored.notes);
    expect(stored.notes).toMatch(/^<b>ok<\/b><p>Read <a[^>]*>this<\/a> and /);
    expectClean(stored.rows[0].memo);
    // a plain text field keeps exactly what was typed: it is never shown as HTML
    expect(stored.title).toBe(DIRTY);
    expect(created.body.data.notes).toBe(stored.notes);
  });

  it('sanitises an edit, a public submission and a CSV import the same way', async () => {
    const employee = await t.login('emp@acme.example', PASSWORD);
    const record = (await employee.post(`/api/forms/${formId}/records`).send({ data: { notes: '<p>first</p>' } }).expect(201)).body;
    const edited = await acme.owner.patch(`/api/records/${record.id}`).send({ data: { notes: DIRTY } }).expect(200);
    expectClean(edited.body.data.notes);
    const sent = await t.http().post(`/api/public/forms/${token}/records`).send({ data: { notes: DIRTY } }).expect(201);
    expectClean((await acme.owner.get(`/api/records/${sent.body.id}`).expect(200)).body.data.notes);
    const csv = `title,notes\nimported,"${DIRTY.replace(/"/g, '""')}"`;
    await acme.owner.post(`/api/forms/${formId}/records/import`).send({ csv }).expect(201);
    const imported = await acme.owner.get(`/api/forms/${formId}/records`).query({ filter: JSON.stringify({ field: 'title', op: 'eq', value: 'imported' }) }).expect(200);
    expectClean(imported.body.items[0].data.notes);
  });

  it('is searched by its words, not its markup', async () => {
    const created = await acme.owner.post(`/api/forms/${formId}/records`).send({ data: { notes: '<p>Quarterly <strong>bonus</strong> plan &amp; review</p>' } }).expect(201);
    const found = await acme.owner.get(`/api/forms/${formId}/records`).query({ q: 'bonus plan & review' }).expect(200);
    expect(found.body.items.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    const markup = await acme.owner.get(`/api/forms/${formId}/records`).query({ q: 'strong' }).expect(200);
    expect(markup.body.total).toBe(0);
  });

  it('round-trips the naughty strings as the editor sends them: text in paragraphs, unchanged', async () => {
    for (const chunk of chunksUnder(1500, BLNS)) {
      const rows = chunk.map((text) => ({ memo: `<p>${escapeText(text)}</p>` }));
      const notes = rows.map((row) => row.memo).join('');
      const created = await acme.owner.post(`/api/forms/${formId}/records`).send({ data: { title: chunk.join('\n'), notes, rows } });
      expect([created.status, created.body.details]).toEqual([201, undefined]);
      const stored = (await acme.owner.get(`/api/records/${created.body.id}`).expect(200)).body.data;
      expect(stored.rows).toEqual(rows);
      expect(stored.notes).toBe(notes);
      expect(stored.title).toBe(chunk.join('\n'));
    }
  });
});
