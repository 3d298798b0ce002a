import { describe, expect, test } from 'vitest';
import { detailFields } from '../../../src-main/services/audit-service';

describe('audit detail fields', () => {
  test('gives an array its entries as items, never joined with 「、」 for every language', () => {
    // As inquiry-review-service writes an override (inquiry.override): the fields that did not match.
    const fields = detailFields(JSON.stringify({ refuseBecause: ['address', 'company'], reason: '確認済み' }));
    expect(fields).toContainEqual({ key: 'refuseBecause', value: 'address, company', items: ['address', 'company'] });
    expect(fields.map((f) => f.value).join('')).not.toContain('、');
  });
});
