import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newReference, REFERENCE_PATTERN } from '../../../src-main/services/inquiry-service';
import { renderMail } from '../../../src-main/services/mail/mail-templates';
import { contactMailTemplates } from '../../../src-main/services/mail/contact-mail-texts';

describe('inquiry references', () => {
  it('are WD- and eight Crockford symbols for any random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
        expect(newReference(bytes)).toMatch(REFERENCE_PATTERN);
      }),
    );
  });

  it('differ from call to call', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newReference()));
    expect(seen.size).toBe(1000);
  });
});

describe('contact mails', () => {
  it.each(contactMailTemplates.flatMap((t) => [[t, 'ja'], [t, 'en']] as const))('%s (%s) renders subject, text and escaped html', (template, locale) => {
    const mail = renderMail(template, locale, { supportEmail: 'webdesk@jisa.or.jp', maskedJsaId: '•••••••8901', contactName: '<b>田中</b>', reference: 'WD-ABCDEFGH', maskedNewEmail: 'n•••@example.jp' }, { code: 'ABCDE12345' });
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.text).toContain('webdesk@jisa.or.jp');
    expect(mail.html).not.toContain('<b>田中</b>');
  });

  it('the lock notice points to 「ID 忘れ・パスワード忘れ」', () => {
    expect(renderMail('login-locked', 'ja', { supportEmail: 's@x.jp' }, {}).text).toContain('「ID 忘れ・パスワード忘れ」');
    expect(renderMail('login-locked', 'en', { supportEmail: 's@x.jp' }, {}).text).toContain('ID 忘れ・パスワード忘れ');
  });
});
