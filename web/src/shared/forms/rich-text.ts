import createDOMPurify from 'dompurify';

/** The same allow-list the server keeps (server/src/modules/records/rich-text.ts). */
const TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'h1', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'hr', 'a'];
const ATTRIBUTES = ['href', 'target', 'rel', 'start'];
const SAFE_URL = /^(?:https?:|mailto:)/i;

let purifier: ReturnType<typeof createDOMPurify> | null = null;

function purify() {
  if (!purifier) {
    // an instance of our own, so that its hook changes no other use of DOMPurify
    purifier = createDOMPurify(window);
    purifier.addHook('afterSanitizeAttributes', (node) => {
      if (node.nodeName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
  }
  return purifier;
}

/** Stored rich text made safe to put into the page: only the allow-list survives, whatever the server holds. */
export function cleanHtml(html: string): string {
  return purify().sanitize(html, { ALLOWED_TAGS: TAGS, ALLOWED_ATTR: ATTRIBUTES, ALLOWED_URI_REGEXP: SAFE_URL });
}

/** What the editor saves always starts with a tag; older plain text rarely does (and is cleaned either way). */
const looksLikeHtml = (value: string) => /^\s*<[a-z]/i.test(value);
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** HTML for the editor and the viewer; text saved before the field was rich (plain lines) becomes paragraphs. */
export function toHtml(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  if (looksLikeHtml(value)) return cleanHtml(value);
  return value.split(/\r?\n/).map((line) => `<p>${escapeText(line)}</p>`).join('');
}

const BLOCKS = 'p,li,h1,h2,h3,h4,blockquote,pre,br,hr';

/** The words of rich text, for a table cell or a search: blocks separated by spaces, no markup. */
export function htmlToText(value: unknown): string {
  const html = toHtml(value);
  if (!html) return '';
  // a parsed document that is never shown: it loads nothing and runs nothing
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const block of doc.body.querySelectorAll(BLOCKS)) block.append(' ');
  return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}
