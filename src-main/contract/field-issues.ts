import type { z } from 'zod';
import type { FieldIssue } from './errors';

/** zod's issues → our field issues: custom issues keep their key, the rest get a generic one. */
export function fieldIssuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '_';
    if (issue.code === 'custom') {
      const params = (issue as { params?: Record<string, string | number> }).params;
      return { field, code: issue.message, ...(params && Object.keys(params).length ? { params } : {}) };
    }
    if (issue.code === 'too_big') return { field, code: 'tooLong', params: { max: Number(issue.maximum) } };
    if (issue.code === 'too_small') return { field, code: 'required' };
    if (issue.code === 'invalid_type' && issue.input === undefined) return { field, code: 'required' };
    return { field, code: 'invalid' };
  });
}
