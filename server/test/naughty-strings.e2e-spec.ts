import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type TestApp, type TestTenant } from './harness.js';

/** The Big List of Naughty Strings, read from the shared corpora beside the repository. */
const BLNS: string[] = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpora/naughty-strings/blns.json'), 'utf8'));
const UNIQUE = [...new Set(BLNS)];

describe('the 515 naughty strings round-trip unchanged', () => {
  let t: TestApp;
  let acme: TestTenant;
  let appId: string;

  beforeAll(async () => {
    t = await startApp();
    acme = await t.tenant('Acme');
    appId = (await acme.owner.post('/api/apps').send({ name: BLNS[BLNS.length - 1] }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('has the whole list', () => {
    expect(BLNS).toHaveLength(515);
  });

  it('as field labels, help texts and translated labels', async () => {
    for (let start = 0; start < BLNS.length; start += 200) {
      const chunk = BLNS.slice(start, start + 200);
      const properties = Object.fromEntries(chunk.map((s, i) => [`f${start + i}`, { type: 'string', title: s, description: s }]));
      const i18n = { en: Object.fromEntries(chunk.map((s, i) => [`f${start + i}.label`, s])) };
      const uischema = { type: 'VerticalLayout', options: { i18n }, elements: chunk.map((s, i) => ({ type: 'Control', scope: `#/properties/f${start + i}`, label: s })) };
      const created = await acme.owner.post('/api/forms').send({ appId, name: chunk[0] || 'empty', schema: { type: 'object', properties }, uischema }).expect(201);
      const stored = await acme.owner.get(`/api/forms/${created.body.id}`).expect(200);
      chunk.forEach((s, i) => {
        expect(stored.body.schema.properties[`f${start + i}`]).toEqual({ type: 'string', title: s, description: s });
        expect(stored.body.uischema.elements[i].label).toBe(s);
        expect(stored.body.uischema.options.i18n.en[`f${start + i}.label`]).toBe(s);
      });
    }
  });

  it('as option names and as submitted values, listed and searched back unchanged', async () => {
    const schema = { type: 'object', properties: { choice: { type: 'string', enum: UNIQUE }, text: { type: 'string' }, many: { type: 'array', items: { type: 'string' } } } };
    const formId = (await acme.owner.post('/api/forms').send({ appId, name: 'Naughty values', schema }).expect(201)).body.id;
    const published = await acme.owner.post(`/api/forms/${formId}/publish`).expect(200);
    expect(published.body.schema.properties.choice.enum).toEqual(UNIQUE);
    const ids = new Map<string, string>();
    for (const [i, s] of BLNS.entries()) {
      const response = await acme.owner.post(`/api/forms/${formId}/records`).send({ data: { choice: s, text: s, many: [s, BLNS[(i + 1) % BLNS.length]] } });
      expect([response.status, i]).toEqual([201, i]);
      ids.set(response.body.id, s);
    }
    const seen = new Map<string, unknown>();
    for (let page = 1; seen.size < BLNS.length; page++) {
      const list = await acme.owner.get(`/api/forms/${formId}/records?pageSize=500&page=${page}`).expect(200);
      if (!list.body.items.length) break;
      for (const record of list.body.items) seen.set(record.id, record.data);
    }
    expect(seen.size).toBe(BLNS.length);
    for (const [id, s] of ids) {
      expect(seen.get(id)).toEqual({ choice: s, text: s, many: [s, expect.any(String)] });
    }
    const probe = BLNS.find((s) => s.includes('<script>'))!;
    const found = await acme.owner.get(`/api/forms/${formId}/records`).query({ q: probe, pageSize: 500 }).expect(200);
    expect(found.body.items.map((r: { data: { text: string } }) => r.data.text)).toContain(probe);
    const filtered = await acme.owner.get(`/api/forms/${formId}/records`).query({ filter: JSON.stringify({ field: 'choice', op: 'eq', value: probe }) }).expect(200);
    expect(filtered.body.items.map((r: { data: { text: string } }) => r.data.text)).toEqual(BLNS.filter((s) => s === probe));
  });
});
