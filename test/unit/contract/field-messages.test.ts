import { describe, expect, it } from 'vitest';
import { fieldIssueText, fieldMessagesEn, fieldMessagesJa } from '../../../src-main/contract/field-messages';
import { importReasonText } from '../../../src-main/contract/import-messages';
import { en } from '../../../src-renderer/i18n/en';
import { ja } from '../../../src-renderer/i18n/ja';

describe('field messages shared by the screens and the main process', () => {
  it('are the sentences the renderer shows', () => {
    expect(ja.errors.field).toMatchObject(fieldMessagesJa);
    expect(en.errors.field).toMatchObject(fieldMessagesEn);
  });

  it('fill their placeholders as i18next does, and an unknown code reads as invalid', () => {
    expect(fieldIssueText('ja', { field: 'jsa_id', code: 'jsaId.length', params: { digits: 4 } }, 'JSA-ID')).toBe('JSA-ID は 11 桁です。いま 4 桁入力されています。');
    expect(fieldIssueText('en', { field: 'company', code: 'tooLong', params: { max: 200 } }, 'Company')).toBe('Company must be at most 200 characters.');
    expect(fieldIssueText('ja', { field: 'phone', code: 'no.such.code' }, '電話番号')).toBe('電話番号の入力内容を確認してください。');
  });

  it('say an import row’s problems one sentence after another, with the column’s label', () => {
    const issues = [
      { field: 'jsa_id', column: 'jsa_id' as const, code: 'jsaId.not-digits' },
      { field: 'contact_name', column: 'contact_name' as const, code: 'pictographs' },
    ];
    expect(importReasonText('ja', issues)).toBe('JSA-ID は数字で入力してください。担当者名に絵文字は使えません。');
    expect(importReasonText('en', issues)).toBe('Please enter the JSA-ID in digits. Emoji cannot be used in Contact name.');
  });
});
