import { describe, expect, it } from 'vitest';
import { cleanHtml, htmlToText, toHtml } from './rich-text';

describe('rich text in the browser', () => {
  it('keeps the editor formatting and drops everything that could run', () => {
    const html = cleanHtml('<img src=x onerror="window.hacked=1"><script>window.hacked=2</script><h2>Plan</h2><p style="color:red" onclick="x()">'
      + '<strong>bold</strong> <a href="javascript:alert(1)">bad</a> <a href="https://example.com">good</a></p><svg><g onload="x()"/></svg>');
    expect(html).toBe('<h2>Plan</h2><p><strong>bold</strong> <a target="_blank" rel="noopener noreferrer nofollow">bad</a> '
      + '<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">good</a></p>');
    expect((window as unknown as { hacked?: number }).hacked).toBeUndefined();
  });

  it('turns plain text saved before the field was rich into paragraphs, as text', () => {
    expect(toHtml('line one\n<b>not bold</b> & more')).toBe('<p>line one</p><p>&lt;b&gt;not bold&lt;/b&gt; &amp; more</p>');
    expect(toHtml(undefined)).toBe('');
  });

  it('gives the words of rich text for table cells', () => {
    expect(htmlToText('<h2>Plan</h2><ul><li><p>one</p></li><li><p>two &amp; three</p></li></ul><p>a<br>b</p>')).toBe('Plan one two & three a b');
    expect(htmlToText('<p><img src=x onerror=alert(1)>safe</p>')).toBe('safe');
  });
});
