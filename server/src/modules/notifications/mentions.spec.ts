import { mentionedEmails } from './mentions.js';

describe('mentionedEmails', () => {
  it('finds @address mentions, once each, without trailing punctuation', () => {
    expect(mentionedEmails('Looks fine. @Ana.Lima@example.com, can you check the quote? cc @li.wei@example.com.')).toEqual(['ana.lima@example.com', 'li.wei@example.com']);
    expect(mentionedEmails('请 @wang@example.cn 看一下，（@wang@example.cn）')).toEqual(['wang@example.cn']);
  });

  it('ignores plain addresses, lone @ and empty comments', () => {
    expect(mentionedEmails('write to ana@example.com')).toEqual([]);
    expect(mentionedEmails('@ nobody')).toEqual([]);
    expect(mentionedEmails(null)).toEqual([]);
  });
});
