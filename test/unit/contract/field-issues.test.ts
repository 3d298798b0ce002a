import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssuesFromZod } from '../../../src-main/contract/field-issues';

// zod 4 puts the offending value on an issue only with reportInput; without it, a wrong type and a
// missing field look the same (see the http-transport test for what dispatch sends).
const issuesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) throw new Error('expected a failure');
  return fieldIssuesFromZod(result.error);
};

describe('fieldIssuesFromZod', () => {
  it('keeps a custom issue’s i18n key and params', () => {
    const schema = z.object({
      jsaId: z.string().superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', message: 'jsaId.length', params: { digits: 10 } })),
    });
    expect(issuesOf(schema, { jsaId: 'x' })).toEqual([{ field: 'jsaId', code: 'jsaId.length', params: { digits: 10 } }]);
  });

  it('leaves params out when a custom issue has none', () => {
    const schema = z.object({ a: z.string().refine(() => false, { message: 'required' }) });
    expect(issuesOf(schema, { a: '' })).toEqual([{ field: 'a', code: 'required' }]);
  });

  it('turns too_big into tooLong with the maximum', () => {
    expect(issuesOf(z.object({ name: z.string().max(5) }), { name: 'abcdef' })).toEqual([{ field: 'name', code: 'tooLong', params: { max: 5 } }]);
  });

  it('turns too_small and a missing field into required', () => {
    expect(issuesOf(z.object({ name: z.string().min(1) }), { name: '' })).toEqual([{ field: 'name', code: 'required' }]);
    expect(issuesOf(z.object({ name: z.string() }), {})).toEqual([{ field: 'name', code: 'required' }]);
  });

  it('says a number’s own range: below the minimum is tooSmall, above the maximum tooLarge (not required / tooLong)', () => {
    const schema = z.object({ minLength: z.number().int().min(8).max(64) });
    expect(issuesOf(schema, { minLength: 7 })).toEqual([{ field: 'minLength', code: 'tooSmall', params: { min: 8 } }]);
    // Once, with the field's own bound (zod's safe-integer bound failed too and was said twice).
    expect(issuesOf(schema, { minLength: 1e308 })).toEqual([{ field: 'minLength', code: 'tooLarge', params: { max: 64 } }]);
  });

  it('calls a wrong type that is present invalid, not required', () => {
    expect(issuesOf(z.object({ name: z.string() }), { name: 42 })).toEqual([{ field: 'name', code: 'invalid' }]);
  });

  it('joins nested paths with dots and names a whole-input problem "_"', () => {
    expect(issuesOf(z.object({ policy: z.object({ minLength: z.number() }) }), { policy: { minLength: 'x' } })).toEqual([
      { field: 'policy.minLength', code: 'invalid' },
    ]);
    expect(issuesOf(z.object({}), 'not an object')).toEqual([{ field: '_', code: 'invalid' }]);
  });

  it('reports every issue, one per field', () => {
    const schema = z.object({ a: z.string(), b: z.string().max(1) });
    expect(issuesOf(schema, { b: 'xx' })).toEqual([
      { field: 'a', code: 'required' },
      { field: 'b', code: 'tooLong', params: { max: 1 } },
    ]);
  });
});
