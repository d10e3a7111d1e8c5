// Journey (issue 5's "must show"): the innovation-fund request from end to end. The admin models the approval in
// the process designer with the mouse — manager review (the initiator's manager, by the org chart) → "Budget over
// 10,000?" → finance review → a countersign (会签) of three committee members → end — binds the request form and
// deploys. An employee asks for 15,000 in the web app; the manager approves; finance returns it to the manager once
// (驳回); the manager approves again; finance approves; two committee members approve and the third transfers (转办)
// the task to a colleague, who approves; the employee sees the completed timeline and the path on the diagram.
// Real built server, real Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagram } from './bpmn-canvas.js';
import { field, journeyPage, journeySuite, repoRoot, screenshotter, signOut } from './harness.js';

const person = (email, name, password) => ({ email, name, password, locale: 'en', roles: ['member'] });
const MANAGER = person('zhou.min@example.com', 'Zhou Min', 'Zhou-Min-passw0rd!');
const EMPLOYEE = person('mei@example.com', 'Mei Chen', 'Mei-passw0rd!');
const FINANCE = person('wang@example.com', 'Wang Fang', 'Wang-passw0rd!');
const COMMITTEE = [
  person('li.wei@example.com', 'Li Wei', 'Li-Wei-passw0rd!'),
  person('maria.garcia@example.com', 'Maria Garcia', 'Maria-passw0rd!'),
  person('kofi.mensah@example.com', 'Kofi Mensah', 'Kofi-passw0rd!'),
];
const COLLEAGUE = person('ana.lima@example.com', 'Ana Lima', 'Ana-Lima-passw0rd!');
const RETURN_COMMENT = 'Please attach the supplier quote before I can book it.';
const TRANSFER_COMMENT = 'Ana knows this supplier better than I do.';

const suite = journeySuite();

/** The app, the published request form and the people (the employee reports to the manager), through the API. */
async function setUp(api) {
  const app = await api('POST', '/api/apps', { name: 'Innovation fund', description: 'Small bets, fast answers', icon: 'mdiLightbulbOn' });
  const form = await api('POST', '/api/forms', {
    appId: app.id,
    name: 'Fund request',
    schema: {
      type: 'object',
      required: ['title', 'budget'],
      properties: {
        title: { type: 'string', title: 'Title', minLength: 3, maxLength: 120 },
        budget: { type: 'number', title: 'Budget', minimum: 0 },
      },
    },
    uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/title' }, { type: 'Control', scope: '#/properties/budget' }] },
    settings: { access: { submit: 'members', viewAll: ['admin'] }, anonymous: false, hiddenFields: [] },
  });
  await api('POST', `/api/forms/${form.id}/publish`);
  const manager = await api('POST', '/api/users', MANAGER);
  const employee = await api('POST', '/api/users', { ...EMPLOYEE, managerId: manager.id });
  const finance = await api('POST', '/api/users', FINANCE);
  const committee = [];
  for (const member of COMMITTEE) committee.push(await api('POST', '/api/users', member));
  const colleague = await api('POST', '/api/users', COLLEAGUE);
  return { app, form, manager, employee, finance, committee, colleague };
}

test('the innovation-fund request: modelled in the designer, approved, returned once, countersigned with a transfer, followed by the employee', async () => {
  const api = await suite.adminApi();
  const setup = await setUp(api);
  const { page, run, consoleErrors } = await journeyPage(suite.browser.context, 'fund-');
  await page.setViewportSize({ width: 1440, height: 900 });
  const shot = screenshotter(page, 'fund-');
  await run(async () => {
    const model = await modelInDesigner({ page, shot, api, setup });
    await runRequest({ page, shot, api, setup, model });
    assert.deepEqual(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text)), []);
  });
});

/** The admin draws and deploys the process; returns the ids of what was drawn. */
async function modelInDesigner({ page, shot, api, setup }) {
  await suite.openDesigner(page, `/apps/${setup.app.id}`);
  await page.locator('[data-test="new-process"]').click();
  await page.locator('[data-test="process-name"] input').fill('Innovation fund approval');
  await page.locator('[data-test="create-process"]').click();
  await page.waitForURL(/\/designer\/processes\/[^/]+$/);
  const processId = page.url().split('/').pop();
  const d = diagram(page);
  await d.shape('StartEvent_1').waitFor();
  await page.locator('[data-test="start-form"]').click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: 'Fund request' }).click();
  const panel = page.locator('[data-test="properties-panel"]');
  const userTask = async (fromId, name) => {
    const id = await d.append(fromId, 'append.append-task', name);
    await d.replace(id, 'replace-with-user-task');
    await d.select(id);
    await panel.locator('#opsflow-form').selectOption({ label: 'Fund request' });
    return id;
  };

  // manager review: whoever manages the person who asks
  const review = await userTask('StartEvent_1', 'Manager review');
  await panel.locator('#opsflow-assignee').selectOption('initiatorManager');
  assert.equal(await panel.locator('#opsflow-assignee-levels').inputValue(), '1');
  // nobody above the initiator: the administrators pick it up; the colleague gets a copy (抄送)
  await panel.locator('#opsflow-assignee-fallback').selectOption('admins');
  const cc = panel.locator('[data-group-id="group-opsflow-cc-group"] .bio-properties-panel-group-header');
  if (!(await cc.getAttribute('class')).includes('open')) await cc.click();
  await panel.locator('#opsflow-cc-users').selectOption({ label: `${COLLEAGUE.name} <${COLLEAGUE.email}>` });
  await panel.locator('[data-test="cc-users"] li').getByText(COLLEAGUE.name).waitFor();
  await shot('manager-review-panel');
  // budget over 10,000 goes to finance; anything else is decided by the manager alone
  const gateway = await d.append(review, 'append.gateway');
  await d.rename(gateway, 'Budget over 10,000?');
  const financeReview = await userTask(gateway, 'Finance review');
  await panel.locator('#opsflow-assignee').selectOption('user');
  await panel.locator('#opsflow-assignee-user').selectOption({ label: `${FINANCE.name} <${FINANCE.email}>` });
  // the committee: all three sign (会签)
  const committee = await userTask(financeReview, 'Committee countersign');
  await panel.locator('#opsflow-approval').selectOption('all');
  for (const member of COMMITTEE) await panel.locator('#opsflow-approval-add').selectOption({ label: `${member.name} <${member.email}>` });
  assert.equal(await panel.locator('[data-test="approvers-list"] li').count(), 3);
  const funded = await d.append(committee, 'append.end-event', 'Funded');
  const decided = await d.append(gateway, 'append.end-event', 'Decided');
  await page.locator('[data-test="zoom-fit"]').click();
  await shot('modelled');

  // the flows out of the gateway: a condition on one, the other the default
  const xmlNow = async () => {
    await page.locator('[data-test="save-process"]').click();
    await page.locator('[data-test="save-process"]').isEnabled();
    return (await api('GET', `/api/processes/${processId}`)).bpmnXml;
  };
  const flowsOut = async () => [...(await xmlNow()).matchAll(new RegExp(`<bpmn:sequenceFlow id="([^"]+)" sourceRef="${gateway}" targetRef="([^"]+)"`, 'g'))]
    .map(([, id, target]) => ({ id, target }));
  let flows = await flowsOut();
  for (let i = 0; i < 10 && flows.length < 2; i += 1) flows = await flowsOut();
  const toFinance = flows.find((f) => f.target === financeReview).id;
  const toDecided = flows.find((f) => f.target === decided).id;
  // approved by the manager and over 10,000 (the task then offers Approve / Reject; a rejection ends it)
  await d.select(toFinance);
  const rule = (index) => panel.locator('[data-test="condition-rule"]').nth(index);
  await rule(0).locator('[data-test="condition-field"]').selectOption('approved');
  await rule(0).locator('[data-test="condition-op"]').selectOption('eq');
  await panel.locator('#opsflow-condition-value-0').selectOption('true');
  await panel.locator('[data-test="condition-add-rule"]').click();
  await rule(1).locator('[data-test="condition-field"]').selectOption('budget');
  await rule(1).locator('[data-test="condition-op"]').selectOption('gt');
  await panel.locator('#opsflow-condition-value-1').fill('10000');
  await panel.locator('#opsflow-condition-value-1').press('Tab');
  await panel.locator('[data-test="condition-feel"]').getByText('=approved = true and budget > 10000').waitFor();
  await shot('condition');
  await d.select(toDecided);
  await panel.locator('[data-test="default-flow"]').check();

  await page.locator('[data-test="deploy-process"]').click();
  await page.locator('[data-test="deployed-version"]').getByText('Version 1').waitFor();
  await d.clickEmpty();
  await shot('deployed');
  const deployed = await api('GET', `/api/processes/${processId}`);
  assert.equal(deployed.startFormId, setup.form.id);
  assert.match(deployed.bpmnXml, /<zeebe:property name="opsflow:assigneeRule" value="manager:1" \/>/);
  assert.match(deployed.bpmnXml, /<zeebe:property name="opsflow:fallback" value="admins" \/>/);
  assert.match(deployed.bpmnXml, new RegExp(`<zeebe:property name="opsflow:ccUsers" value="${setup.colleague.id}" />`));
  assert.doesNotMatch(deployed.bpmnXml, /initiatorManager/, 'no variable nobody sets');
  await page.goto(`${suite.server.baseUrl}/`);
  await signOut(page);
  return { processId, review, gateway, financeReview, committee, funded, decided, toFinance, toDecided };
}


/** Opens the signed-in person's task of that name from the inbox. */
async function openTask(page, name) {
  await page.locator('[data-test="nav-nav.tasks"]').click();
  await page.locator('[data-test="tab-mine"]').click();
  await page.waitForURL(/\/tasks$/);
  const item = page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: name });
  await item.first().click();
  await page.waitForURL(/\/tasks\/[^/]+$/);
  await page.locator('[data-test="task-title"]').getByText(name).waitFor();
}

async function approve(page, name, comment) {
  if (comment) await page.locator('[data-test="task-comment"] textarea').first().fill(comment);
  await page.locator('[data-test="approve-task"]').click();
  await page.waitForURL(/\/tasks$/);
  await page.locator('[data-test="snackbar"]').getByText(`You approved “${name}”.`).waitFor();
}

async function runRequest({ page, shot, setup, model }) {
  // ── the employee asks for 15,000
  await suite.signIn(page, EMPLOYEE);
  await page.locator(`[data-test="app-${setup.app.id}"]`).getByText('Fund request').click();
  await field(page, 'title').fill('Prototype lab kit');
  await field(page, 'budget').fill('15000');
  await page.locator('[data-test="submit-form"]').click();
  await page.locator('[data-test="submit-success"]').waitFor();
  // ── a nudge (催办) to the manager from the request's page; a second one within the hour is not sent
  await page.locator('[data-test="nav-nav.requests"]').click();
  await page.locator('[data-test="request-list"] [data-test^="request-"]').filter({ hasText: 'Prototype lab kit' }).click();
  await page.waitForURL(/\/requests\/[^/]+$/);
  for (const expected of ['Reminder sent.', 'A reminder was sent less than an hour ago; nothing was sent.']) {
    await page.locator('[data-test="urge"]').click();
    await page.locator('.v-overlay--active .v-list-item', { hasText: 'Manager review' }).click();
    await page.locator('[data-test="urge-dialog"] [data-test="confirm"]').click();
    await page.locator('[data-test="snackbar"]').getByText(expected).waitFor();
  }
  await page.locator('[data-test="request-timeline"]').getByText('Mei Chen sent a reminder').waitFor();
  await shot('employee-urged');
  await signOut(page);

  // ── the manager (found by the org chart) approves; the new task and the reminder are in the bell
  await suite.signIn(page, MANAGER);
  await page.locator('[data-test="bell-count"]').getByText('2', { exact: true }).waitFor();
  await page.locator('[data-test="bell"]').click();
  await page.locator('[data-test="bell-item-assigned"]').getByText('Manager review').waitFor();
  await shot('manager-bell');
  await page.locator('[data-test="bell-item-urged"]').click();
  await page.waitForURL(/\/tasks\/[^/]+$/);
  await page.locator('[data-test="task-title"]').getByText('Manager review').waitFor();
  await page.locator('[data-test="bell-count"]').getByText('1', { exact: true }).waitFor();
  assert.equal(await field(page, 'budget').inputValue(), '15000');
  await approve(page, 'Manager review', 'Good idea; the kit pays for itself.');
  await signOut(page);

  // ── finance returns it to the manager once (驳回)
  await suite.signIn(page, FINANCE);
  await openTask(page, 'Finance review');
  await returnToStep(page, 'Manager review', RETURN_COMMENT, shot);
  await shot('finance-returned');
  await signOut(page);

  // ── the manager sees why and approves again; finance approves
  await suite.signIn(page, MANAGER);
  await openTask(page, 'Manager review');
  await page.locator('[data-test="task-history"]').getByText(RETURN_COMMENT).waitFor();
  await shot('manager-sees-return');
  await approve(page, 'Manager review', 'Quote attached.');
  await signOut(page);
  await suite.signIn(page, FINANCE);
  await openTask(page, 'Finance review');
  await approve(page, 'Finance review', 'Budget checked.');
  await signOut(page);

  // ── the committee: two approve, the third transfers (转办) to a colleague, who approves
  for (const member of COMMITTEE.slice(0, 2)) {
    await suite.signIn(page, member);
    await openTask(page, 'Committee countersign');
    await approve(page, 'Committee countersign');
    await signOut(page);
  }
  await suite.signIn(page, COMMITTEE[2]);
  await openTask(page, 'Committee countersign');
  await transferTo(page, COLLEAGUE, TRANSFER_COMMENT, shot);
  await shot('committee-transferred');
  await signOut(page);
  await suite.signIn(page, COLLEAGUE);
  // the colleague was copied (抄送) on the manager's review: both passes are there to read
  await page.locator('[data-test="nav-nav.tasks"]').click();
  await page.locator('[data-test="tab-cc"]').click();
  await page.locator('[data-test="tab-count-cc"]').getByText('2', { exact: true }).waitFor();
  await page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: 'Manager review' }).first().waitFor();
  await shot('colleague-cc-tab');
  await openTask(page, 'Committee countersign');
  await approve(page, 'Committee countersign', 'Approved for the committee.');
  await signOut(page);

  // ── the employee follows the finished request: the timeline and the path taken
  await suite.signIn(page, EMPLOYEE);
  await page.locator('[data-test="nav-nav.requests"]').click();
  const request = page.locator('[data-test="request-list"] [data-test^="request-"]').filter({ hasText: 'Prototype lab kit' });
  await request.locator('[data-test="status-completed"]').waitFor();
  await request.click();
  await page.waitForURL(/\/requests\/[^/]+$/);
  await page.locator('[data-test="request-completed"]').waitFor();
  const timeline = page.locator('[data-test="request-timeline"]');
  await timeline.getByText(RETURN_COMMENT).waitFor();
  await timeline.getByText(TRANSFER_COMMENT).waitFor();
  await timeline.getByText('Ana Lima approved').waitFor();
  for (const member of COMMITTEE.slice(0, 2)) await timeline.getByText(`${member.name} approved`).waitFor();
  const drawn = page.locator('[data-test="process-diagram"]');
  for (const id of ['StartEvent_1', model.review, model.gateway, model.financeReview, model.committee, model.funded]) {
    await drawn.locator(`.djs-element[data-element-id="${id}"].opsflow-done`).waitFor({ state: 'attached' });
  }
  await drawn.locator(`.djs-element[data-element-id="${model.toFinance}"].opsflow-taken`).waitFor({ state: 'attached' });
  assert.equal(await drawn.locator(`.djs-element[data-element-id="${model.decided}"].opsflow-done`).count(), 0, 'the short path was not taken');
  assert.equal(await drawn.locator('.opsflow-active, .opsflow-failed').count(), 0);
  await shot('request-completed');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('request-completed-phone');
  // the initiator heard of the completion, and chooses not to get that by e-mail any more
  await page.locator('[data-test="bell"]').click();
  await page.locator('[data-test="bell-item-completed"]').getByText('Innovation fund approval').waitFor();
  await shot('employee-bell-phone');
  await page.locator('[data-test="bell-settings"]').click();
  await page.waitForURL(/\/profile/);
  await page.setViewportSize({ width: 1440, height: 900 });
  const completedByMail = page.locator('[data-test="pref-completed-email"] input');
  assert.equal(await completedByMail.isChecked(), true);
  await completedByMail.click();
  await page.locator('[data-test="snackbar"]').getByText('Notification settings saved.').waitFor();
  await shot('notification-settings');
  await signOut(page);

  // ── no mail server here: the e-mails wait in the outbox the admin reads in the designer
  await suite.openDesigner(page, '/mail');
  const row = page.locator('[data-test="mail-table"] tr', { hasText: FINANCE.email }).filter({ hasText: 'New task: Finance review' }).first();
  await row.locator('[data-test="mail-status-stored"]').waitFor();
  await row.click();
  await page.locator('[data-test="mail-text"]').getByText('A task is waiting for you: Finance review.').waitFor();
  await shot('admin-mail-outbox');
}

// The web app's approval actions: the task page's "More actions" menu and its dialog.
async function openAction(page, action) {
  await page.locator('[data-test="task-actions"]').click();
  await page.locator(`[data-test="task-action-${action}"]`).click();
}

async function returnToStep(page, stepName, comment, shot) {
  await openAction(page, 'return');
  const dialog = page.locator('[data-test="return-dialog"]');
  await dialog.locator('[data-test="return-target"]').click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: stepName }).click();
  await dialog.locator('[data-test="action-comment"] textarea').first().fill(comment);
  await shot('return-dialog');
  await dialog.locator('[data-test="confirm"]').click();
  await page.waitForURL(/\/tasks$/);
  await page.locator('[data-test="snackbar"]').getByText('was sent back').waitFor();
}

async function transferTo(page, who, comment, shot) {
  await openAction(page, 'transfer');
  const dialog = page.locator('[data-test="transfer-dialog"]');
  await dialog.locator('[data-test="action-person"] input').fill(who.name.split(' ')[0]);
  await page.locator('.v-overlay--active .v-list-item', { hasText: who.email }).click();
  await dialog.locator('[data-test="action-comment"] textarea').first().fill(comment);
  await shot('transfer-dialog');
  await dialog.locator('[data-test="confirm"]').click();
  await page.waitForURL(/\/tasks$/);
  await page.locator('[data-test="snackbar"]').getByText(`is now with ${who.name}`).waitFor();
}

const CAMUNDA_MODELER_FILE = join(repoRoot, 'server', 'test', 'fixtures', 'bpmn', 'camunda-modeler', 'equipment-request.bpmn');

/** Every Zeebe extension element with its attributes, entities decoded, in document order. */
function zeebeElements(xml) {
  const decode = (text) => text.replace(/&#34;|&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
  return [...xml.matchAll(/<zeebe:([A-Za-z]+)((?:\s+[A-Za-z:]+="[^"]*")*)\s*\/?>/g)].map(([, name, attributes]) => {
    const pairs = [...attributes.matchAll(/([A-Za-z:]+)="([^"]*)"/g)].map(([, key, value]) => `${key}=${decode(value)}`).sort();
    return `${name} ${pairs.join(' ')}`;
  });
}

test('a diagram drawn in Camunda Modeler for Zeebe opens in the designer, exports with every Zeebe setting, and deploys', async () => {
  const api = await suite.adminApi();
  const app = await api('POST', '/api/apps', { name: 'Equipment' });
  const process = await api('POST', '/api/processes', { appId: app.id, name: 'Equipment request' });
  // whoever the journey before left signed in: start signed out
  await suite.browser.context.clearCookies();
  const { page, run } = await journeyPage(suite.browser.context, 'fund-camunda-');
  await page.setViewportSize({ width: 1440, height: 900 });
  const shot = screenshotter(page, 'fund-camunda-');
  await run(async () => {
    await suite.openDesigner(page, `/processes/${process.id}`);
    await page.locator('.djs-palette').waitFor();
    await page.locator('[data-test="import-file"]').setInputFiles(CAMUNDA_MODELER_FILE);
    await page.locator('.v-snackbar', { hasText: 'equipment-request.bpmn imported' }).waitFor();
    assert.equal(await page.locator('[data-test="import-error"], [data-test="import-warnings"]').count(), 0);
    await page.locator('.djs-element[data-element-id="Activity_approve"]').waitFor();
    await shot('imported');

    const download = page.waitForEvent('download');
    await page.locator('[data-test="export-bpmn"]').click();
    const exported = readFileSync(await (await download).path(), 'utf8');
    const original = readFileSync(CAMUNDA_MODELER_FILE, 'utf8');
    assert.deepEqual(zeebeElements(exported), zeebeElements(original));
    assert.match(exported, /modeler:executionPlatform="Camunda Cloud"/);
    assert.match(exported, /<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=total &gt; 500<\/bpmn:conditionExpression>/);

    await page.locator('[data-test="deploy-process"]').click();
    await page.locator('[data-test="deployed-version"]').getByText('Version 1').waitFor();
    await shot('deployed');
  });
});
