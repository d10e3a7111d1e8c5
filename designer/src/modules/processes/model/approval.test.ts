import { describe, expect, it } from 'vitest';
import { approvalPlan, readApproval, type ApprovalSettings } from './approval';

const users = { kind: 'users' as const, userIds: ['u1', 'u2', 'u3'] };

describe('approval modes', () => {
  it('或签: parallel multi-instance done when one approver completed', () => {
    expect(approvalPlan({ mode: 'any', approvers: users, ratio: 0.5 })).toEqual({
      loop: {
        isSequential: false, inputCollection: '=["u1", "u2", "u3"]', inputElement: 'approver',
        outputCollection: undefined, outputElement: undefined, completionCondition: '=nrOfCompletedInstances >= 1',
      },
      assignee: '=approver',
    });
  });

  it('会签: parallel multi-instance without a completion condition', () => {
    const plan = approvalPlan({ mode: 'all', approvers: users, ratio: 0.5 });
    expect(plan.loop).toMatchObject({ isSequential: false, completionCondition: undefined, inputCollection: '=["u1", "u2", "u3"]' });
  });

  it('sequential approvers one after another', () => {
    expect(approvalPlan({ mode: 'sequential', approvers: { kind: 'expression', expression: 'reviewers' }, ratio: 0.5 }).loop)
      .toMatchObject({ isSequential: true, inputCollection: '=reviewers', completionCondition: undefined });
  });

  it('voting collects each approval and stops at the ratio', () => {
    expect(approvalPlan({ mode: 'vote', approvers: users, ratio: 2 / 3 }).loop).toMatchObject({
      outputCollection: 'approvals', outputElement: '=approved',
      completionCondition: '=count(approvals[item = true]) / nrOfInstances >= 0.67',
    });
  });

  it('a single approver removes the loop', () => {
    expect(approvalPlan({ mode: 'single', approvers: users, ratio: 0.5 })).toEqual({ loop: null, assignee: undefined });
  });

  it('reads back every mode it wrote', () => {
    const modes: ApprovalSettings[] = [
      { mode: 'any', approvers: users, ratio: 0.5 },
      { mode: 'all', approvers: users, ratio: 0.5 },
      { mode: 'sequential', approvers: { kind: 'expression', expression: '=reviewers' }, ratio: 0.5 },
      { mode: 'vote', approvers: users, ratio: 0.75 },
      { mode: 'single', approvers: { kind: 'users', userIds: [] }, ratio: 0.5 },
    ];
    for (const settings of modes) expect(readApproval(approvalPlan(settings).loop)).toEqual(settings);
  });
});
