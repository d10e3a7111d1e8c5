/** A reason the process cannot be deployed, placed on the element it concerns (null: the whole file). */
export interface ProcessProblem {
  elementId: string | null;
  message: string;
  source: 'server' | 'lint';
  severity: 'error' | 'warning';
  /** The element was edited since the check: the problem may be fixed (the next deploy tells). */
  touched?: boolean;
  /** The server's own words, when `message` is their translation (they may name specifics the translation leaves out). */
  detail?: string;
}

/** The problems with those on the given elements marked as touched. */
export function touchProblems(problems: readonly ProcessProblem[], elementIds: readonly string[]): ProcessProblem[] {
  return problems.map((problem) => (problem.elementId && elementIds.includes(problem.elementId) ? { ...problem, touched: true } : problem));
}

export interface ServerProblemDetail {
  path: string;
  message: string;
  code?: string;
}

/**
 * The problems of a 422 `process_invalid` answer: `details[].path` is the element id ('' for the file).
 * `translate` gives a problem's text in the user's language by its code (null: keep the server's English).
 */
export function serverProblems(details: readonly ServerProblemDetail[], translate: (detail: ServerProblemDetail) => string | null = () => null): ProcessProblem[] {
  return details.map((detail) => {
    const translated = translate(detail);
    return {
      elementId: detail.path || null, message: translated ?? detail.message, source: 'server', severity: 'error',
      ...(translated && translated !== detail.message ? { detail: detail.message } : {}),
    };
  });
}

/** bpmnlint's issues (`{ [elementId]: [{ message, category }] }`) as problems; rule errors are skipped. */
export function lintProblems(issues: Record<string, readonly { message: string; category: string; id?: string }[]>): ProcessProblem[] {
  const problems: ProcessProblem[] = [];
  for (const [elementId, list] of Object.entries(issues)) {
    for (const issue of list) {
      if (issue.category !== 'error' && issue.category !== 'warn') continue;
      problems.push({ elementId: issue.id ?? elementId, message: issue.message, source: 'lint', severity: issue.category === 'error' ? 'error' : 'warning' });
    }
  }
  return problems;
}

/** The problems per element, for markers and their overlays. */
export function problemsByElement(problems: readonly ProcessProblem[]): Map<string, ProcessProblem[]> {
  const byElement = new Map<string, ProcessProblem[]>();
  for (const problem of problems) {
    if (!problem.elementId) continue;
    byElement.set(problem.elementId, [...(byElement.get(problem.elementId) ?? []), problem]);
  }
  return byElement;
}
