// Journey: an admin draws the innovation-fund approval in the process designer (bpmn-js) with the palette and the
// context pad, binds the request form and the assignee in Opsflow's properties panel, builds the budget condition
// with the condition builder and a countersign (会签) of three chosen people, sees the server's deploy problems marked
// on the diagram, fixes them, deploys version 1, and looks at a running instance. Every model of the BPMN MIWG
// reference suite opens through the import button without an error. Real built server, real Chromium.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagram } from './bpmn-canvas.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, journeyPage, journeySuite, repoRoot, screenshotter, submitSignIn } from './harness.js';

const COMMITTEE = [
  { email: 'li.wei@example.com', name: 'Li Wei', password: 'Li-Wei-passw0rd!', roles: ['member'] },
  { email: 'maria.garcia@example.com', name: 'Maria Garcia', password: 'Maria-passw0rd!', roles: ['member'] },
  { email: 'kofi.mensah@example.com', name: 'Kofi Mensah', password: 'Kofi-passw0rd!', roles: ['member'] },
];
const MIWG_DIR = join(repoRoot, '..', 'shared', 'corpora', 'bpmn-miwg');

const suite = journeySuite();


/** The app, its published request form and the committee, set up through the API. */
async function setUp(api) {
  const app = await api('POST', '/api/apps', { name: 'Innovation fund', description: 'Small bets, fast answers' });
  const form = await api('POST', '/api/forms', {
    appId: app.id,
    name: 'Fund request',
    schema: {
      type: 'object',
      required: ['title', 'budget'],
      properties: {
        title: { type: 'string', title: 'Title', minLength: 3 },
        budget: { type: 'number', title: 'Budget', minimum: 5000, maximum: 20000 },
        team: { type: 'string', title: 'Team' },
      },
    },
    uischema: {
      type: 'VerticalLayout',
      elements: [
        { type: 'Control', scope: '#/properties/title' },
        { type: 'Control', scope: '#/properties/budget' },
        { type: 'Control', scope: '#/properties/team' },
      ],
    },
    settings: { access: { submit: 'members', viewAll: ['admin'] }, anonymous: false, hiddenFields: [] },
  });
  await api('POST', `/api/forms/${form.id}/publish`);
  const committee = [];
  for (const person of COMMITTEE) committee.push(await api('POST', '/api/users', person));
  return { app, form, committee };
}

test('an admin models, checks and deploys an approval process in the designer and opens its instances', async () => {
  const api = await suite.adminApi();
  const setup = await setUp(api);
  const { page, dialogs, run } = await journeyPage(suite.browser.context, 'designer-processes-');
  await page.setViewportSize({ width: 1440, height: 900 });
  // bpmn-js, its panel and the FEEL editor run under the server's Content-Security-Policy (no eval, no inline scripts)
  const cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const numbered = screenshotter(page, 'designer-processes-');
  const shot = async (name) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await numbered(name);
  };
  await run(() => journey({ page, shot, api, setup, dialogs }));
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(dialogs, [], 'no browser dialog opened');
});

async function journey({ page, shot, api, setup }) {
  await page.goto(`${suite.server.baseUrl}/designer/`);
  await submitSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.waitForURL(/\/designer\/users/);

  // ------------------------------------------------ the app page lists processes next to forms; create one
  await page.goto(`${suite.server.baseUrl}/designer/apps/${setup.app.id}`);
  await page.locator('[data-test="processes-card"]').waitFor();
  await page.locator('[data-test="new-process"]').click();
  await page.locator('[data-test="process-name"] input').fill('Fund approval');
  await page.locator('[data-test="create-process"]').click();
  await page.waitForURL(/\/designer\/processes\/[^/]+$/);
  const processId = page.url().split('/').pop();
  await page.locator('.djs-palette').waitFor();
  const d = diagram(page);
  await d.shape('StartEvent_1').waitFor();
  await shot('empty-process');

  // the start form: submitting "Fund request" starts the process
  await page.locator('[data-test="start-form"]').click();
  await page.locator('.v-overlay--active .v-list-item', { hasText: 'Fund request' }).click();

  // ------------------------------------------------ start → "Manager review" (user task, form, initiator)
  const review = await d.append('StartEvent_1', 'append.append-task', 'Manager review');
  await d.replace(review, 'replace-with-user-task');
  await d.select(review);
  const panel = page.locator('[data-test="properties-panel"]');
  await panel.locator('#opsflow-form').selectOption({ label: 'Fund request' });
  await panel.locator('#opsflow-assignee').selectOption('initiator');
  await panel.locator('[data-test="assignee-needs"]').getByText('initiator').waitFor();
  // due three days after the task is created; an SLA: after two days, remind (the task stays open)
  const openGroup = async (id) => {
    const header = panel.locator(`[data-group-id="group-${id}"] .bio-properties-panel-group-header`);
    if (!(await header.getAttribute('class')).includes('open')) await header.click();
  };
  await openGroup('opsflow-due-group');
  await panel.locator('#opsflow-due-days').fill('3');
  await panel.locator('#opsflow-due-days').press('Tab');
  await openGroup('opsflow-escalation-group');
  await panel.locator('#opsflow-escalation-days').fill('2');
  await panel.locator('#opsflow-escalation-days').press('Tab');
  await panel.locator('#opsflow-escalation-action').selectOption('notify');
  await panel.locator('[data-test="add-escalation"]').click();
  await panel.locator('[data-test="escalations"] li').getByText('After 2 days').waitFor();
  await shot('user-task-panel');

  // the reminder step is a service task of the built-in notify type (it tells whoever holds the task) whose inputs the generated form edits
  const reminder = await page.locator('.djs-shape', { hasText: 'Send a reminder' }).getAttribute('data-element-id');
  await d.select(reminder);
  assert.equal(await panel.locator('#opsflow-task-type').inputValue(), 'notify');
  await panel.locator('#opsflow-inputs-message').fill('Fund request waiting for two days');
  await panel.locator('#opsflow-inputs-message').press('Tab');
  await shot('service-task-panel');
  // the boundary timer shows its duration in the timer picker
  // events carry their name in an external label shape (`<id>_label`)
  const timer = (await page.locator('.djs-shape', { hasText: 'After 2 days' }).first().getAttribute('data-element-id')).replace(/_label$/, '');
  await d.select(timer);
  assert.equal(await panel.locator('#opsflow-timer').inputValue(), 'duration');
  assert.equal(await panel.locator('#opsflow-timer-days').inputValue(), '2');
  await d.clickEmpty();

  // ------------------------------------------------ → exclusive gateway → "Finance countersign" (会签 of three)
  const gateway = await d.append(review, 'append.gateway');
  await d.rename(gateway, 'Budget over 10,000?');
  const countersign = await d.append(gateway, 'append.append-task', 'Finance countersign');
  await d.replace(countersign, 'replace-with-user-task');
  await d.select(countersign);
  await panel.locator('#opsflow-form').selectOption({ label: 'Fund request' });
  await panel.locator('#opsflow-approval').selectOption('all');
  for (const person of COMMITTEE) {
    await panel.locator('#opsflow-approval-add').selectOption({ label: `${person.name} <${person.email}>` });
  }
  const approvers = panel.locator('[data-test="approvers-list"] li');
  assert.equal(await approvers.count(), 3);
  await panel.locator('[data-test="assignee-from-approvers"]').waitFor();
  // the multi-instance marker is drawn, and undo / redo take the last approver back and forth
  await page.locator('[data-test="undo"]').click();
  assert.equal(await approvers.count(), 2);
  await page.locator('[data-test="redo"]').click();
  assert.equal(await approvers.count(), 3);
  await shot('countersign-panel');

  // ------------------------------------------------ the gateway's other path ends at once; the countersign ends there too
  const end = await d.append(gateway, 'append.end-event', 'Decided');
  await d.connect(countersign, end);
  await shot('modelled');

  // ------------------------------------------------ deploy: the server refuses (no condition), marked on the diagram
  await page.locator('[data-test="deploy-process"]').click();
  const problems = page.locator('[data-test="deploy-problem"]');
  await problems.first().waitFor();
  assert.equal(await problems.count(), 2, 'both flows leaving the gateway lack a condition');
  const flagged = await problems.evaluateAll((items) => items.map((item) => item.getAttribute('data-element-id')));
  for (const id of flagged) {
    await page.locator(`.djs-element.opsflow-problem[data-element-id="${id}"]`).waitFor({ state: 'attached' });
    await page.locator(`[data-test="problem-overlay"][data-element-id="${id}"]`).waitFor();
  }
  await shot('deploy-problems');

  // a problem selects its flow; the condition builder writes budget > 10000 on the flow to the countersign
  const selectFlagged = async (id) => {
    await page.locator(`[data-test="deploy-problem"][data-element-id="${id}"] a`).click();
    await page.locator(`.djs-element.selected[data-element-id="${id}"]`).waitFor({ state: 'attached' });
  };
  const flowTo = async (targetId) => {
    for (const id of flagged) {
      await selectFlagged(id);
      const xml = await savedXml();
      if (new RegExp(`<bpmn:sequenceFlow id="${id}" sourceRef="${gateway}" targetRef="${targetId}"`).test(xml)) return id;
    }
    throw new Error(`no flagged flow leads to ${targetId}`);
  };
  const savedXml = async () => {
    await page.locator('[data-test="save-process"]').click({ trial: false }).catch(() => {});
    return (await api('GET', `/api/processes/${processId}`)).bpmnXml;
  };
  const toCountersign = await flowTo(countersign);
  await selectFlagged(toCountersign);
  await panel.locator('[data-test="condition-field"]').selectOption('budget');
  await panel.locator('[data-test="condition-op"]').selectOption('gt');
  await panel.locator('#opsflow-condition-value-0').fill('10000');
  await panel.locator('#opsflow-condition-value-0').press('Tab');
  await panel.locator('[data-test="condition-feel"]').getByText('=budget > 10000').waitFor();
  // the flow was edited since the check: its marker goes and its problem reads as possibly fixed
  await page.locator(`[data-test="deploy-problem"][data-element-id="${toCountersign}"][data-touched="true"]`).waitFor();
  assert.equal(await page.locator(`.djs-element.opsflow-problem[data-element-id="${toCountersign}"]`).count(), 0);
  await shot('condition-builder');
  // experts may write the FEEL themselves (bpmn-io's FEEL editor); what the builder wrote reads back into it
  await panel.locator('[data-test="condition-write-feel"]').click();
  await panel.locator('[data-entry-id="opsflow-condition-raw"] .cm-content').getByText('budget > 10000').waitFor();
  await shot('condition-feel-editor');
  await panel.locator('[data-test="condition-use-builder"]').click();
  assert.equal(await panel.locator('[data-test="condition-field"]').inputValue(), 'budget');

  const toEnd = flagged.find((id) => id !== toCountersign);
  await selectFlagged(toEnd);
  await panel.locator('[data-test="default-flow"]').check();
  await panel.locator('[data-test="default-flow-hint"]').waitFor();

  // ------------------------------------------------ deploy again: version 1
  await page.locator('[data-test="deploy-process"]').click();
  await page.locator('[data-test="deployed-version"]').getByText('Version 1').waitFor();
  assert.equal(await problems.count(), 0);
  assert.equal(await page.locator('.djs-element.opsflow-problem').count(), 0, 'the markers are gone');
  await shot('deployed');

  // what the panel wrote is what the engine reads
  const deployed = await api('GET', `/api/processes/${processId}`);
  assert.equal(deployed.latestVersion, 1);
  assert.equal(deployed.startFormId, setup.form.id);
  const xml = deployed.bpmnXml;
  assert.match(xml, new RegExp(`<zeebe:formDefinition formId="${setup.form.id}"`));
  assert.match(xml, /<zeebe:assignmentDefinition assignee="=initiator"/);
  assert.match(xml, /<zeebe:taskSchedule dueDate="=string\(now\(\) \+ duration\(&#34;P3D&#34;\)\)"|<zeebe:taskSchedule dueDate="=string\(now\(\) \+ duration\(&quot;P3D&quot;\)\)"/);
  assert.match(xml, new RegExp(`<bpmn:boundaryEvent id="[^"]+" name="After 2 days" cancelActivity="false" attachedToRef="${review}">`));
  assert.match(xml, /<bpmn:timeDuration[^>]*>P2D<\/bpmn:timeDuration>/);
  assert.match(xml, /<zeebe:taskDefinition type="notify"/);
  assert.match(xml, /<zeebe:input source="Fund request waiting for two days" target="message"/);
  assert.match(xml, /<bpmn:conditionExpression[^>]*>=budget &gt; 10000<\/bpmn:conditionExpression>/);
  assert.match(xml, new RegExp(`<bpmn:exclusiveGateway id="${gateway}"[^>]* default="${toEnd}"`));
  assert.match(xml, /<bpmn:multiInstanceLoopCharacteristics>/);
  const endEvent = new RegExp(`<bpmn:endEvent id="${end}" name="Decided">\\s*<bpmn:incoming>[^<]+</bpmn:incoming>\\s*<bpmn:incoming>`);
  assert.match(xml, endEvent, 'both paths end at the end event');
  const ids = setup.committee.map((u) => `&#34;${u.id}&#34;|"${u.id}"|&quot;${u.id}&quot;`);
  for (const id of ids) assert.match(xml, new RegExp(id));
  assert.match(xml, /inputElement="approver"/);
  assert.match(xml, /<zeebe:assignmentDefinition assignee="=approver"/);

  await page.locator('[data-test="open-versions"]').click();
  await page.locator('[data-test="process-version-item"]').first().waitFor();
  assert.equal(await page.locator('[data-test="process-version-item"]').count(), 1);
  await page.locator('[data-test="versions-dialog"]').getByRole('button', { name: 'Close' }).click();

  // ------------------------------------------------ an instance runs: the admin opens the instances page
  const me = await api('GET', '/api/auth/me');
  await api('POST', `/api/processes/${processId}/instances`, { variables: { title: 'Shared GPU', budget: 15000, initiator: me.id ?? me.user?.id } });
  await page.locator('[data-test="open-instances"]').click();
  await page.waitForURL(/\/designer\/instances\?processId=/);
  await page.locator('[data-test="open-instance"]').first().waitFor();
  assert.equal(await page.locator('[data-test="open-instance"]').count(), 1);
  await shot('instances');
  await page.locator('[data-test="open-instance"]').first().click();
  await page.waitForURL(/\/designer\/instances\/[^/?]+$/);
  await page.locator(`[data-test="instance-diagram"] .djs-element.opsflow-state-active[data-element-id="${review}"]`).waitFor({ state: 'attached' });
  await page.locator('[data-test="instance-diagram"] .djs-element.opsflow-state-completed[data-element-id="StartEvent_1"]').waitFor({ state: 'attached' });
  await page.locator('[data-test="instance-variables"]').getByText('Shared GPU').waitFor();
  await shot('instance');
  // cancelling asks first
  await page.locator('[data-test="cancel-instance"]').click();
  await page.locator('[data-test="cancel-instance-dialog"] [data-test="confirm"]').click();
  await page.locator('[data-test="instance-status"][data-status="canceled"]').waitFor();
  assert.equal((await api('GET', `/api/instances?processId=${processId}&status=canceled`)).total, 1);

  // ------------------------------------------------ the same panel in Chinese
  await page.locator('[data-test="language-menu"]').click();
  await page.locator('[data-test="locale-zh-CN"]').click();
  await page.goto(`${suite.server.baseUrl}/designer/processes/${processId}`);
  await page.locator('.djs-palette').waitFor();
  await d.select(countersign);
  assert.equal(await panel.locator('#opsflow-approval option:checked').textContent(), '全部通过（会签）');
  await panel.getByText('每人都收到任务；所有人完成后才结束。').waitFor();
  await panel.getByText('审批方式').first().waitFor();
  await shot('countersign-panel-zh');
  await d.select(toCountersign);
  await panel.getByText('满足以下条件时走此路径').waitFor();
  await shot('condition-zh');
  // back to English for the journeys after this one (the language is the admin's profile setting)
  await page.locator('[data-test="language-menu"]').click();
  await page.locator('[data-test="locale-en"]').click();
  await page.locator('[data-test="language-menu"]').getByText('English').waitFor();
}

test('every model of the BPMN MIWG reference suite opens in the process designer', async () => {
  const api = await suite.adminApi();
  const app = await api('POST', '/api/apps', { name: 'Reference models' });
  const process = await api('POST', '/api/processes', { appId: app.id, name: 'MIWG' });
  const files = readdirSync(MIWG_DIR).filter((name) => name.endsWith('.bpmn')).sort();
  assert.ok(files.length >= 20, `the MIWG corpus has its models (${files.length})`);
  const { page, run } = await journeyPage(suite.browser.context, 'designer-processes-miwg-');
  await page.setViewportSize({ width: 1440, height: 900 });
  const shot = screenshotter(page, 'designer-processes-miwg-');
  await run(async () => {
    await suite.openDesigner(page, `/processes/${process.id}`);
    await page.locator('.djs-palette').waitFor();
    const importError = page.locator('[data-test="import-error"]');
    const importWarnings = page.locator('[data-test="import-warnings"]');
    for (const file of files) {
      await page.locator('[data-test="import-file"]').setInputFiles(join(MIWG_DIR, file));
      const imported = page.locator('.v-snackbar', { hasText: `${file} imported` });
      await imported.or(importError).or(importWarnings).first().waitFor();
      assert.equal(await importError.count(), 0, `${file} opens without an error`);
      assert.equal(await importWarnings.count(), 0, `${file} opens without warnings`);
      const shapes = await page.locator('[data-test="bpmn-canvas"] .djs-shape').count();
      assert.ok(shapes > 1, `${file} draws its shapes (${shapes})`);
      if (file === 'C.1.0.bpmn') await shot(`miwg-${file.replace('.bpmn', '')}`);
      // the snackbar of this file must not answer for the next one
      await page.locator('.v-snackbar').getByRole('button', { name: 'Close' }).click().catch(() => {});
      await imported.waitFor({ state: 'detached' }).catch(() => {});
    }
  });
});

const FAILING_CALL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_call" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_call" name="Supplier check" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Call" name="Ask the supplier">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" retries="1" />
        <zeebe:ioMapping><zeebe:input source="=supplierUrl" target="url" /></zeebe:ioMapping>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Call" />
    <bpmn:sequenceFlow id="f2" sourceRef="Call" targetRef="End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="Process_call">
    <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="Call_di" bpmnElement="Call"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

test('an admin sees where an instance failed, corrects its variables and retries the incident', async () => {
  const api = await suite.adminApi();
  const app = await api('POST', '/api/apps', { name: 'Suppliers' });
  const process = await api('POST', '/api/processes', { appId: app.id, name: 'Supplier check', bpmnXml: FAILING_CALL });
  await api('POST', `/api/processes/${process.id}/deploy`);
  const instance = await api('POST', `/api/processes/${process.id}/instances`, { variables: { supplierUrl: 'ftp://supplier.example/status' } });
  const openIncidents = async () => (await api('GET', `/api/incidents?instanceId=${instance.id}&status=open`)).items;
  for (let i = 0; i < 100 && (await openIncidents()).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((await openIncidents()).length, 1, 'the call to an ftp URL fails at once');

  const { page, run } = await journeyPage(suite.browser.context, 'designer-processes-incident-');
  await page.setViewportSize({ width: 1440, height: 900 });
  const shot = screenshotter(page, 'designer-processes-incident-');
  await run(async () => {
    await suite.openDesigner(page, '/instances?status=incident');
    await page.locator('[data-test="open-instance"]', { hasText: 'Supplier check' }).click();
    await page.locator('[data-test="incident"]').getByText('Ask the supplier').waitFor();
    await page.locator('[data-test="instance-diagram"] .djs-element.opsflow-state-incident[data-element-id="Call"]').waitFor({ state: 'attached' });
    await shot('incident');
    // the admin corrects the URL, then retries
    await page.locator('[data-test="edit-variables"]').click();
    await page.locator('[data-test="variables-json"] textarea').fill(JSON.stringify({ supplierUrl: 'nope' }));
    await page.locator('[data-test="save-variables"]').click();
    await page.locator('[data-test="instance-variables"]').getByText('nope').waitFor();
    await page.locator('[data-test="retry-incident"]').click();
    await page.locator('.v-snackbar').getByText('Retry started').waitFor();
    const incidents = (await api('GET', `/api/incidents?instanceId=${instance.id}`)).items;
    assert.ok(incidents.some((incident) => incident.status === 'resolved'), 'the retried incident is resolved');
    await shot('retried');
  });
});
