/** The address people open to fill a public form: the web app's `/f/<token>` on this origin. */
export function publicFormUrl(token: string): string {
  return `${globalThis.location?.origin ?? ''}/f/${encodeURIComponent(token)}`;
}
