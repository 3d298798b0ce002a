import { describe, expect, it } from 'vitest';
import { forStaff, forStaffByShape, forStaffInText, staffMaskingRules } from '../../../src-main/domain/staff-masking';

describe('the staff masking rule, one per kind of value', () => {
  it('masks JSA-IDs to the last four digits and addresses to the first letter and the domain', () => {
    expect(forStaff('jsaId', '12345678901')).toBe('•••••••8901');
    expect(forStaff('email', 'tanaka@example.co.jp')).toBe('t•••••@example.co.jp');
  });

  it('hides secrets and shows what a clerk compares with documents', () => {
    expect(forStaff('secret', 'ABCDE23456')).toBe('（非表示）');
    for (const kind of ['name', 'company', 'department', 'address', 'phone', 'postalCode'] as const) expect(forStaff(kind, '東京都 03-1234-5678')).toBe('東京都 03-1234-5678');
    expect(Object.entries(staffMaskingRules).filter(([, rule]) => rule === 'masked').map(([kind]) => kind)).toEqual(['jsaId', 'email']);
  });

  it('gives the same address the same text wherever it appears (the 本人確認の依頼 mismatch)', () => {
    const typed = 'ichiro.home@example.net';
    expect(forStaff('email', typed)).toBe(forStaffByShape(typed));
    expect(forStaff('email', typed)).not.toContain('ichiro');
  });

  it('masks a free value only when its shape is a JSA-ID or an address', () => {
    expect(forStaffByShape('12345678901')).toBe('•••••••8901');
    expect(forStaffByShape('supportEmail')).toBe('supportEmail');
    expect(forStaffByShape('staff:0190abcd')).toBe('staff:0190abcd');
    expect(forStaffByShape('')).toBe('');
  });

  it('masks each whole JSA-ID and address inside free text, and leaves longer digit runs and the rest', () => {
    expect(forStaffInText('Key (email_norm)=(taken@example.jp) already exists')).toBe('Key (email_norm)=(t••••@example.jp) already exists');
    expect(forStaffInText('inq:email:reply@example.jp')).toBe('inq:email:r••••@example.jp');
    expect(forStaffInText('jsa 12345678901, order 123456789012')).toBe('jsa •••••••8901, order 123456789012');
    expect(forStaffInText('table not_synced is not synced')).toBe('table not_synced is not synced');
  });
});
