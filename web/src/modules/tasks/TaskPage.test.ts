import { ApiError } from '@opsflow/plugin-sdk';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { directoryApi } from '../../shared';
import { instancesApi, processesApi, tasksApi, type InstanceDetail, type TaskDetail } from '../../shared/api/processes';
import { useNotifyStore } from '../../shared/stores/notify';
import { flush, mountWithApp } from '../../shared/testing';
import en from '../../lang/en.json';
import zhCN from '../../lang/zh-CN.json';
import TaskPage from './TaskPage.vue';

vi.mock('../../shared/api/processes', async (original) => ({
  ...(await original<typeof import('../../shared/api/processes')>()),
  tasksApi: { get: vi.fn(), complete: vi.fn(), claim: vi.fn(), list: vi.fn() },
  instancesApi: { get: vi.fn(), history: vi.fn() },
  processesApi: { version: vi.fn(), list: vi.fn() },
}));
vi.mock('../../shared/api/forms', async (original) => ({
  ...(await original<typeof import('../../shared/api/forms')>()),
  directoryApi: { user: vi.fn() },
}));

const task: TaskDetail = {
  id: 't1', instanceId: 'i1', processId: 'p1', elementId: 'manager_review', name: 'Manager review', assignee: null, candidateUsers: [],
  candidateGroups: [], ccUsers: [], ccGroups: [], status: 'open', formId: 'f1', dueAt: null, followUpAt: null, createdAt: '2026-03-01T09:00:00Z', endedAt: null,
  outcome: null, processName: 'Fund request approval', processVersion: 2, instanceStatus: 'active', startedBy: 'u1',
  variables: { title: 'Lab kit', budget: 15000, initiator: 'u1', recordId: 'r1' }, editableFields: null,
  form: {
    formId: 'f1', name: 'Fund request', version: 1,
    schema: { type: 'object', required: ['title'], properties: { title: { type: 'string', title: 'Title' }, budget: { type: 'number', title: 'Budget', minimum: 0 } } },
    uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/title' }, { type: 'Control', scope: '#/properties/budget' }] },
  },
};

const instance: InstanceDetail = {
  id: 'i1', processId: 'p1', processName: 'Fund request approval', version: 2, status: 'active', variables: {}, businessKey: null, startedBy: 'u1',
  recordId: 'r1', parentInstanceId: null, createdAt: '2026-03-01T09:00:00Z', endedAt: null, bpmnProcessId: 'fund',
  activeElements: [{ elementInstanceId: 'e1', elementId: 'manager_review', state: 'waiting', startedAt: '2026-03-01T09:00:00Z' }], incidents: [],
};

function bpmn(condition: string): string {
  return `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="fund">
    <bpmn:userTask id="manager_review" name="Manager review" />
    <bpmn:sequenceFlow id="f" sourceRef="g" targetRef="e"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process></bpmn:definitions>`;
}

const typingSettled = () => new Promise((resolve) => setTimeout(resolve, 400));

async function mountPage(locale: 'en' | 'zh-CN' = 'en') {
  const routes = [
    { path: '/', name: 'home', component: { template: '<div />' } },
    { path: '/tasks', name: 'tasks', component: { template: '<div data-test="inbox">inbox</div>' } },
    { path: '/tasks/:taskId', name: 'task', component: TaskPage },
    { path: '/requests/:instanceId', name: 'request', component: { template: '<div />' } },
  ];
  const mounted = await mountWithApp({ template: '<router-view />' }, { routes, locale, messages: { en, 'zh-CN': zhCN } });
  await mounted.router.push('/tasks/t1');
  await flush();
  await flush();
  return mounted;
}

const input = (wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper'], name: string) =>
  wrapper.findAll('input').find((i) => new RegExp(`^#/properties/${name}\\d*-input$`).test(i.attributes('id') ?? ''))!;

describe('TaskPage', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(tasksApi.get).mockReset().mockResolvedValue({ ...task, assignee: 'me' });
    vi.mocked(tasksApi.complete).mockReset().mockResolvedValue(undefined);
    vi.mocked(tasksApi.list).mockReset().mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 1 });
    vi.mocked(instancesApi.get).mockReset().mockResolvedValue(instance);
    vi.mocked(instancesApi.history).mockReset().mockResolvedValue([
      {
        elementId: 'start', elementType: 'startEvent', name: 'Request submitted', status: 'completed', startedAt: '2026-03-01T09:00:00Z',
        endedAt: '2026-03-01T09:00:00Z', actor: null, actorName: null, outcome: null, comment: null, target: null, targetName: null,
      },
    ]);
    vi.mocked(processesApi.version).mockReset().mockResolvedValue({
      id: 'v2', version: 2, bpmnProcessId: 'fund', deployedBy: null, deployedByName: null, deployedAt: '', processId: 'p1',
      bpmnXml: bpmn('=outcome = "approved" and budget &gt; 10000'),
    });
    vi.mocked(directoryApi.user).mockReset().mockResolvedValue({ id: 'u1', name: 'Mei Chen', email: 'mei@example.com' });
  });

  it('pre-fills the form from the request, shows its history and approves with the comment', async () => {
    const { wrapper, router, pinia } = await mountPage();
    expect(wrapper.find('[data-test="task-title"]').text()).toBe('Manager review');
    expect(wrapper.find('[data-test="task-meta"]').text()).toContain('Requested by Mei Chen');
    expect((input(wrapper, 'title').element as HTMLInputElement).value).toBe('Lab kit');
    expect((input(wrapper, 'budget').element as HTMLInputElement).value).toBe('15000');
    expect(wrapper.find('[data-test="request-timeline"]').text()).toContain('Mei Chen started the request');
    expect(wrapper.find('[data-test="complete-task"]').exists()).toBe(false);

    await wrapper.find('[data-test="task-comment"] textarea').setValue('  Worth it  ');
    await wrapper.find('[data-test="approve-task"]').trigger('click');
    await typingSettled();
    await flush();
    // only the form's fields go back (not initiator or recordId), with the outcome and the trimmed comment
    expect(tasksApi.complete).toHaveBeenCalledWith('t1', { data: { title: 'Lab kit', budget: 15000 }, outcome: 'approved', comment: 'Worth it' });
    expect(router.currentRoute.value.name).toBe('tasks');
    expect(useNotifyStore(pinia).message).toBe('You approved “Manager review”.');
  });

  it('offers a plain Complete when the process does not read the outcome', async () => {
    vi.mocked(processesApi.version).mockResolvedValue({
      id: 'v2', version: 2, bpmnProcessId: 'fund', deployedBy: null, deployedByName: null, deployedAt: '', processId: 'p1', bpmnXml: bpmn('=budget &gt; 10000'),
    });
    const { wrapper } = await mountPage('zh-CN');
    expect(wrapper.find('[data-test="approve-task"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="complete-task"]').text()).toBe('完成');
    await wrapper.find('[data-test="complete-task"]').trigger('click');
    await typingSettled();
    await flush();
    expect(tasksApi.complete).toHaveBeenCalledWith('t1', { data: { title: 'Lab kit', budget: 15000 }, outcome: undefined, comment: undefined });
  });

  it('puts the server 422 on its field and stays on the page', async () => {
    vi.mocked(tasksApi.complete).mockRejectedValue(
      new ApiError(422, 'validation_failed', 'Invalid', [{ path: 'data.budget', message: 'Over the yearly limit' }]),
    );
    const { wrapper, router } = await mountPage();
    await wrapper.find('[data-test="reject-task"]').trigger('click');
    await typingSettled();
    await flush();
    expect(tasksApi.complete).toHaveBeenCalledWith('t1', expect.objectContaining({ outcome: 'rejected' }));
    expect(wrapper.find('[id^="#/properties/budget"]').text()).toContain('Over the yearly limit');
    expect(wrapper.find('[data-test="form-alert"]').text()).toBe('Some fields are not valid. Check the highlighted fields.');
    expect(router.currentRoute.value.name).toBe('task');
  });

  it('says so when someone else finished the task meanwhile', async () => {
    vi.mocked(tasksApi.complete).mockRejectedValue(new ApiError(409, 'task_not_open', 'This task has already been completed or cancelled'));
    const { wrapper } = await mountPage();
    await wrapper.find('[data-test="approve-task"]').trigger('click');
    await typingSettled();
    await flush();
    expect(wrapper.find('[data-test="task-gone"]').text()).toContain('This task has already been completed');
    expect(wrapper.find('[data-test="task-decision"]').exists()).toBe(false);
  });

  it('asks a candidate to claim, and explains why the history is not shown yet', async () => {
    vi.mocked(tasksApi.get).mockResolvedValue(task);
    vi.mocked(instancesApi.get).mockRejectedValue(new ApiError(404, 'not_found', 'The process instance was not found'));
    vi.mocked(tasksApi.claim).mockResolvedValue({ ...task, assignee: 'me' });
    const { wrapper } = await mountPage();
    expect(wrapper.find('[data-test="task-unclaimed"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="history-hidden"]').text()).toBe('The request\'s history shows once you claim this task.');
    vi.mocked(tasksApi.get).mockResolvedValue({ ...task, assignee: 'me' });
    vi.mocked(instancesApi.get).mockResolvedValue(instance);
    await wrapper.find('[data-test="claim-task"]').trigger('click');
    await flush();
    await flush();
    expect(tasksApi.claim).toHaveBeenCalledWith('t1');
    expect(wrapper.find('[data-test="task-unclaimed"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="request-timeline"]').exists()).toBe(true);
  });
});
