// Journey: an admin sets up (through the API) a fund request form that starts an approval process; an employee
// submits a request for 15,000, approves it as the manager with a comment, a finance colleague (in Chinese)
// claims an unrelated offered task and approves the request, and the employee follows the finished request
// in My requests: its timeline with both comments and the diagram with the path taken. Real built server, real Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { field, journeyPage, journeySuite, screenshotter, signOut } from './harness.js';

const EMPLOYEE = { email: 'mei@example.com', name: 'Mei Chen', password: 'Mei-passw0rd!', locale: 'en' };
const FINANCE = { email: 'wang@example.com', name: 'Wang Fang', password: 'Wang-passw0rd!', locale: 'zh-CN' };

const MANAGER_COMMENT = 'Worth it: the lab kit saves us two weeks.';
const FINANCE_COMMENT = '预算已核实，同意。';

const suite = journeySuite();

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
  'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"',
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

const shape = (id, x, y, w, h) =>
  `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}" /></bpmndi:BPMNShape>`;
const edge = (id, points) =>
  `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}">${points.map(([x, y]) => `<di:waypoint x="${x}" y="${y}" />`).join('')}</bpmndi:BPMNEdge>`;

/**
 * start → Manager review (the requester, for simplicity) → "Budget over 10,000?" → Finance review → end;
 * a rejection or a small budget ends at once. The gateway reads the outcome, so the tasks get Approve/Reject.
 */
function fundProcessXml({ formId, financeUserId, managerDueAt }) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="Defs_fund" targetNamespace="http://opsflow.test">
  <bpmn:process id="fund_request" name="Fund request approval" isExecutable="true">
    <bpmn:startEvent id="start" name="Request submitted" />
    <bpmn:userTask id="manager_review" name="Manager review">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition assignee="=initiator" />
        <zeebe:taskSchedule dueDate="${managerDueAt}" />
        <zeebe:formDefinition formId="${formId}" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="big_budget" name="Budget over 10,000?" default="to_end" />
    <bpmn:userTask id="finance_review" name="Finance review">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition assignee="${financeUserId}" />
        <zeebe:formDefinition formId="${formId}" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="Decided" />
    <bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="manager_review" />
    <bpmn:sequenceFlow id="f_review" sourceRef="manager_review" targetRef="big_budget" />
    <bpmn:sequenceFlow id="to_finance" name="yes" sourceRef="big_budget" targetRef="finance_review">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=outcome = "approved" and budget &gt; 10000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_end" sourceRef="big_budget" targetRef="end" />
    <bpmn:sequenceFlow id="f_finance" sourceRef="finance_review" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_fund">
    <bpmndi:BPMNPlane id="Plane_fund" bpmnElement="fund_request">
      ${shape('start', 152, 182, 36, 36)}
      ${shape('manager_review', 240, 160, 100, 80)}
      ${shape('big_budget', 395, 175, 50, 50)}
      ${shape('finance_review', 500, 160, 100, 80)}
      ${shape('end', 662, 182, 36, 36)}
      ${edge('f_start', [[188, 200], [240, 200]])}
      ${edge('f_review', [[340, 200], [395, 200]])}
      ${edge('to_finance', [[445, 200], [500, 200]])}
      ${edge('to_end', [[420, 175], [420, 110], [680, 110], [680, 182]])}
      ${edge('f_finance', [[600, 200], [662, 200]])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

/** A task offered to the finance colleague (not assigned), already past its due date. */
function loanProcessXml({ financeUserId, dueAt }) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="Defs_loan" targetNamespace="http://opsflow.test">
  <bpmn:process id="laptop_loan" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="hand_out" name="Hand out the laptop">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateUsers="${financeUserId}" />
        <zeebe:taskSchedule dueDate="${dueAt}" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="hand_out" />
    <bpmn:sequenceFlow id="f2" sourceRef="hand_out" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** A process started by hand whose automatic step fails at once (set-variables without its input): an incident. */
function bookingProcessXml() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="Defs_booking" targetNamespace="http://opsflow.test">
  <bpmn:process id="budget_booking" isExecutable="true">
    <bpmn:startEvent id="start" name="Booking asked" />
    <bpmn:serviceTask id="book" name="Book the budget">
      <bpmn:extensionElements><zeebe:taskDefinition type="set-variables" retries="1" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" name="Booked" />
    <bpmn:sequenceFlow id="b1" sourceRef="start" targetRef="book" />
    <bpmn:sequenceFlow id="b2" sourceRef="book" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_booking">
    <bpmndi:BPMNPlane id="Plane_booking" bpmnElement="budget_booking">
      ${shape('start', 152, 182, 36, 36)}
      ${shape('book', 240, 160, 100, 80)}
      ${shape('end', 392, 182, 36, 36)}
      ${edge('b1', [[188, 200], [240, 200]])}
      ${edge('b2', [[340, 200], [392, 200]])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}


const badge = (page) => page.locator('[data-test="nav-badge-nav.tasks"]');

test('an employee asks for funds, approves as manager, finance approves, and the employee follows the request', async () => {
  const api = await suite.adminApi();
  const app = await api('POST', '/api/apps', { name: 'Innovation fund', description: 'Ideas worth trying', icon: 'mdiLightbulbOn' });
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
    uischema: {
      type: 'VerticalLayout',
      options: { i18n: { 'zh-CN': { 'title.label': '标题', 'budget.label': '预算（元）' } } },
      elements: [{ type: 'Control', scope: '#/properties/title' }, { type: 'Control', scope: '#/properties/budget' }],
    },
    settings: { access: { submit: 'members', viewAll: ['admin'] }, anonymous: false, hiddenFields: [] },
  });
  await api('POST', `/api/forms/${form.id}/publish`);
  await api('POST', '/api/users', { ...EMPLOYEE, roles: ['member'] });
  const finance = await api('POST', '/api/users', { ...FINANCE, roles: ['member'] });

  const day = 24 * 60 * 60 * 1000;
  const fund = await api('POST', '/api/processes', {
    appId: app.id,
    name: 'Fund request approval',
    startFormId: form.id,
    bpmnXml: fundProcessXml({ formId: form.id, financeUserId: finance.id, managerDueAt: new Date(Date.now() + 3 * day).toISOString() }),
  });
  await api('POST', `/api/processes/${fund.id}/deploy`);
  const loan = await api('POST', '/api/processes', {
    appId: app.id,
    name: 'Laptop loan',
    bpmnXml: loanProcessXml({ financeUserId: finance.id, dueAt: new Date(Date.now() - day).toISOString() }),
  });
  await api('POST', `/api/processes/${loan.id}/deploy`);
  await api('POST', `/api/processes/${loan.id}/instances`, { variables: {} });
  const booking = await api('POST', '/api/processes', { appId: app.id, name: 'Budget booking', bpmnXml: bookingProcessXml() });
  await api('POST', `/api/processes/${booking.id}/deploy`);

  const { page, run, consoleErrors } = await journeyPage(suite.browser.context, 'tasks-');
  const shot = screenshotter(page, 'tasks-');
  await run(async () => {
    // ── The employee submits the start form: the request starts and its first task is theirs.
    await suite.signIn(page, EMPLOYEE);
    await page.locator(`[data-test="app-${app.id}"]`).getByText('Fund request').click();
    await field(page, 'title').fill('Lab kit for the prototype');
    await field(page, 'budget').fill('15000');
    await page.locator('[data-test="submit-form"]').click();
    await page.locator('[data-test="submit-success"]').waitFor();

    // ── My tasks: the badge counts one task, the inbox shows it with its process and due date.
    await page.locator('[data-test="nav-nav.tasks"]').click();
    await page.waitForURL(/\/tasks$/);
    await badge(page).getByText('1', { exact: true }).waitFor();
    await page.locator('[data-test="tab-count-mine"]').getByText('1', { exact: true }).waitFor();
    const item = page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: 'Manager review' });
    await item.getByText('Fund request approval').waitFor();
    await item.locator('[data-test="due-later"]').waitFor();
    // the filters narrow the list and say so when nothing is left
    await page.locator('[data-test="inbox-search"] input').fill('finance');
    await page.getByText('No tasks match the filters').waitFor();
    await page.locator('[data-test="inbox-clear"]').click();
    await item.waitFor();
    await shot('inbox-my-tasks');

    // ── The task page: the form is pre-filled from the request, the history says who started it.
    await item.click();
    await page.waitForURL(/\/tasks\/[^/]+$/);
    await page.locator('[data-test="task-title"]').getByText('Manager review').waitFor();
    await page.locator('[data-test="task-meta"]').getByText('Requested by Mei Chen').waitFor();
    assert.equal(await field(page, 'title').inputValue(), 'Lab kit for the prototype');
    assert.equal(await field(page, 'budget').inputValue(), '15000');
    const history = page.locator('[data-test="task-history"]');
    await history.locator('[data-test="timeline-started"]').getByText('Mei Chen started the request').waitFor();
    await history.locator('[data-test="timeline-waiting"]').getByText('Waiting for you').waitFor();
    // a wrong value is caught on its field before anything is sent
    await field(page, 'budget').fill('-5');
    await page.locator('[data-test="approve-task"]').click();
    await page.locator('[data-test="form-alert"]').waitFor();
    await page.locator('[id^="#/properties/budget"]').getByText(/must be >= 0|at least 0|不能小于 0/i).first().waitFor();
    await shot('task-invalid-budget');
    await field(page, 'budget').fill('15000');
    await page.locator('[data-test="task-comment"] textarea').first().fill(MANAGER_COMMENT);
    await shot('task-manager-review');
    await page.locator('[data-test="approve-task"]').click();

    // ── Back in the inbox with a confirmation; nothing left to do.
    await page.waitForURL(/\/tasks$/);
    await page.locator('[data-test="snackbar"]').getByText('You approved “Manager review”.').waitFor();
    await page.getByText('Nothing waiting for you').waitFor();
    await badge(page).waitFor({ state: 'detached' });
    await shot('inbox-after-approval');

    // ── Involved: the request's next step is with finance; it leads to the request, amber where it waits.
    await page.locator('[data-test="tab-involved"]').click();
    const next = page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: 'Finance review' });
    await next.locator('[data-test="task-holder"]').getByText('With Wang Fang').waitFor();
    await next.click();
    await page.waitForURL(/\/requests\/[^/]+$/);
    await page.locator('[data-test="status-active"]').getByText('In progress').waitFor();
    await page.locator('[data-test="timeline-waiting"]').getByText('Waiting for Wang Fang').waitFor();
    const waitingDiagram = page.locator('[data-test="process-diagram"]');
    await waitingDiagram.locator('.djs-element[data-element-id="finance_review"].opsflow-active').waitFor();
    await waitingDiagram.locator('.djs-element[data-element-id="manager_review"].opsflow-done').waitFor();
    assert.equal(await waitingDiagram.locator('.djs-element[data-element-id="end"].opsflow-done').count(), 0, 'the end is not reached yet');
    await shot('request-waiting-for-finance');
    await signOut(page);

    // ── Finance (in Chinese): an offered task to claim, and the request to approve.
    await suite.signIn(page, FINANCE);
    await badge(page).getByText('2', { exact: true }).waitFor();
    await page.locator('[data-test="home-tasks"]').getByText('有 2 个任务等你处理').waitFor();
    await page.locator('[data-test="nav-nav.tasks"]').click();
    await page.locator('[data-test="tab-candidate"]').click();
    const offered = page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: 'Hand out the laptop' });
    await offered.locator('[data-test="due-overdue"]').getByText('已逾期').waitFor();
    await page.locator('[data-test="inbox-overdue"] input').check();
    await offered.waitFor();
    await shot('inbox-candidate-overdue-zh');
    await offered.locator('[data-test="claim-task"]').click();
    await page.locator('[data-test="snackbar"]').getByText('你已认领“Hand out the laptop”').waitFor();
    await page.locator('[data-test="snackbar"]').getByRole('button', { name: '关闭' }).click();
    // the filters stay while switching tabs, and the empty list says so
    await page.getByText('没有符合筛选条件的任务').waitFor();
    await page.locator('[data-test="inbox-overdue"] input').uncheck();
    await page.getByText('暂无可认领的任务').waitFor();
    // ── Live: a task offered to finance while the inbox is open shows up without a reload (GET /api/live).
    await api('POST', `/api/processes/${loan.id}/instances`, { variables: {} });
    await page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: 'Hand out the laptop' }).waitFor();
    await page.locator('[data-test="tab-count-candidate"]').getByText('1', { exact: true }).waitFor();
    await shot('inbox-live-new-task-zh');
    await page.locator('[data-test="tab-mine"]').click();
    const review = page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: 'Finance review' });
    await page.locator('[data-test="task-list"] [data-test^="task-"]').filter({ hasText: 'Hand out the laptop' }).waitFor();
    await review.click();
    await page.locator('[data-test="task-title"]').getByText('Finance review').waitFor();
    assert.equal(await field(page, 'budget').inputValue(), '15000');
    const financeHistory = page.locator('[data-test="task-history"]');
    await financeHistory.locator('[data-test="timeline-task"]').getByText('Mei Chen 同意').waitFor();
    await financeHistory.locator('[data-test="timeline-comment"]').getByText(MANAGER_COMMENT).waitFor();
    await page.locator('[data-test="task-comment"] textarea').first().fill(FINANCE_COMMENT);
    await shot('task-finance-review-zh');
    // approvers often decide on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-test="approve-task"]').scrollIntoViewIfNeeded();
    await shot('task-finance-review-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-test="approve-task"]').click();
    await page.waitForURL(/\/tasks$/);
    await page.locator('[data-test="snackbar"]').getByText('你已同意“Finance review”。').waitFor();
    await signOut(page);
    // the next person signs in on an English page
    await page.evaluate(() => localStorage.setItem('opsflow.locale', 'en'));

    // ── The employee follows the request: completed, both comments, the path on the diagram.
    await suite.signIn(page, EMPLOYEE);
    await page.locator('[data-test="nav-nav.requests"]').click();
    await page.waitForURL(/\/requests$/);
    const request = page.locator('[data-test="request-list"] [data-test^="request-"]').filter({ hasText: 'Lab kit for the prototype' });
    await request.locator('[data-test="status-completed"]').getByText('Completed').waitFor();
    await shot('my-requests');
    await request.click();
    await page.waitForURL(/\/requests\/[^/]+$/);
    await page.locator('[data-test="request-completed"]').waitFor();
    const timeline = page.locator('[data-test="request-timeline"]');
    await timeline.getByText('Mei Chen approved').waitFor();
    await timeline.getByText('Wang Fang approved').waitFor();
    await timeline.getByText(MANAGER_COMMENT).waitFor();
    await timeline.getByText(FINANCE_COMMENT).waitFor();
    await timeline.locator('[data-test="timeline-ended"]').waitFor();
    assert.equal(await timeline.getByText('Budget over 10,000?').count(), 0, 'the gateway is plumbing, not a step people see');
    const diagram = page.locator('[data-test="process-diagram"]');
    await diagram.locator('.djs-element[data-element-id="finance_review"].opsflow-done').waitFor();
    for (const id of ['start', 'manager_review', 'big_budget', 'end']) {
      await diagram.locator(`.djs-element[data-element-id="${id}"].opsflow-done`).waitFor();
    }
    // (a straight connection has no height, so Playwright never calls it visible)
    for (const id of ['f_start', 'f_review', 'to_finance', 'f_finance']) {
      await diagram.locator(`.djs-element[data-element-id="${id}"].opsflow-taken`).waitFor({ state: 'attached' });
    }
    assert.equal(await diagram.locator('.djs-element[data-element-id="to_end"].opsflow-taken').count(), 0, 'the flow not taken stays plain');
    assert.equal(await diagram.locator('.opsflow-active, .opsflow-failed').count(), 0, 'a finished request waits nowhere');
    await shot('request-completed');

    // ── A request started directly from My requests stops at a failing automatic step: the page says so in red.
    await page.locator('[data-test="back-to-requests"]').click();
    await page.locator('[data-test="new-request"]').click();
    await page.locator('[data-test="process-list"]').getByText('Budget booking').click();
    await page.locator('[data-test="confirm-dialog"]').getByText('Start “Budget booking”?').waitFor();
    await page.locator('[data-test="confirm"]').click();
    await page.waitForURL(/\/requests\/[^/]+$/);
    await page.locator('[data-test="request-title"]').getByText('Budget booking').waitFor();
    // the automatic step runs as a job just after the start: look again until it has failed
    for (let attempt = 0; attempt < 20 && (await page.locator('[data-test="request-incident"]').count()) === 0; attempt += 1) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.locator('[data-test="request-title"]').waitFor();
    }
    await page.locator('[data-test="request-incident"]').getByText('The request is held up at “Book the budget”').waitFor();
    await page.locator('[data-test="status-incident"]').getByText('Needs attention').waitFor();
    await page.locator('[data-test="timeline-failed"]').getByText('Book the budget').waitFor();
    const stuck = page.locator('[data-test="process-diagram"]');
    await stuck.locator('.djs-element[data-element-id="book"].opsflow-failed').waitFor();
    await stuck.locator('.djs-element[data-element-id="start"].opsflow-done').waitFor();
    await stuck.locator('.djs-element[data-element-id="b1"].opsflow-taken').waitFor({ state: 'attached' });
    await shot('request-incident');
    // nobody acted on it yet, so the employee may take it back
    await page.locator('[data-test="withdraw"]').click();
    await page.locator('[data-test="confirm-dialog"]').getByText('Withdraw this request?').waitFor();
    await page.locator('[data-test="confirm"]').click();
    await page.locator('[data-test="request-canceled"]').getByText('You withdrew this request.').waitFor();
    await page.locator('[data-test="status-canceled"]').getByText('Cancelled').waitFor();
    await page.locator('[data-test="timeline-withdrawn"]').getByText('Mei Chen withdrew the request').waitFor();
    assert.equal(await page.locator('[data-test="withdraw"]').count(), 0, 'an ended request cannot be withdrawn again');

    // bpmn-js and the rest ran under the Content-Security-Policy (no eval, no inline scripts)
    assert.deepEqual(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text)), []);
  });
});
