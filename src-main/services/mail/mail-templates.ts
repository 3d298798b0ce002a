import type { Locale } from '../../contract/fields';
import { contactBodyEn, contactBodyJa, contactMailTemplates, isContactMailTemplate } from './contact-mail-texts';

/**
 * The mails the counter sends, in Japanese and English. `params` are safe to show staff in
 * the outbox view; `secrets` (code, link) are stored encrypted and masked there.
 */
export const mailTemplates = ['reset-code', 'reset-code-support', 'reset-several-ids', 'reset-locked', 'password-changed', ...contactMailTemplates] as const;
export type MailTemplate = (typeof mailTemplates)[number];

export interface MailParams {
  contactName?: string;
  maskedJsaId?: string;
  jsaId?: string;
  lifetimeMinutes?: number;
  supportEmail: string;
  changedAt?: string;
  maskedNewEmail?: string;
  reference?: string;
  inquiryKind?: string;
}

export interface MailSecrets {
  code?: string;
  url?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Lines = string[];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function bodyJa(template: MailTemplate, p: MailParams, s: MailSecrets): { subject: string; lines: Lines } {
  const greeting = p.contactName ? `${p.contactName} 様` : 'JSA Webdesk をご利用のお客様';
  const footer = ['', '──', '日本規格協会 JSA Webdesk', '営業グループ Webdeskチーム', `MAIL: ${p.supportEmail}`, '※このメールは送信専用です。'];
  if (isContactMailTemplate(template)) return contactBodyJa(template, p, s, greeting, footer);
  const codeBlock = [
    `パスワード変更権限コード: ${s.code ?? ''}`,
    '',
    '下記の URL を開き、「変更権限コード」をご入力ください。',
    s.url ?? '',
    '',
    `このコードの有効期限は ${p.lifetimeMinutes ?? 30} 分です。お心当たりのない場合は、このメールを破棄してください。`,
  ];
  switch (template) {
    case 'reset-code':
      return {
        subject: '【JSA Webdesk】パスワード変更権限コードのお知らせ',
        lines: [greeting, '', `JSA-ID ${p.maskedJsaId ?? ''} のパスワード再設定のご依頼を受け付けました。`, '', ...codeBlock, ...footer],
      };
    case 'reset-code-support':
      return {
        subject: '【JSA Webdesk】サポートメール: パスワード変更権限コードのお知らせ',
        lines: [
          greeting,
          '',
          'サポートメールのご依頼を受け付けました。ご登録のメールアドレスに対応する JSA-ID は次のとおりです。',
          `JSA-ID: ${p.jsaId ?? ''}`,
          '',
          ...codeBlock,
          ...footer,
        ],
      };
    case 'reset-several-ids':
      return {
        subject: '【JSA Webdesk】サポートメール依頼について',
        lines: [
          'JSA Webdesk をご利用のお客様',
          '',
          'このメールアドレスは複数の JSA-ID に登録されているため、メールアドレスだけではパスワードを再設定できません。',
          'JSA-ID とメールアドレスの両方を入力して、もう一度お申し込みいただくか、下記までお問合せください。',
          ...footer,
        ],
      };
    case 'reset-locked':
      return {
        subject: '【JSA Webdesk】パスワード再設定を一時停止しています',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} のパスワード再設定は、確認コードの誤りが続いたため一時停止しています。`,
          '窓口の係員にお声がけいただくか、下記までお問合せください。',
          ...footer,
        ],
      };
    case 'password-changed':
      return {
        subject: '【JSA Webdesk】パスワードが変更されました',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} のパスワードが ${p.changedAt ?? ''} に登録されました。`,
          'お心当たりのない場合は、至急下記までご連絡ください。',
          ...footer,
        ],
      };
  }
}

function bodyEn(template: MailTemplate, p: MailParams, s: MailSecrets): { subject: string; lines: Lines } {
  const greeting = p.contactName ? `Dear ${p.contactName},` : 'Dear JSA Webdesk customer,';
  const footer = ['', '--', 'Japanese Standards Association — JSA Webdesk', 'Sales Group, Webdesk Team', `MAIL: ${p.supportEmail}`, 'This address does not accept replies.'];
  if (isContactMailTemplate(template)) return contactBodyEn(template, p, s, greeting, footer);
  const codeBlock = [
    `Password change authorisation code: ${s.code ?? ''}`,
    '',
    'Open the link below and enter the code.',
    s.url ?? '',
    '',
    `The code is valid for ${p.lifetimeMinutes ?? 30} minutes. If you did not ask for it, please ignore this mail.`,
  ];
  switch (template) {
    case 'reset-code':
      return {
        subject: '[JSA Webdesk] Your password change authorisation code',
        lines: [greeting, '', `We received a request to reset the password of JSA-ID ${p.maskedJsaId ?? ''}.`, '', ...codeBlock, ...footer],
      };
    case 'reset-code-support':
      return {
        subject: '[JSA Webdesk] Support mail: your password change authorisation code',
        lines: [greeting, '', 'The JSA-ID registered with this address is:', `JSA-ID: ${p.jsaId ?? ''}`, '', ...codeBlock, ...footer],
      };
    case 'reset-several-ids':
      return {
        subject: '[JSA Webdesk] About your support mail request',
        lines: [
          'Dear JSA Webdesk customer,',
          '',
          'This address is registered on several JSA-IDs, so the password cannot be reset with the address alone.',
          'Please enter both the JSA-ID and the address, or contact us below.',
          ...footer,
        ],
      };
    case 'reset-locked':
      return {
        subject: '[JSA Webdesk] Password reset paused',
        lines: [greeting, '', `Password reset for JSA-ID ${p.maskedJsaId ?? ''} is paused after repeated wrong codes.`, 'Please ask the staff at the counter or contact us below.', ...footer],
      };
    case 'password-changed':
      return {
        subject: '[JSA Webdesk] Your password was changed',
        lines: [greeting, '', `The password of JSA-ID ${p.maskedJsaId ?? ''} was set at ${p.changedAt ?? ''}.`, 'If this was not you, contact us at once.', ...footer],
      };
  }
}

export function renderMail(template: MailTemplate, locale: Locale, params: MailParams, secrets: MailSecrets): RenderedMail {
  const { subject, lines } = (locale === 'en' ? bodyEn : bodyJa)(template, params, secrets);
  const text = lines.join('\n');
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.7">${lines
    .map((line) => (/^https?:\/\/|^jsa-webdesk:\/\//.test(line) ? `<p><a href="${escapeHtml(line)}">${escapeHtml(line)}</a></p>` : `<p>${escapeHtml(line) || '&nbsp;'}</p>`))
    .join('')}</body></html>`;
  return { subject, text, html };
}

/** What staff see in the outbox: the same mail with the code and link replaced. */
export const maskedSecrets: MailSecrets = { code: '••••••••••', url: '（リンクは表示されません / link hidden）' };
