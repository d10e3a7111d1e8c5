import { describe, expect, it } from 'vitest';
import { lintProblems, problemsByElement, serverProblems, touchProblems } from './problems';

describe('deploy problems', () => {
  it('come from the 422 details, one per element, the file-wide ones without an element', () => {
    const problems = serverProblems([{ path: 'Flow_1', message: 'needs a condition' }, { path: '', message: 'not executable' }]);
    expect(problems).toEqual([
      { elementId: 'Flow_1', message: 'needs a condition', source: 'server', severity: 'error' },
      { elementId: null, message: 'not executable', source: 'server', severity: 'error' },
    ]);
    expect([...problemsByElement(problems).keys()]).toEqual(['Flow_1']);
  });

  it('take bpmnlint reports by element and leave out rule errors', () => {
    expect(lintProblems({ 'end-event-required': [{ id: 'Process_1', message: 'missing end event', category: 'error' }], x: [{ message: 'broken rule', category: 'rule-error' }] }))
      .toEqual([{ elementId: 'Process_1', message: 'missing end event', source: 'lint', severity: 'error' }]);
  });

  it('are marked touched once their element is edited', () => {
    const touched = touchProblems(serverProblems([{ path: 'A', message: 'a' }, { path: 'B', message: 'b' }]), ['B']);
    expect(touched.map((p) => p.touched ?? false)).toEqual([false, true]);
  });

  it('shows a problem in the user\'s language by its code, keeping the server\'s words beside it', () => {
    const translated = serverProblems(
      [{ path: 'Flow_1', code: 'missing_condition', message: 'The flow to "Finance" needs a condition' }, { path: 'X', code: 'new_code', message: 'as is' }],
      (detail) => (detail.code === 'missing_condition' ? '“Finance”：此路径需要条件' : null),
    );
    expect(translated).toEqual([
      { elementId: 'Flow_1', message: '“Finance”：此路径需要条件', detail: 'The flow to "Finance" needs a condition', source: 'server', severity: 'error' },
      { elementId: 'X', message: 'as is', source: 'server', severity: 'error' },
    ]);
  });
});
