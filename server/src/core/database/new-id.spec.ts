import { newId } from './new-id.js';

describe('newId', () => {
  it('is a version-7 UUID that sorts by creation time and does not repeat', () => {
    const before = Date.now();
    const ids = Array.from({ length: 2000 }, () => newId());
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const times = ids.map((id) => parseInt(id.replace(/-/g, '').slice(0, 12), 16));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(before);
    expect(Math.max(...times)).toBeLessThanOrEqual(after);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
