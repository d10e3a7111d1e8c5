import { composeMail } from './mail-templates.js';

describe('composeMail', () => {
  it('writes the e-mail in the recipient\'s language, one blank line between its parts', () => {
    const mail = composeMail('assigned', 'zh-CN', { title: 'Finance review', body: null, url: 'https://ops.example/tasks/1' });
    expect(mail.subject).toBe('[Opsflow] 新任务：Finance review');
    expect(mail.text).toBe('有一个任务等你处理：Finance review。\n\n在 Opsflow 中打开: https://ops.example/tasks/1\n\n--\n你收到这封邮件是因为你的通知设置；可在 Opsflow 的“个人资料”中修改。');
    expect(composeMail('assigned', 'fr', { title: 'x', body: null, url: null }).subject).toBe('[Opsflow] New task: x');
  });

  it('escapes what people wrote in the HTML part and keeps the subject on one line', () => {
    const mail = composeMail('mention', 'en', { title: 'Review\r\nBcc: evil@example.com', body: '<img src=x onerror=alert(1)> & "quotes"', url: 'https://ops.example/requests/1?a=1&b="2"' });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(mail.html).toContain('href="https://ops.example/requests/1?a=1&amp;b=&quot;2&quot;"');
  });
});
