/** Variables that usually name a request, in the order tried. */
const NAMING_VARIABLES = ['title', 'subject', 'name', 'summary', 'reason'];
const MAX = 80;

/** A short line that tells one request from another (its `title`, ...), or null. */
export function requestSummary(variables: Record<string, unknown>): string | null {
  for (const key of NAMING_VARIABLES) {
    const value = variables[key];
    if (typeof value === 'string' && value.trim()) {
      const text = value.trim().replace(/\s+/g, ' ');
      return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
    }
  }
  return null;
}
