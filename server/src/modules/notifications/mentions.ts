/** `@ana.lima@example.com` in a comment: the address after the @, without trailing punctuation. */
const MENTION = /(?:^|[\s(（,，;；:：])@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** The e-mail addresses a comment mentions (lower-cased, each once, at most 20). */
export function mentionedEmails(text: string | null | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(MENTION)].map((match) => match[1].replace(/\.+$/, '').toLowerCase()))].slice(0, 20);
}
