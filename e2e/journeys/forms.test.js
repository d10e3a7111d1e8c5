// Journey: an admin sets up an app with two forms through the API; an employee fills one in the web app
// (show/hide rule, validation, sub-table), the admin filters its records and exports them, and a signed-out
// visitor answers the public anonymous form. Real built server, real Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, field, journeyPage, journeySuite, naughtyString, screenshotter, signOut } from './harness.js';

const EMPLOYEE = { email: 'mei@example.com', name: 'Mei Chen', password: 'Mei-passw0rd!' };

// A label straight from the Big List of Naughty Strings: it must show as text and never run.
const NAUGHTY = naughtyString();

const suite = journeySuite();


const fundSchema = {
  type: 'object',
  required: ['title', 'budget', 'category'],
  properties: {
    title: { type: 'string', title: 'Title', minLength: 3, maxLength: 120 },
    budget: { type: 'number', title: 'Budget', minimum: 0 },
    category: { type: 'string', title: 'Category', enum: ['hardware', 'software', 'other'] },
    tags: { type: 'array', title: 'Tags', uniqueItems: true, items: { type: 'string', enum: ['urgent', 'internal', 'customer'] } },
    items: {
      type: 'array',
      title: 'Items',
      items: { type: 'object', properties: { name: { type: 'string', title: 'Item' }, amount: { type: 'number', title: 'Amount' } } },
    },
    justification: { type: 'string', title: 'Justification' },
  },
};

const fundUiSchema = {
  type: 'VerticalLayout',
  options: {
    i18n: {
      en: { 'budget.label': 'Budget (CNY)' },
      'zh-CN': { 'title.label': '标题', 'budget.label': '预算（元）', 'category.label': '类别', 'justification.label': '理由' },
    },
  },
  elements: [
    { type: 'Control', scope: '#/properties/title' },
    {
      type: 'HorizontalLayout',
      elements: [
        { type: 'Control', scope: '#/properties/budget' },
        {
          type: 'Control',
          scope: '#/properties/category',
          options: { labels: { en: { hardware: 'Hardware', software: 'Software', other: NAUGHTY }, 'zh-CN': { hardware: '硬件', software: '软件', other: NAUGHTY } } },
        },
      ],
    },
    { type: 'Control', scope: '#/properties/tags' },
    { type: 'Control', scope: '#/properties/items' },
    {
      type: 'Control',
      scope: '#/properties/justification',
      options: { multi: true },
      rule: { effect: 'SHOW', condition: { scope: '#/properties/budget', schema: { exclusiveMinimum: 10000 }, failWhenUndefined: true } },
    },
  ],
};


test('an employee fills a form with a rule, the admin filters and exports, a visitor answers anonymously', async () => {
  const api = await suite.adminApi();
  const app = await api('POST', '/api/apps', { name: 'Innovation fund', description: 'Ideas worth trying', icon: 'mdiLightbulbOn' });
  const fund = await api('POST', '/api/forms', {
    appId: app.id,
    name: 'Fund request',
    schema: fundSchema,
    uischema: fundUiSchema,
    settings: { access: { submit: 'members', viewAll: ['admin'] }, anonymous: false, hiddenFields: [] },
  });
  await api('POST', `/api/forms/${fund.id}/publish`);
  const feedback = await api('POST', '/api/forms', {
    appId: app.id,
    name: 'Anonymous feedback',
    schema: {
      type: 'object',
      required: ['rating'],
      properties: {
        rating: { type: 'integer', title: 'How was your week?', minimum: 1, maximum: 5 },
        comment: { type: 'string', title: 'Anything else?', maxLength: 2000 },
        photo: { type: 'array', title: 'A photo or a note', maxItems: 1, items: { type: 'string', format: 'uuid' } },
      },
    },
    uischema: {
      type: 'VerticalLayout',
      elements: [
        { type: 'Control', scope: '#/properties/rating', options: { widget: 'rating' } },
        { type: 'Control', scope: '#/properties/comment', options: { multi: true } },
        { type: 'Control', scope: '#/properties/photo', options: { widget: 'file', accept: 'image/*,.txt', maxSize: 100000 } },
      ],
    },
    settings: { access: { submit: 'public', viewAll: ['admin'] }, anonymous: true, hiddenFields: [] },
  });
  await api('POST', `/api/forms/${feedback.id}/publish`);
  const { publicToken } = await api('GET', `/api/forms/${feedback.id}`);
  assert.ok(publicToken, 'a published public form has a token');
  await api('POST', '/api/users', { ...EMPLOYEE, roles: ['member'] });
  // one earlier request under the budget line, so that the filter has something to leave out
  await api('POST', `/api/forms/${fund.id}/records`, { data: { title: 'Second monitor', budget: 1800, category: 'hardware' } });

  const { page, dialogs, run } = await journeyPage(suite.browser.context, 'forms-');
  const shot = screenshotter(page, 'forms-');
  await run(() => employeeAndAdminSteps({ page, shot, app, fund, feedback, publicToken, api, dialogs }));
});

async function employeeAndAdminSteps({ page, shot, app, fund, feedback, publicToken, api, dialogs }) {

  // The employee sees the app and its forms on the home page.
  await suite.signIn(page, EMPLOYEE);
  const appCard = page.locator(`[data-test="app-${app.id}"]`);
  await appCard.getByText('Innovation fund').waitFor();
  await appCard.getByText('Fund request').waitFor();
  await appCard.getByText('Anonymous feedback').waitFor();
  assert.equal(await appCard.locator('[data-test="open-records"]').count(), 0, 'a member does not get the records table');
  await shot('web-home');

  // Open the form: the justification is hidden until the budget passes 10,000.
  await appCard.getByText('Fund request').click();
  await page.waitForURL(/\/forms\/[^/]+$/);
  await page.locator('[data-test="form-title"]').getByText('Fund request').waitFor();
  await field(page, 'title').waitFor();
  assert.equal(await field(page, 'justification').count(), 0, 'justification is hidden at first');
  await shot('fill-empty');

  // A validation message, in the browser, before anything is sent.
  await field(page, 'title').fill('AI');
  await field(page, 'title').blur();
  await page.getByText('At least 3 characters').waitFor();
  await shot('validation');

  await field(page, 'title').fill('Build cache for CI');
  await field(page, 'budget').fill('15000');
  await field(page, 'budget').blur();
  await field(page, 'justification').waitFor();
  await shot('rule-shown');

  // The naughty option label is listed as text, and nothing in it runs.
  await page.locator('[id="#/properties/category"] .v-field').click();
  const options = page.locator('.v-overlay--active .v-list-item');
  await options.getByText(NAUGHTY, { exact: true }).waitFor();
  assert.equal(await page.locator('.v-overlay--active img').count(), 0, 'the label must not become an <img>');
  await shot('naughty-option');
  await options.getByText('Software', { exact: true }).click();

  await page.getByLabel('internal', { exact: true }).check();
  await page.getByRole('button', { name: 'Add to Items' }).click();
  await page.locator('[id^="#/properties/name"][id$="-input"]').first().fill('Cache server');
  await page.locator('[id^="#/properties/amount"][id$="-input"]').first().fill('15000');
  await field(page, 'justification').fill('Builds take 40 minutes; a shared cache cuts that to 8.');
  await shot('filled');
  await page.locator('[data-test="submit-form"]').click();
  await page.locator('[data-test="submit-success"]').waitFor();
  await shot('submitted');

  // My submissions, and the record shown read-only with its form version.
  await page.locator('[data-test="submit-success"]').getByRole('link', { name: 'My submissions' }).click();
  await page.locator('[data-test="submission-item"]').getByText('Fund request').waitFor();
  await shot('my-submissions');
  await page.locator('[data-test="submission-item"]').first().click();
  await page.locator('[data-test="opsflow-form-readonly"]').waitFor();
  assert.equal(await field(page, 'title').inputValue(), 'Build cache for CI');
  assert.ok(await field(page, 'title').isDisabled(), 'a submitted record is read-only');
  await shot('submission-detail');

  // The admin: the records table, filtered by budget, and the CSV export of that filter.
  await signOut(page);
  await suite.signIn(page, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await page.locator(`[data-test="app-${app.id}"] [data-test="form-item"]`, { hasText: 'Fund request' })
    .locator('[data-test="open-records"]').click();
  const table = page.locator('[data-test="records-table"]');
  await table.getByText('Build cache for CI').waitFor();
  await table.getByText('Second monitor').waitFor();
  await table.getByText('Mei Chen').waitFor();
  await shot('records');

  await page.locator('[data-test="filter-add"]').click();
  await page.locator('[data-test="filter-row-0"] [data-test="filter-field"]').click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: 'Budget (CNY)' }).click();
  await page.locator('[data-test="filter-row-0"] [data-test="filter-op"]').click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: 'greater than' }).click();
  await page.locator('[data-test="filter-row-0"] [data-test="filter-value"] input').fill('10000');
  await page.locator('[data-test="filter-apply"]').click();
  await table.getByText('Second monitor').waitFor({ state: 'detached' });
  await table.getByText('Build cache for CI').waitFor();
  await shot('records-filtered');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="export-csv"]').click()]);
  const exportUrl = new URL(download.url());
  assert.deepEqual(JSON.parse(exportUrl.searchParams.get('filter')), { and: [{ field: 'budget', op: 'gt', value: 10000 }] });
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /Build cache for CI/);
  assert.doesNotMatch(csv, /Second monitor/, 'the export has the filter of the table');
  assert.match(csv.split(/\r?\n/)[0], /Budget/);

  // Open the record from the table.
  await table.getByText('Build cache for CI').click();
  const recordDialog = page.locator('[data-test="record-dialog"]');
  await recordDialog.locator('[id^="#/properties/justification"][id$="-input"]').waitFor();
  await shot('record-open');
  await recordDialog.getByRole('button', { name: 'Close' }).click();
  await recordDialog.waitFor({ state: 'detached' });

  // CSV import: a bad row is reported by row and column and nothing is imported; a good file is.
  await page.locator('[data-test="import-records"]').click();
  const importDialog = page.locator('[data-test="import-records-dialog"]');
  await importDialog.locator('[data-test="import-csv"] textarea').fill('title,budget,category\nTeam offsite,12000,other\nNew laptop,a lot,hardware');
  await importDialog.locator('[data-test="import-submit"]').click();
  await importDialog.locator('[data-test="import-errors"]').getByRole('cell', { name: 'budget', exact: true }).waitFor();
  await importDialog.getByText('Some rows have errors; nothing was imported').waitFor();
  await shot('import-errors');
  await importDialog.locator('[data-test="import-csv"] textarea').fill('title,budget,category\nTeam offsite,12000,other');
  await importDialog.locator('[data-test="import-submit"]').click();
  await importDialog.locator('[data-test="import-success"]').getByText('One record created').waitFor();
  await importDialog.getByRole('button', { name: 'Close' }).click();
  // the imported row passes the budget filter; its option label is the naughty string, shown as text
  const offsite = table.locator('tr', { hasText: 'Team offsite' });
  await offsite.getByText(NAUGHTY, { exact: true }).waitFor();
  assert.equal(await table.locator('img').count(), 0, 'no label became an <img>');
  await shot('records-imported');

  // Edit the imported record (PATCH), then delete it after confirming.
  await offsite.locator('[data-test="edit-row"]').click();
  const title = recordDialog.locator('[id^="#/properties/title"][id$="-input"]');
  await title.fill('Team offsite 2027');
  await shot('record-edit');
  await recordDialog.locator('[data-test="save-record"]').click();
  await recordDialog.waitFor({ state: 'detached' });
  const edited = table.locator('tr', { hasText: 'Team offsite 2027' });
  await edited.waitFor();
  await edited.locator('[data-test="delete-row"]').click();
  await page.locator('[data-test="confirm-dialog"]').getByText('Delete this record?').waitFor();
  await shot('record-delete-confirm');
  await page.locator('[data-test="confirm"]').click();
  await edited.waitFor({ state: 'detached' });
  await table.getByText('Build cache for CI').waitFor();

  // The same form in Chinese: labels from the form's own translations, validation messages translated.
  await page.goto(`${suite.server.baseUrl}/forms/${fund.id}`);
  await field(page, 'title').waitFor();
  await page.locator('[data-test="language-menu"]').click();
  await page.locator('[data-test="locale-zh-CN"]').click();
  await page.getByText('预算（元）').first().waitFor();
  await field(page, 'title').fill('AI');
  await field(page, 'title').blur();
  await page.getByText('至少 3 个字符').waitFor();
  await page.locator('[data-test="submit-form"]').click();
  await page.locator('[data-test="form-alert"]').getByText('部分字段填写不正确').waitFor();
  await page.getByText('必填').first().waitFor();
  await shot('fill-zh');
  await page.locator('[data-test="language-menu"]').click();
  await page.locator('[data-test="locale-en"]').click();
  await page.getByText('Budget (CNY)').first().waitFor();

  // The public anonymous form, signed out.
  await signOut(page);
  await page.goto(`${suite.server.baseUrl}/f/${publicToken}`);
  await page.locator('[data-test="form-title"]').getByText('Anonymous feedback').waitFor();
  await page.locator('[data-test="anonymous-notice"]').getByText('No name, email address, IP address or device information is stored').waitFor();
  assert.equal(await page.locator('[data-test="user-menu"]').count(), 0, 'no app shell for visitors');
  await page.locator('[data-test="field-rating"] .v-rating__item label').nth(3).click();
  await page.locator('[id="#/properties/comment-input"]').fill('Quiet week, thanks.');
  // a visitor uploads through the public link's own endpoint; one file only
  const photo = page.locator('[data-test="field-photo"]');
  await photo.getByRole('button', { name: 'Choose a file' }).waitFor();
  await photo.locator('input[type="file"]').setInputFiles({ name: 'canteen.txt', mimeType: 'text/plain', buffer: Buffer.from('More tea, please.') });
  // stored, and listed by name: a visitor has no download link (downloads need a sign-in)
  await photo.locator('[data-test="file-item"][data-state="done"]').getByText('canteen.txt').waitFor();
  assert.equal(await photo.locator('[data-test="file-download"]').count(), 0);
  assert.ok(await photo.locator('[data-test="file-pick"]').isDisabled(), 'a one-file field takes no second file');
  await shot('public-anonymous');
  await page.locator('[data-test="submit-form"]').click();
  await page.locator('[data-test="submit-success"]').getByText('Your answer was received anonymously.').waitFor();
  await shot('public-submitted');
  assert.ok(page.url().endsWith(`/f/${publicToken}`), 'the visitor stays on the public page');

  // What the server kept: the answers, and nobody.
  const records = await api('GET', `/api/forms/${feedback.id}/records`);
  assert.equal(records.total, 1);
  const { photo: photoIds, ...answers } = records.items[0].data;
  assert.deepEqual(answers, { rating: 4, comment: 'Quiet week, thanks.' });
  assert.equal(photoIds.length, 1);
  assert.equal(await api('GET', `/api/files/${photoIds[0]}/content`), 'More tea, please.');
  assert.equal(records.items[0].submittedBy, null);
  assert.deepEqual(dialogs, [], 'no script from a label ran');
}
