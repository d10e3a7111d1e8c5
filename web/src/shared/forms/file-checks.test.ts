import { describe, expect, it } from 'vitest';
import { acceptsFile, checkFiles, formatBytes } from './file-checks';

const file = (name: string, size: number, type = '') => ({ name, size, type });

describe('file checks', () => {
  it('reads accept like the browser and the server: endings, wildcards, exact types', () => {
    expect(acceptsFile('.pdf, image/*', file('Scan.PDF', 1))).toBe(true);
    expect(acceptsFile('.pdf,image/*', file('photo.heic', 1, 'image/heic'))).toBe(true);
    expect(acceptsFile('.pdf,image/*', file('notes.txt', 1, 'text/plain'))).toBe(false);
    expect(acceptsFile('application/pdf', file('x', 1, 'application/pdf'))).toBe(true);
    expect(acceptsFile('', file('anything.exe', 1))).toBe(true);
  });

  it('keeps the files that fit and names the problem of each other one', () => {
    const picked = [file('a.pdf', 100), file('b.exe', 10), file('c.pdf', 5000), file('d.pdf', 10), file('e.pdf', 10)];
    const { accepted, problems } = checkFiles(picked, 1, { maxFiles: 3, maxSize: 1000, accept: '.pdf' });
    expect(accepted.map((f) => f.name)).toEqual(['a.pdf', 'd.pdf']);
    expect(problems).toEqual([
      { kind: 'wrongType', accept: '.pdf', name: 'b.exe' },
      { kind: 'tooLarge', max: 1000, name: 'c.pdf' },
      { kind: 'tooMany', max: 3, name: 'e.pdf' },
    ]);
    expect(checkFiles(picked, 0, {}).accepted).toHaveLength(5);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(900, 'en')).toBe('900 B');
    expect(formatBytes(2048, 'en')).toBe('2 KB');
    expect(formatBytes(1572864, 'zh-CN')).toBe('1.5 MB');
  });
});
