/** What a file field accepts, from its schema (`maxItems`) and control options (`accept`, `maxSize` in bytes). */
export interface FileLimits {
  maxFiles?: number;
  maxSize?: number;
  accept?: string;
}

/** A file picked in the browser, as far as the checks need it. */
export interface PickedFile {
  name: string;
  size: number;
  type: string;
}

export type FileProblem =
  | { kind: 'tooMany'; max: number; name: string }
  | { kind: 'tooLarge'; max: number; name: string }
  | { kind: 'wrongType'; accept: string; name: string };

/**
 * `accept` as in `<input type="file">` and as the server reads it: MIME types, `type/*` wildcards and `.ext`
 * endings, separated by commas. The browser's type is a hint only; the server checks again.
 */
export function acceptsFile(accept: string, file: Pick<PickedFile, 'name' | 'type'>): boolean {
  const items = accept.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  if (!items.length) return true;
  const type = (file.type || 'application/octet-stream').toLowerCase();
  return items.some((item) => {
    if (item.startsWith('.')) return file.name.toLowerCase().endsWith(item);
    if (item.endsWith('/*')) return type.startsWith(item.slice(0, -1));
    return type === item;
  });
}

/** Splits newly picked files into those to upload and the problems of the others, in the order picked. */
export function checkFiles<T extends PickedFile>(picked: readonly T[], alreadyThere: number, limits: FileLimits): { accepted: T[]; problems: FileProblem[] } {
  const accepted: T[] = [];
  const problems: FileProblem[] = [];
  for (const file of picked) {
    if (limits.accept && !acceptsFile(limits.accept, file)) problems.push({ kind: 'wrongType', accept: limits.accept, name: file.name });
    else if (limits.maxSize && file.size > limits.maxSize) problems.push({ kind: 'tooLarge', max: limits.maxSize, name: file.name });
    else if (limits.maxFiles && alreadyThere + accepted.length >= limits.maxFiles) problems.push({ kind: 'tooMany', max: limits.maxFiles, name: file.name });
    else accepted.push(file);
  }
  return { accepted, problems };
}

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** 2048 → "2 KB", 1572864 → "1.5 MB", in the reader's number format. */
export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${UNITS[unit]}`;
}
