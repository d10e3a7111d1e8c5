// Journey: an admin builds a form in the designer by dragging fields from the palette (a sub-table with its
// columns, a show/hide rule, rich text, a file upload with limits, English and Chinese labels, a naughty option
// label), previews it at desktop and phone width, saves and publishes it; an employee fills it in the web app,
// writing formatted text and uploading a file (with its progress shown on a slowed network); a manager sees
// the file and the text in the records table and the record, downloads the file, filters the records and
// exports them as CSV. Real built server, real Chromium, real mouse drags.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, field, journeyPage, journeySuite, naughtyString, screenshotter, signOut, submitSignIn } from './harness.js';

const EMPLOYEE = { email: 'ana@example.com', name: 'Ana Silva', password: 'Ana-passw0rd!', roles: ['member'] };
// "manager": a designer-role user, a role the form's "see all records" setting lists
const MANAGER = { email: 'ravi@example.com', name: 'Ravi Iyer', password: 'Ravi-passw0rd!', roles: ['member', 'designer'] };
const TITLE = 'Shared GPU for the data team';
// a quote big enough that, with the upload slowed down, its progress bar is seen moving
const QUOTE = Buffer.concat([Buffer.from('%PDF-1.4 quote for a shared GPU\n'), Buffer.alloc(400 * 1024, 'GPU ')]);
const DETAILS_HTML = '<p>Training runs take <strong>two days</strong> on laptops.</p><ul><li><p>GPU server</p></li><li><p>Shared queue</p></li></ul>';

// An option label straight from the Big List of Naughty Strings: it must show as text and never run.
const NAUGHTY = naughtyString();

const suite = journeySuite();


async function signIn(page, path, email, password) {
  await page.goto(`${suite.server.baseUrl}${path}`);
  await submitSignIn(page, email, password);
}

const centre = (box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

/**
 * Drags a palette item onto a point with the real mouse (SortableJS's fallback drag listens to mouse events):
 * press on the item, move in small steps, release. Returns after the canvas has `added` more elements.
 */
async function dragFromPalette(page, kind, target, added = 1) {
  const elements = page.locator('[data-test="canvas-element"]');
  const before = await elements.count();
  const source = page.locator(`[data-test="palette-${kind}"]`);
  await source.scrollIntoViewIfNeeded();
  const from = centre(await source.boundingBox());
  const to = await target();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 8, from.y + 4, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 20 });
  await page.waitForTimeout(120);
  await page.mouse.move(to.x, to.y + 1, { steps: 2 });
  await page.mouse.up();
  await assert.doesNotReject(
    async () => {
      for (let i = 0; i < 40 && (await elements.count()) !== before + added; i += 1) await page.waitForTimeout(100);
      assert.equal(await elements.count(), before + added);
    },
    `dragging ${kind} must add ${added} element(s)`,
  );
  // the new element is selected, so the properties panel shows it
  return page.locator('[data-test="canvas-element"][aria-pressed="true"]');
}

/**
 * Drags a palette item into one drop list. A SortableJS drop near a list's edge now and then lands
 * in the list around it; then the drop is undone and tried again (the journey tests the form, not the
 * pixel where SortableJS switches lists).
 */
async function dragIntoList(page, kind, list, target) {
  const inList = list.locator(':scope > [data-test="canvas-element"]');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = await inList.count();
    await dragFromPalette(page, kind, target());
    if ((await inList.count()) === before + 1) return;
    await page.locator('[data-test="undo"]').click();
  }
  assert.fail(`${kind} did not land in the intended list after 3 tries`);
}

/** A point in a box: fx, fy are fractions of its width and height. */
const pointIn = (locator, fx, fy) => async () => {
  const box = await locator.boundingBox();
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
};

async function setLabels(page, en, zh) {
  const panel = page.locator('[data-test="properties-panel"]');
  await panel.locator('[data-test="prop-label-en"] input').fill(en);
  await panel.locator('[data-test="prop-label-zh-CN"] input').fill(zh);
}

async function pick(page, selectLocator, optionText) {
  await selectLocator.click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: optionText }).first().click();
}

test('an admin drags a form together in the designer; an employee fills it; a manager filters and exports', async () => {
  const api = await suite.adminApi();
  await api('POST', '/api/users', { ...EMPLOYEE });
  await api('POST', '/api/users', { ...MANAGER });

  const { page, dialogs, run } = await journeyPage(suite.browser.context, 'designer-forms-');
  const numbered = screenshotter(page, 'designer-forms-');
  // a full-page shot of a scrolled page draws the fixed app bar mid-page: shoot from the top
  const shot = async (name) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await numbered(name);
  };
  await run(() => journey({ page, shot, api, dialogs }));
});

async function journey({ page, shot, api, dialogs }) {
  // ---------------------------------------------------------------- the admin, in the designer
  await signIn(page, '/designer/', ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.waitForURL(/\/designer\/users/);
  await page.goto(`${suite.server.baseUrl}/designer/apps`);
  await page.locator('[data-test="new-app"]').click();
  await page.locator('[data-test="app-name"] input').fill('Innovation fund');
  await page.locator('[data-test="save-app"]').click();
  await page.locator('[data-test="app-card"]', { hasText: 'Innovation fund' }).click();
  await page.locator('[data-test="app-title"]').getByText('Innovation fund').waitFor();
  await page.locator('[data-test="new-form"]').click();
  await page.locator('[data-test="form-name"] input').fill('Fund request');
  await page.locator('[data-test="create-form"]').click();
  await page.waitForURL(/\/designer\/forms\/[^/]+$/);
  const root = page.locator('[data-test="canvas-root"]');
  await root.waitFor();
  await shot('empty-canvas');

  const elements = page.locator('[data-test="canvas-element"]');
  const topLevel = root.locator(':scope > [data-test="canvas-element"]');
  // below the last element, in the root list's free space: SortableJS appends there
  const afterLast = () => async () => {
    const box = await topLevel.last().boundingBox();
    return { x: box.x + box.width / 2, y: box.y + box.height + 18 };
  };
  const panel = page.locator('[data-test="properties-panel"]');

  // Title: required, at least 3 characters.
  await dragFromPalette(page, 'text', pointIn(root, 0.5, 0.5));
  await setLabels(page, 'Title', '标题');
  await panel.locator('[data-test="prop-required"] input').check();
  await panel.locator('[data-test="prop-min-length"] input').fill('3');
  await shot('title-dropped');

  // Budget, a number.
  await dragFromPalette(page, 'number', afterLast());
  await setLabels(page, 'Budget', '预算');
  await panel.locator('[data-test="prop-minimum"] input').fill('0');

  // Category: a single select with a naughty option label.
  await dragFromPalette(page, 'select', afterLast());
  await setLabels(page, 'Category', '类别');
  await panel.locator('[data-test="prop-option-label-en"] input').nth(0).fill('Hardware');
  await panel.locator('[data-test="prop-option-label-zh-CN"] input').nth(0).fill('硬件');
  await panel.locator('[data-test="prop-option-value"] input').nth(1).fill('other');
  await panel.locator('[data-test="prop-option-label-en"] input').nth(1).fill(NAUGHTY);
  await panel.locator('[data-test="prop-option-label-zh-CN"] input').nth(1).fill(NAUGHTY);
  assert.equal(await page.locator('[data-test="properties-panel"] img').count(), 0);
  await shot('select-options');

  // Start date.
  await dragFromPalette(page, 'date', afterLast());
  await setLabels(page, 'Start date', '开始日期');

  // Justification: a long text shown only when the budget is above 10,000.
  await dragFromPalette(page, 'textarea', afterLast());
  await setLabels(page, 'Justification', '理由');
  await panel.locator('[data-test="rule-add"]').click();
  await pick(page, panel.locator('[data-test="rule-effect"]'), 'Show only when');
  await pick(page, panel.locator('[data-test="rule-field"]'), 'Budget (budget)');
  await pick(page, panel.locator('[data-test="rule-operator"]'), 'is greater than');
  await panel.locator('[data-test="rule-value"] input').fill('10000');
  await shot('rule');

  // Details: rich text.
  await dragFromPalette(page, 'richtext', afterLast());
  await setLabels(page, 'Details', '详细说明');

  // Quotes: up to three PDF or text files of at most 1 MB each.
  await dragFromPalette(page, 'file', afterLast());
  await setLabels(page, 'Quotes', '报价单');
  assert.ok(await panel.locator('[data-test="prop-multiple"] input').isChecked(), 'a new file field takes several files');
  await panel.locator('[data-test="prop-max-files"] input').fill('3');
  await panel.locator('[data-test="prop-max-size"] input').fill('1');
  await panel.locator('[data-test="prop-accept"] input').fill('.pdf,.txt');
  await shot('file-properties');

  // Items: a sub-table, with two columns dragged into it.
  await dragFromPalette(page, 'table', afterLast());
  await setLabels(page, 'Items', '明细');
  const table = topLevel.last();
  assert.equal(await table.getAttribute('data-kind'), 'table');
  const columns = table.locator('[data-test="canvas-list"][data-parent-kind="table"]');
  await dragIntoList(page, 'text', columns, () => pointIn(columns, 0.5, 0.5));
  await setLabels(page, 'Item', '物品');
  const columnElements = columns.locator(':scope > [data-test="canvas-element"]');
  await dragIntoList(page, 'money', columns, () => pointIn(columnElements.last(), 0.9, 0.5));
  await setLabels(page, 'Amount', '金额');
  assert.equal(await columnElements.count(), 2, 'both columns are inside the sub-table');

  // What was built, in order, with the keys the labels gave.
  const keys = await topLevel.evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.key}`));
  assert.deepEqual(keys, [
    'text:title', 'number:budget', 'select:category', 'date:start_date', 'textarea:justification', 'richtext:details', 'file:quotes', 'table:items',
  ]);
  assert.deepEqual(await columnElements.evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.key}`)),
    ['text:item', 'money:amount']);
  assert.equal(await elements.count(), 10);
  await shot('built');

  // Settings: designers (the managers here) see all records.
  await page.locator('[data-test="open-settings"]').click();
  const settings = page.locator('[data-test="form-settings-dialog"]');
  await settings.locator('[data-test="settings-submit-members"] input').check();
  await settings.locator('[data-test="settings-view-all"]').click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: 'Designer' }).click();
  await page.keyboard.press('Escape');
  await settings.locator('[data-test="settings-view-all"]').getByText('Designer').waitFor();
  await shot('settings');
  await settings.locator('[data-test="settings-apply"]').click();
  await settings.waitFor({ state: 'detached' });

  // Preview at desktop width: the rule hides the justification until the budget passes 10,000.
  await page.locator('[data-test="tab-preview"]').click();
  const preview = page.locator('[data-test="form-preview"]');
  await field(preview, 'title').waitFor();
  assert.equal(await field(preview, 'justification').count(), 0, 'justification hidden in the preview');
  await field(preview, 'budget').fill('12000');
  await field(preview, 'budget').blur();
  await field(preview, 'justification').waitFor();
  await preview.getByRole('button', { name: 'Add to Items' }).click();
  await field(preview, 'item').waitFor();
  await field(preview, 'amount').waitFor();
  await shot('preview-desktop');
  await page.locator('[data-test="preview-phone"]').click();
  await preview.locator('[data-test="preview-frame-phone"]').waitFor();
  const phoneWidth = (await preview.locator('[data-test="preview-frame-phone"]').boundingBox()).width;
  assert.ok(phoneWidth <= 400, `the phone frame is phone-sized (${phoneWidth}px)`);
  await shot('preview-phone');
  await page.locator('[data-test="preview-lang-zh-CN"]').click();
  // Vuetify keeps a floating and a resting copy of each label; one of them shows
  await preview.getByText('预算').filter({ visible: true }).first().waitFor();
  await preview.getByText('标题').filter({ visible: true }).first().waitFor();
  await shot('preview-phone-zh');
  await page.locator('[data-test="preview-desktop"]').click();
  await page.locator('[data-test="tab-design"]').click();

  // Save, then publish.
  await page.locator('[data-test="save-form"]').click();
  await page.locator('[data-test="saved-indicator"]').waitFor();
  await page.locator('[data-test="publish-form"]').click();
  await page.locator('[data-test="publish-dialog"] [data-test="confirm"]').click();
  await page.locator('[data-test="published-version"]').getByText('Published v1').waitFor();
  await shot('published');
  assert.deepEqual(dialogs, [], 'no script from a label ran in the designer');

  // What the server kept: the drag-built schema and the settings.
  const formId = page.url().split('/').pop();
  const saved = await api('GET', `/api/forms/${formId}`);
  assert.equal(saved.publishedVersion, 1);
  assert.equal(saved.hasUnpublishedChanges, false);
  assert.deepEqual(Object.keys(saved.schema.properties), ['title', 'budget', 'category', 'start_date', 'justification', 'details', 'quotes', 'items']);
  assert.deepEqual(saved.schema.properties.quotes, { type: 'array', items: { type: 'string', format: 'uuid' }, uniqueItems: true, maxItems: 3, title: 'Quotes' });
  const quotesControl = saved.uischema.elements.find((e) => e.scope === '#/properties/quotes');
  assert.deepEqual(quotesControl.options, { widget: 'file', accept: '.pdf,.txt', maxSize: 1024 * 1024 });
  assert.equal(saved.uischema.elements.find((e) => e.scope === '#/properties/details').options.widget, 'richtext');
  assert.deepEqual(saved.schema.required, ['title']);
  assert.equal(saved.schema.properties.title.minLength, 3);
  assert.deepEqual(Object.keys(saved.schema.properties.items.items.properties), ['item', 'amount']);
  assert.deepEqual(saved.schema.properties.category.enum, ['option_1', 'other']);
  assert.equal(saved.uischema.options.i18n['zh-CN']['items.amount.label'], '金额');
  const justification = saved.uischema.elements.find((e) => e.scope === '#/properties/justification');
  assert.deepEqual(justification.rule.condition, {
    scope: '#/properties/budget', schema: { type: 'number', exclusiveMinimum: 10000 }, failWhenUndefined: true,
  });
  assert.ok(saved.settings.access.viewAll.includes('designer'), 'the settings dialog gave designers all records');

  // A wizard: a Steps layout dragged in, a field dragged into its first step; the preview titles each step.
  await page.locator('[data-test="designer-back"]').click();
  await page.locator('[data-test="new-form"]').click();
  await page.locator('[data-test="form-name"] input').fill('Onboarding wizard');
  await page.locator('[data-test="create-form"]').click();
  await page.locator('[data-test="designer-form-name"]').getByText('Onboarding wizard').waitFor();
  await root.waitFor();
  await dragFromPalette(page, 'steps', pointIn(root, 0.5, 0.5), 3);
  const firstStep = page.locator('[data-test="canvas-list"][data-parent-kind="step"]').first();
  await dragFromPalette(page, 'email', pointIn(firstStep, 0.5, 0.5));
  await setLabels(page, 'Work email', '工作邮箱');
  const stepLabels = await page.locator('[data-test="canvas-element"][data-kind="step"] > .item-head [data-test="canvas-element-label"]')
    .allTextContents();
  assert.deepEqual(stepLabels.map((l) => l.trim()), ['Step 1', 'Step 2']);
  await shot('wizard-built');
  await page.locator('[data-test="tab-preview"]').click();
  await field(preview, 'work_email').waitFor();
  await preview.getByText('Step 1', { exact: true }).filter({ visible: true }).first().waitFor();
  await preview.getByText('Step 2', { exact: true }).filter({ visible: true }).first().waitFor();
  await shot('wizard-preview');
  await page.locator('[data-test="preview-lang-zh-CN"]').click();
  await preview.getByText('步骤 1', { exact: true }).filter({ visible: true }).first().waitFor();
  await shot('wizard-preview-zh');
  await page.locator('[data-test="tab-design"]').click();
  await page.locator('[data-test="save-form"]').click();
  await page.locator('[data-test="saved-indicator"]').waitFor();

  // ---------------------------------------------------------------- the employee, in the web app
  await page.goto(`${suite.server.baseUrl}/designer/apps`);
  await signOut(page);
  await signIn(page, '/sign-in', EMPLOYEE.email, EMPLOYEE.password);
  await page.locator('[data-test="home-title"]').waitFor();
  await page.locator('[data-test="form-item"]', { hasText: 'Fund request' }).click();
  await page.waitForURL(/\/forms\/[^/]+$/);
  await page.locator('[data-test="form-title"]').getByText('Fund request').waitFor();
  await field(page, 'title').waitFor();
  assert.equal(await field(page, 'justification').count(), 0, 'justification is hidden at first');
  await shot('web-empty');

  // A validation message for a too-short title, then the required message when submitting without one.
  await field(page, 'title').fill('AI');
  await field(page, 'title').blur();
  await page.getByText('At least 3 characters').waitFor();
  await shot('web-validation');

  // The rule: the justification appears once the budget is above 10,000.
  await field(page, 'title').fill(TITLE);
  await field(page, 'budget').fill('9000');
  await field(page, 'budget').blur();
  await page.waitForTimeout(300);
  assert.equal(await field(page, 'justification').count(), 0, 'still hidden at 9,000');
  await field(page, 'budget').fill('15000');
  await field(page, 'budget').blur();
  await field(page, 'justification').waitFor();
  await shot('web-rule-shown');

  // The naughty option label is listed as text, and nothing in it runs.
  await page.locator('[id="#/properties/category"] .v-field').click();
  const options = page.locator('.v-overlay--active .v-list-item');
  await options.getByText(NAUGHTY, { exact: true }).waitFor();
  assert.equal(await page.locator('.v-overlay--active img').count(), 0, 'the label must not become an <img>');
  await shot('web-naughty-option');
  await options.getByText('Hardware', { exact: true }).click();

  await page.getByRole('button', { name: 'Add to Items' }).click();
  await page.locator('[id^="#/properties/item"][id$="-input"]').first().fill('GPU server');
  await page.locator('[id^="#/properties/amount"][id$="-input"]').first().fill('15000');
  await field(page, 'justification').fill('Training runs take two days on laptops.');

  // Rich text with the toolbar: a bold phrase and a bulleted list.
  const details = page.locator('[data-test="field-details"]');
  const editor = details.locator('[contenteditable="true"]');
  await editor.click();
  await page.keyboard.type('Training runs take ');
  await details.locator('[data-test="rich-bold"]').click();
  await page.keyboard.type('two days');
  await details.locator('[data-test="rich-bold"]').click();
  await page.keyboard.type(' on laptops.');
  await page.keyboard.press('Enter');
  await details.locator('[data-test="rich-bulletList"]').click();
  await page.keyboard.type('GPU server');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Shared queue');
  await editor.locator('strong', { hasText: 'two days' }).waitFor();
  await editor.locator('ul li', { hasText: 'Shared queue' }).waitFor();

  // Files: a wrong type is refused in the browser; the quote uploads with its progress shown (the network is slowed).
  const quotes = page.locator('[data-test="field-quotes"]');
  await quotes.locator('[data-test="file-limits"]').getByText('up to 3 files · at most 1 MB each · types: .pdf, .txt').waitFor();
  await quotes.locator('input[type="file"]').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await quotes.locator('[data-test="file-problem"]').getByText('“setup.exe” is not an accepted type (.pdf,.txt) and was not added').waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 96 * 1024 });
  await quotes.locator('input[type="file"]').setInputFiles({ name: 'GPU quote.pdf', mimeType: 'application/pdf', buffer: QUOTE });
  const progress = quotes.locator('[data-test="file-progress"]');
  await progress.waitFor();
  await quotes.locator('[data-test="file-uploading"]').getByText(/Uploading… ([1-9]\d?)%/).waitFor();
  const percent = Number(await progress.getAttribute('aria-valuenow'));
  assert.ok(percent > 0 && percent < 100, `the upload is part-way when seen (${percent}%)`);
  await shot('web-file-uploading');
  await quotes.locator('[data-test="file-download"]').getByText('GPU quote.pdf').waitFor({ timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.detach();
  assert.equal(await progress.count(), 0, 'the progress bar goes once the file is stored');
  await quotes.getByText('400 KB').waitFor();
  await shot('web-filled');
  await page.locator('[data-test="submit-form"]').click();
  await page.locator('[data-test="submit-success"]').waitFor();
  await shot('web-submitted');

  // a second request under the budget line, so the manager's filter has something to leave out
  await page.locator('[data-test="fill-again"]').click();
  await field(page, 'title').fill('Second monitor');
  await field(page, 'budget').fill('1800');
  await page.locator('[data-test="submit-form"]').click();
  await page.locator('[data-test="submit-success"]').waitFor();
  assert.equal(await page.locator('img[src="x"]').count(), 0);

  // ---------------------------------------------------------------- the manager: records, filter, CSV
  await signOut(page);
  await signIn(page, '/sign-in', MANAGER.email, MANAGER.password);
  await page.locator('[data-test="home-title"]').waitFor();
  await page.locator('[data-test="form-item"]', { hasText: 'Fund request' }).locator('[data-test="open-records"]').click();
  const records = page.locator('[data-test="records-table"]');
  await records.getByText(TITLE).waitFor();
  await records.getByText('Second monitor').waitFor();
  await records.getByText(EMPLOYEE.name).first().waitFor();
  // the rich text as a plain excerpt, the file as a download link
  const gpuRow = records.locator('tr', { hasText: TITLE });
  await gpuRow.getByText('Training runs take two days on laptops. GPU server Shared queue').waitFor();
  await gpuRow.locator('[data-test="file-link"]', { hasText: 'GPU quote.pdf' }).waitFor();
  // the table scrolls sideways: bring the new columns into the picture
  await gpuRow.locator('[data-test="file-link"]').scrollIntoViewIfNeeded();
  await shot('web-records');
  const [quoteDownload] = await Promise.all([page.waitForEvent('download'), gpuRow.locator('[data-test="file-link"]').click()]);
  assert.equal(quoteDownload.suggestedFilename(), 'GPU quote.pdf');
  assert.ok(readFileSync(await quoteDownload.path()).equals(QUOTE), 'the download is the uploaded file');

  // The record: formatted text shown as formatting (bold, list), the file listed with its size and link.
  await gpuRow.getByText(TITLE).click();
  const recordDialog = page.locator('[data-test="record-dialog"]');
  const view = recordDialog.locator('[data-test="rich-view"]');
  await view.locator('strong', { hasText: 'two days' }).waitFor();
  assert.equal(await view.locator('li').count(), 2);
  await recordDialog.locator('[data-test="file-download"]', { hasText: 'GPU quote.pdf' }).waitFor();
  await recordDialog.locator('[data-test="field-quotes"]').scrollIntoViewIfNeeded();
  await shot('web-record-files');
  await recordDialog.getByRole('button', { name: 'Close' }).click();
  await recordDialog.waitFor({ state: 'detached' });

  await page.locator('[data-test="filter-add"]').click();
  await pick(page, page.locator('[data-test="filter-row-0"] [data-test="filter-field"]'), 'Budget');
  await pick(page, page.locator('[data-test="filter-row-0"] [data-test="filter-op"]'), 'greater than');
  await page.locator('[data-test="filter-row-0"] [data-test="filter-value"] input').fill('10000');
  await page.locator('[data-test="filter-apply"]').click();
  await records.getByText('Second monitor').waitFor({ state: 'detached' });
  await records.getByText(TITLE).waitFor();
  await shot('web-records-filtered');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="export-csv"]').click()]);
  assert.deepEqual(JSON.parse(new URL(download.url()).searchParams.get('filter')), { and: [{ field: 'budget', op: 'gt', value: 10000 }] });
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, new RegExp(TITLE));
  assert.doesNotMatch(csv, /Second monitor/, 'the export has the filter of the table');
  assert.match(csv.split(/\r?\n/)[0], /Budget/);

  // What the server kept: the editor's HTML as written, and the file attached to the record.
  const stored = (await api('GET', `/api/forms/${formId}/records?pageSize=10`)).items.find((r) => r.data.title === TITLE);
  assert.equal(stored.data.details, DETAILS_HTML);
  assert.equal(stored.data.quotes.length, 1);
  assert.equal((await api('GET', `/api/files/${stored.data.quotes[0]}`)).name, 'GPU quote.pdf');

  assert.deepEqual(dialogs, [], 'no script from a label ran');
}
