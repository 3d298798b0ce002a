import { describe, expect, it } from 'vitest';
import { maskedSecrets, mailTemplates, renderMail, type MailParams } from '../../../src-main/services/mail/mail-templates';

const params: MailParams = {
  contactName: '田中 一郎',
  maskedJsaId: '•••••••8901',
  jsaId: '12345678901',
  lifetimeMinutes: 30,
  supportEmail: 'webdesk@jisa.or.jp',
  changedAt: '2026年4月1日 10:00 (JST)',
};
const secrets = { code: 'ABCDE23456', url: 'https://webdesk.example.jp/reset/tok_0123456789abcdef' };

describe('renderMail', () => {
  it.each(mailTemplates.flatMap((t) => (['ja', 'en'] as const).map((l) => [t, l] as const)))('%s in %s has a subject, text and an html page', (template, locale) => {
    const mail = renderMail(template, locale, params, secrets);
    expect(mail.subject).toMatch(locale === 'ja' ? /^【JSA Webdesk】/ : /^\[JSA Webdesk\]/);
    expect(mail.text).toContain('webdesk@jisa.or.jp');
    expect(mail.html).toMatch(new RegExp(`^<!doctype html><html lang="${locale}">`));
  });

  it('puts the code, the link and the lifetime in the Japanese code mail', () => {
    const mail = renderMail('reset-code', 'ja', params, secrets);
    expect(mail.subject).toBe('【JSA Webdesk】パスワード変更権限コードのお知らせ');
    expect(mail.text).toContain('パスワード変更権限コード: ABCDE23456');
    expect(mail.text).toContain(secrets.url);
    expect(mail.text).toContain('有効期限は 30 分');
    expect(mail.text).toContain('田中 一郎 様');
    expect(mail.html).toContain(`<a href="${secrets.url}">`);
  });

  it('names the whole JSA-ID only in the support mail', () => {
    expect(renderMail('reset-code-support', 'ja', params, secrets).text).toContain('JSA-ID: 12345678901');
    expect(renderMail('reset-code-support', 'en', params, secrets).text).toContain('JSA-ID: 12345678901');
    expect(renderMail('reset-code', 'ja', params, secrets).text).not.toContain('12345678901');
  });

  it('addresses the customer generically when no name is known', () => {
    expect(renderMail('reset-code', 'ja', { supportEmail: 's@x.jp' }, secrets).text.split('\n')[0]).toBe('JSA Webdesk をご利用のお客様');
    expect(renderMail('reset-code', 'en', { supportEmail: 's@x.jp' }, secrets).text.split('\n')[0]).toBe('Dear JSA Webdesk customer,');
  });

  it('escapes markup from the data in the html part', () => {
    const mail = renderMail('password-changed', 'ja', { ...params, contactName: '<script>alert("x")</script> & Co' }, {});
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.text).toContain('<script>'); // the text part is plain text, shown as typed
  });

  it('does not turn a link with a quote into an attribute break-out', () => {
    const mail = renderMail('reset-code', 'en', params, { code: 'ABCDE23456', url: 'https://x.jp/reset/a"onmouseover="alert(1)' });
    expect(mail.html).not.toContain('"onmouseover="');
  });

  it('makes a link of the link it was given and of nothing else: a name that begins like an address stays text', () => {
    // Found by the customer probe: 担当者名 「https://evil.example/login」 set on マイページ
    // made the greeting line of every Japanese mail to the account a link in the html part.
    const name = 'https://evil.example/login';
    for (const template of mailTemplates) {
      const mail = renderMail(template, 'ja', { ...params, contactName: name, newContactName: name }, secrets);
      expect(mail.html).not.toContain('<a href="https://evil.example');
    }
    expect(renderMail('reset-code', 'ja', { ...params, contactName: name }, secrets).html).toContain(`<a href="${secrets.url}">`);
    expect(renderMail('reset-code', 'ja', params, { code: 'ABCDE23456', url: 'jsa-webdesk://reset/tok_0123456789abcdef' }).html).toContain('<a href="jsa-webdesk://reset/tok_0123456789abcdef">');
  });

  it('with the masked secrets, staff see neither code nor link', () => {
    const mail = renderMail('reset-code', 'ja', params, maskedSecrets);
    expect(mail.text).not.toContain(secrets.code);
    expect(mail.text).not.toContain(secrets.url);
    expect(mail.text).toContain('••••••••••');
  });

  it('says a code lifetime in the largest natural unit (the staff-sent code mail said 1440 分)', () => {
    for (const template of ['reset-code', 'reset-code-support', 'email-change-code'] as const) {
      expect(renderMail(template, 'ja', { ...params, lifetimeMinutes: 1440 }, secrets).text).toContain('このコードの有効期限は 24 時間です。');
      expect(renderMail(template, 'en', { ...params, lifetimeMinutes: 1440 }, secrets).text).toContain('The code is valid for 24 hours.');
      expect(renderMail(template, 'ja', { ...params, lifetimeMinutes: 2880 }, secrets).text).toContain('有効期限は 2 日です。');
      expect(renderMail(template, 'ja', { ...params, lifetimeMinutes: 30 }, secrets).text).toContain('有効期限は 30 分です。');
      expect(renderMail(template, 'en', { ...params, lifetimeMinutes: 90 }, secrets).text).toContain('valid for 1 hour 30 minutes.');
      expect(renderMail(template, 'ja', { ...params, lifetimeMinutes: 1440 }, secrets).text).not.toContain('1440');
    }
  });
});
