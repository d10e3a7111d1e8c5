import { richTextPaths, richTextToText, sanitizeRichText, withRichTextAsText, withSanitizedRichText } from './rich-text.js';

describe('rich text', () => {
  it('drops scripts, event handlers, styles, images and javascript: links, and keeps the formatting', () => {
    const dirty = '<img src=x onerror=alert(1)><script>alert(2)</script><b>ok</b><p style="color:red" onclick="steal()">para</p>'
      + '<a href="javascript:alert(3)">bad</a><a href="https://example.com/?a=1&b=2" onmouseover="x()">good</a><iframe src="//evil"></iframe>';
    const clean = sanitizeRichText(dirty);
    expect(clean).toBe('<b>ok</b><p>para</p><a target="_blank" rel="noopener noreferrer nofollow">bad</a>'
      + '<a href="https://example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">good</a>');
    expect(sanitizeRichText(clean)).toBe(clean);
  });

  it('keeps what the editor makes', () => {
    const html = '<h2>Plan</h2><p>Do <strong>this</strong>, <em>then</em> <s>that</s>:</p><ul><li><p>one</p></li></ul><ol start="3"><li><p>two</p></li></ol>'
      + '<blockquote><p>quote</p></blockquote><pre><code>a &lt; b</code></pre><p>a<br>b</p><hr>';
    expect(sanitizeRichText(html)).toBe(html.replace('<br>', '<br />').replace('<hr>', '<hr />'));
  });

  it('finds rich-text controls in layouts and sub-tables, and sanitises only those', () => {
    const uischema = {
      type: 'VerticalLayout',
      elements: [
        { type: 'Control', scope: '#/properties/notes', options: { widget: 'richtext' } },
        { type: 'Group', elements: [{ type: 'Control', scope: '#/properties/plain', options: { multi: true } }] },
        { type: 'Control', scope: '#/properties/rows', options: { detail: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/memo', options: { widget: 'richtext' } }] } } },
      ],
    };
    expect(richTextPaths(uischema).map((path) => path.map(String).join('/')).sort()).toEqual(['notes', 'rows/Symbol(each item)/memo']);
    const data = { notes: '<b onclick="x">n</b>', plain: '<b onclick="x">kept as typed</b>', rows: [{ memo: '<script>x</script><i>m</i>' }, { memo: 5 }] };
    expect(withSanitizedRichText(data, uischema)).toEqual({ notes: '<b>n</b>', plain: data.plain, rows: [{ memo: '<i>m</i>' }, { memo: 5 }] });
    expect(data.notes).toBe('<b onclick="x">n</b>');
  });

  it('gives search the words, not the markup', () => {
    expect(richTextToText('<h2>Plan</h2><p>Fish &amp; <strong>chips</strong> &lt;tag&gt;</p><ul><li><p>one</p></li><li><p>two</p></li></ul><p>a<br />b</p>'))
      .toBe('Plan Fish & chips <tag> one two a b');
    const uischema = { type: 'Control', scope: '#/properties/notes', options: { widget: 'richtext' } };
    expect(withRichTextAsText({ notes: '<p><em>x</em></p>', other: '<p>kept</p>' }, uischema)).toEqual({ notes: 'x', other: '<p>kept</p>' });
  });
});
