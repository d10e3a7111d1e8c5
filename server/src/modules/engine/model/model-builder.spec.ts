import { compileProcess, type ModelProblem } from './model-builder.js';

const definitions = (body: string, attributes = '', extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs" targetNamespace="http://opsflow.test" ${attributes}>
  ${extra}
  <bpmn:process id="P" isExecutable="true">
    ${body}
  </bpmn:process>
</bpmn:definitions>`;

const flow = (id: string, from: string, to: string, condition?: string, language = '') =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${condition
    ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${language ? ` language="${language}"` : ''}>${condition}</bpmn:conditionExpression>`
    : ''}</bpmn:sequenceFlow>`;

const START_TO_END = `<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${flow('f0', 'start', 'end')}`;

async function problemsOf(xml: string): Promise<ModelProblem[]> {
  const compiled = await compileProcess(xml);
  if (compiled.problems.length === 0) expect(compiled.model).not.toBeNull();
  else expect(compiled.model).toBeNull();
  return compiled.problems;
}

const codesById = (problems: ModelProblem[]) => problems.map((problem) => `${problem.elementId}: ${problem.code}`);

describe('compileProcess', () => {
  it('compiles a valid process without problems', async () => {
    expect(await problemsOf(definitions(START_TO_END))).toEqual([]);
  });

  describe('duplicate ids', () => {
    it('refuses two elements with one id (moddle keeps only the first), and still reports the other problems', async () => {
      const problems = await problemsOf(definitions(`
        <bpmn:startEvent id="start" /><bpmn:userTask id="twice" /><bpmn:serviceTask id="twice" /><bpmn:complexGateway id="odd" />
        <bpmn:endEvent id="end" />${flow('f1', 'start', 'twice')}${flow('f2', 'twice', 'end')}`));
      expect(codesById(problems)).toEqual(['twice: duplicate_id', 'odd: unsupported_element']);
      expect(problems[0].message).toBe('Several elements use the id "twice" (one of them a service task); every id in the file must be unique');
    });

    it('refuses an element that reuses the process id', async () => {
      expect(codesById(await problemsOf(definitions(`${START_TO_END}<bpmn:task id="P" />`)))).toEqual(['P: duplicate_id']);
    });
  });

  describe('unsupported elements', () => {
    it.each([
      ['complex gateway', '<bpmn:complexGateway id="x" />', 'x: a complex gateway is not supported by the Opsflow engine'],
      ['transaction', '<bpmn:transaction id="x"><bpmn:startEvent id="inner" /></bpmn:transaction>', 'x: a transaction is not supported by the Opsflow engine'],
      ['ad hoc subprocess', '<bpmn:adHocSubProcess id="x" />', 'x: an ad hoc sub process is not supported by the Opsflow engine'],
      ['event subprocess', '<bpmn:subProcess id="x" triggeredByEvent="true"><bpmn:startEvent id="inner" /></bpmn:subProcess>', 'x: event subprocesses are not supported yet; use boundary events'],
      ['compensation handler', '<bpmn:task id="x" isForCompensation="true" />', 'x: compensation handlers are not supported by the Opsflow engine'],
      ['signal catch event', '<bpmn:intermediateCatchEvent id="x"><bpmn:signalEventDefinition /></bpmn:intermediateCatchEvent>', 'x: signal events are not supported by the Opsflow engine'],
      ['link throw event', '<bpmn:intermediateThrowEvent id="x"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateThrowEvent>', 'x: link events are not supported by the Opsflow engine'],
    ])('names the %s by its id, once', async (_kind, element, expected) => {
      const problems = await problemsOf(definitions(`${START_TO_END}${element}`));
      expect(problems.map((problem) => ({ elementId: problem.elementId, code: problem.code, message: problem.message })))
        .toEqual([{ elementId: 'x', code: 'unsupported_element', message: expected }]);
    });

    it('reports an event whose trigger it refuses once, not again as a plain event', async () => {
      const problems = await problemsOf(definitions(`
        <bpmn:startEvent id="start" /><bpmn:startEvent id="conditional"><bpmn:conditionalEventDefinition /></bpmn:startEvent>
        <bpmn:userTask id="task" />
        <bpmn:boundaryEvent id="escalation" attachedToRef="task"><bpmn:escalationEventDefinition /></bpmn:boundaryEvent>
        <bpmn:intermediateCatchEvent id="noTime"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="end" />
        ${flow('f1', 'start', 'task')}${flow('f2', 'task', 'noTime')}${flow('f3', 'noTime', 'end')}${flow('f4', 'conditional', 'task')}`));
      expect(codesById(problems)).toEqual(['conditional: unsupported_element', 'escalation: unsupported_element', 'noTime: timer_invalid']);
      expect(problems[2].message).toBe('noTime: the timer has no duration, date or cycle');
    });
  });

  describe('messages', () => {
    it('writes names on one line, and falls back to the id for an empty name', async () => {
      const problems = await problemsOf(definitions(`${START_TO_END}
        <bpmn:serviceTask id="a" name="Archive&#10;  invoice" /><bpmn:serviceTask id="b" name="" />`));
      expect(problems.map((problem) => problem.message)).toEqual([
        'Archive invoice: choose what the task does (a task type such as http.request)',
        'b: choose what the task does (a task type such as http.request)',
      ]);
    });

    it('asks for the message a throw event sends, and for the task type that sends it', async () => {
      const problems = await problemsOf(definitions(`
        <bpmn:startEvent id="start" /><bpmn:intermediateThrowEvent id="tell"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="end" />${flow('f1', 'start', 'tell')}${flow('f2', 'tell', 'end')}`));
      expect(problems.map((problem) => `${problem.code}: ${problem.message}`)).toEqual([
        'missing_message: tell: choose the message (with a name) the event sends',
        'missing_task_type: tell: a message throw event needs a task type that sends the message',
      ]);
    });
  });

  describe('conditions in another expression language', () => {
    const gateway = (condition: string, language = '') => `
      <bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="gw" default="other" /><bpmn:endEvent id="yes" /><bpmn:endEvent id="no" />
      ${flow('f1', 'start', 'gw')}${flow('approved', 'gw', 'yes', condition, language)}${flow('other', 'gw', 'no')}`;

    it('says a JUEL condition is not FEEL', async () => {
      const [problem] = await problemsOf(definitions(gateway('${approved == true}')));
      expect(problem).toMatchObject({ elementId: 'approved', code: 'feel_syntax' });
      expect(problem.message).toMatch(/^Condition \(written in JUEL \(\$\{\.\.\.\}\); Opsflow conditions are FEEL expressions such as =amount > 100\): .*(does not parse|single "=")/);
    });

    it('names the language a condition or the file states', async () => {
      const [own] = await problemsOf(definitions(gateway('approved &amp;&amp; amount &gt; 10', 'javascript')));
      expect(own.message).toMatch(/^Condition \(written in javascript;/);
      const [stated] = await problemsOf(definitions(gateway("bpmn:getDataObject('approved')"), 'expressionLanguage="http://www.w3.org/1999/XPath"'));
      expect(stated.message).toMatch(/^Condition \(written in http:\/\/www\.w3\.org\/1999\/XPath;/);
    });

    it('accepts FEEL whatever language the file states, and adds no hint without one', async () => {
      expect(await problemsOf(definitions(gateway('=approved = true'), 'expressionLanguage="http://www.w3.org/1999/XPath"'))).toEqual([]);
      const [plain] = await problemsOf(definitions(gateway('approved ==')));
      expect(plain.message).toMatch(/^Condition: /);
    });
  });
});

const flowXml = (flowName: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="g" name="Budget over 10,000?" />
    <bpmn:userTask id="finance" name="Finance review" /><bpmn:endEvent id="e" name="Decided" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g" />
    <bpmn:sequenceFlow id="Flow_1abc" ${flowName} sourceRef="g" targetRef="finance" />
    <bpmn:sequenceFlow id="Flow_2def" sourceRef="g" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

describe('deploy problems on flows', () => {
  it('name an unnamed flow by where it leads, never by its generated id', async () => {
    const { problems } = await compileProcess(flowXml(''));
    expect(problems.map((problem) => [problem.elementId, problem.message])).toEqual([
      ['Flow_1abc', 'The flow to "Finance review": a flow leaving the gateway "Budget over 10,000?" needs a condition, or must be its default flow'],
      ['Flow_2def', 'The flow to "Decided": a flow leaving the gateway "Budget over 10,000?" needs a condition, or must be its default flow'],
    ]);
  });

  it('use the flow\'s own name when it has one', async () => {
    const { problems } = await compileProcess(flowXml('name="Large budgets"'));
    expect(problems[0].message).toMatch(/^Large budgets: /);
  });
});
