import escapeHtml from 'escape-html';
import type { NotificationKind } from './notification.entity.js';

type Locale = 'en' | 'zh-CN';

/** Subject lines and the sentence that opens the message, per kind and language; `{title}` is the task or request. */
const TEXTS: Record<Locale, Record<NotificationKind, { subject: string; intro: string }>> = {
  en: {
    assigned: { subject: 'New task: {title}', intro: 'A task is waiting for you: {title}.' },
    cc: { subject: 'For your information: {title}', intro: 'A request was copied to you (抄送): {title}. You can read it; nothing needs doing.' },
    mention: { subject: 'You were mentioned: {title}', intro: 'Someone mentioned you in a comment on {title}.' },
    urged: { subject: 'Reminder: {title} is waiting for you', intro: 'The person who asked would like an answer on {title}.' },
    escalated: { subject: 'Overdue: {title}', intro: '{title} is past its time limit and needs attention.' },
    completed: { subject: 'Your request is complete: {title}', intro: 'Your request {title} went through every step.' },
    transferred: { subject: 'Handed over to you: {title}', intro: 'A colleague handed {title} over to you (转办).' },
    signer_added: { subject: 'Please sign too: {title}', intro: 'You were asked to sign {title} too (加签).' },
    returned: { subject: 'Sent back to you: {title}', intro: '{title} was sent back to you to look at again (驳回).' },
    withdrawn: { subject: 'Withdrawn: {title}', intro: 'The request {title} was withdrawn; nothing more needs doing.' },
  },
  'zh-CN': {
    assigned: { subject: '新任务：{title}', intro: '有一个任务等你处理：{title}。' },
    cc: { subject: '抄送：{title}', intro: '一个申请抄送给了你：{title}。你可以查看，无需处理。' },
    mention: { subject: '有人提到了你：{title}', intro: '有人在“{title}”的评论中提到了你。' },
    urged: { subject: '催办：{title} 正在等你处理', intro: '申请人希望你尽快处理“{title}”。' },
    escalated: { subject: '已超时：{title}', intro: '“{title}”已超过处理时限，需要关注。' },
    completed: { subject: '你的申请已完成：{title}', intro: '你的申请“{title}”已完成所有步骤。' },
    transferred: { subject: '转办给你：{title}', intro: '同事把“{title}”转给了你。' },
    signer_added: { subject: '请加签：{title}', intro: '请你也审批“{title}”（加签）。' },
    returned: { subject: '已退回给你：{title}', intro: '“{title}”被退回给你重新处理（驳回）。' },
    withdrawn: { subject: '已撤回：{title}', intro: '申请“{title}”已被撤回，无需再处理。' },
  },
};

const FRAME: Record<Locale, { open: string; footer: string }> = {
  en: { open: 'Open in Opsflow', footer: 'You get this e-mail because of your notification settings; change them in Opsflow under Profile.' },
  'zh-CN': { open: '在 Opsflow 中打开', footer: '你收到这封邮件是因为你的通知设置；可在 Opsflow 的“个人资料”中修改。' },
};

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The e-mail of a notification in the recipient's language: a plain-text part and an HTML part in which
 * everything that came from people (task names, comments) is escaped, so it reads as text and never runs.
 */
export function composeMail(kind: NotificationKind, locale: string, input: { title: string; body: string | null; url: string | null }): MailContent {
  const language: Locale = locale === 'zh-CN' ? 'zh-CN' : 'en';
  const texts = TEXTS[language][kind];
  const frame = FRAME[language];
  const fill = (template: string) => template.replaceAll('{title}', input.title);
  const subject = `[Opsflow] ${fill(texts.subject)}`.replace(/[\r\n]+/g, ' ').slice(0, 300);
  const intro = fill(texts.intro);
  const text = [intro, input.body, input.url ? `${frame.open}: ${input.url}` : null, `--\n${frame.footer}`].filter(Boolean).join('\n\n');
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    input.body ? `<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:12px;white-space:pre-wrap">${escapeHtml(input.body)}</blockquote>` : '',
    input.url ? `<p><a href="${escapeHtml(input.url)}">${escapeHtml(frame.open)}</a></p>` : '',
    `<p style="color:#777;font-size:12px">${escapeHtml(frame.footer)}</p>`,
  ].join('');
  return { subject, text, html };
}
