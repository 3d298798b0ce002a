import type { z } from 'zod';
import type { FieldIssue } from './errors';

const numeric = (origin: string) => origin === 'number' || origin === 'int' || origin === 'bigint';

/** zod's issues → our field issues: custom issues keep their key, the rest get a generic one. */
export function fieldIssuesFromZod(error: z.ZodError): FieldIssue[] {
  const issues = error.issues.map((issue): FieldIssue => {
    const field = issue.path.map(String).join('.') || '_';
    if (issue.code === 'custom') {
      const params = (issue as { params?: Record<string, string | number> }).params;
      return { field, code: issue.message, ...(params && Object.keys(params).length ? { params } : {}) };
    }
    // A number out of its range says the range ("7" for a minimum of 8 is not a missing value).
    if (issue.code === 'too_big' && numeric(issue.origin)) return { field, code: 'tooLarge', params: { max: Number(issue.maximum) } };
    if (issue.code === 'too_small' && numeric(issue.origin)) return { field, code: 'tooSmall', params: { min: Number(issue.minimum) } };
    if (issue.code === 'too_big') return { field, code: 'tooLong', params: { max: Number(issue.maximum) } };
    if (issue.code === 'too_small') return { field, code: 'required' };
    if (issue.code === 'invalid_type' && issue.input === undefined) return { field, code: 'required' };
    return { field, code: 'invalid' };
  });
  // An integer field beyond 2^53 fails zod's own safe-integer bound as well as the field's: say the field's.
  const safe = Number.MAX_SAFE_INTEGER;
  return issues.filter(
    (issue, at) =>
      !(
        ((issue.code === 'tooLarge' && issue.params?.max === safe) || (issue.code === 'tooSmall' && issue.params?.min === -safe)) &&
        issues.some((other, i) => i !== at && other.field === issue.field && other.code === issue.code)
      ),
  );
}
