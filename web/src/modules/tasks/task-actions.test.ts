import { describe, expect, it } from 'vitest';
import { actionReady, availableActions } from './task-actions';

const task = (patch: Partial<{ status: 'open' | 'done' | 'canceled'; assignee: string | null; candidateUsers: string[]; candidateGroups: string[] }> = {}) =>
  ({ status: 'open' as const, assignee: 'me', candidateUsers: [], candidateGroups: [], ...patch });
const me = { me: 'me', isAdmin: false, startedBy: 'someone' };

describe('task actions', () => {
  it('offer 转办, 加签 and 驳回 to whoever holds the task, and giving a pool task back', () => {
    expect(availableActions(task(), me)).toEqual(['transfer', 'addSigner', 'return']);
    expect(availableActions(task({ candidateGroups: ['finance'] }), me)).toEqual(['transfer', 'addSigner', 'return', 'unclaim']);
  });

  it('offer 催办 to the initiator while someone else holds it, and nothing to a bystander', () => {
    expect(availableActions(task({ assignee: 'boss' }), { ...me, startedBy: 'me' })).toEqual(['urge']);
    expect(availableActions(task({ assignee: 'boss' }), me)).toEqual([]);
    expect(availableActions(task({ assignee: null, candidateGroups: ['x'] }), { ...me, startedBy: 'me' })).toEqual(['urge']);
  });

  it('let administrators act on anyone\'s task, and nobody on a finished one', () => {
    expect(availableActions(task({ assignee: 'boss' }), { ...me, isAdmin: true })).toEqual(['transfer', 'addSigner', 'return', 'urge']);
    expect(availableActions(task({ status: 'done' }), { ...me, isAdmin: true })).toEqual([]);
  });

  it('ask for a person, or for a step and a reason to go back', () => {
    expect(actionReady('transfer', { userId: null, target: null, comment: '' })).toBe(false);
    expect(actionReady('addSigner', { userId: 'u', target: null, comment: '' })).toBe(true);
    expect(actionReady('return', { userId: null, target: 'review', comment: '  ' })).toBe(false);
    expect(actionReady('return', { userId: null, target: 'review', comment: 'quote missing' })).toBe(true);
    expect(actionReady('urge', { userId: null, target: null, comment: '' })).toBe(true);
  });
});
