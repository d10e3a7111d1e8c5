import { describe, expect, it } from 'vitest';
import { requestSummary } from './summary';

describe('requestSummary', () => {
  it('names a request by its title, else another naming variable', () => {
    expect(requestSummary({ title: '  Lab   kit ', budget: 15000 })).toBe('Lab kit');
    expect(requestSummary({ title: '', subject: '请假三天' })).toBe('请假三天');
    expect(requestSummary({ budget: 1 })).toBeNull();
    expect(requestSummary({ title: 'x'.repeat(200) })).toHaveLength(80);
  });
});
