import { formatDuration } from '../../domain/duration-text';
import type { Locale } from '../../contract/fields';
import { mailKinds, type MailKind } from '../../contract/mail-kinds';
import { contactBodyEn, contactBodyJa, isContactMailTemplate } from './contact-mail-texts';

/**
 * The mails the counter sends, in Japanese and English. `params` are safe to show staff in
 * the outbox view; `secrets` (code, link) are stored encrypted and masked there.
 */
export const mailTemplates = mailKinds;
export type MailTemplate = MailKind;

export interface MailParams {
  contactName?: string;
  maskedJsaId?: string;
  jsaId?: string;
  lifetimeMinutes?: number;
  supportEmail: string;
  changedAt?: string;
  maskedNewEmail?: string;
  /** The inquiry's reference number, so the customer can quote it. */
  reference?: string;
  inquiryKind?: string;
  /** Why staff refused: one of the contract's reason templates. */
  reasonKey?: string;
  newContactName?: string;
  maskedEmail?: string;
}

/** The mails that carry a code and link (sealed in `secret_params`, dropped a day after). */
export const codeTemplates: ReadonlySet<MailTemplate> = new Set<MailTemplate>(['reset-code', 'reset-code-support', 'email-change-code']);

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
    `このコードの有効期限は ${formatDuration(p.lifetimeMinutes ?? 30, 'ja')}です。お心当たりのない場合は、このメールを破棄してください。`,
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
    case 'inquiry-jsa-id':
      return {
        subject: '【JSA Webdesk】JSA-ID のお知らせ',
        lines: [
          greeting,
          '',
          `お問合せ（受付番号 ${p.reference ?? ''}）を承り、ご本人様の確認ができましたので、ご登録の JSA-ID をお知らせします。`,
          `JSA-ID: ${p.jsaId ?? ''}`,
          '',
          'パスワードがお分かりにならない場合は、「ID 忘れ・パスワード忘れ」から再設定してください。',
          ...footer,
        ],
      };
    case 'inquiry-approved':
      return {
        subject: '【JSA Webdesk】お問合せの受付結果',
        lines: [
          'JSA Webdesk をご利用のお客様',
          '',
          `お問合せ（受付番号 ${p.reference ?? ''}）について、ご本人様の確認ができました。`,
          'JSA-ID は、ご登録のメールアドレス宛にお送りしました。',
          ...footer,
        ],
      };
    case 'inquiry-refused':
      return {
        subject: '【JSA Webdesk】お問合せの受付結果',
        lines: [
          'JSA Webdesk をご利用のお客様',
          '',
          `お問合せ（受付番号 ${p.reference ?? ''}）について、誠に恐れ入りますが、今回はお受けできませんでした。`,
          refusalJa[p.reasonKey ?? ''] ?? refusalJa.other!,
          '極力ご登録の情報（ご住所・会社名など）をご確認のうえ、あらためてご連絡ください。',
          ...footer,
        ],
      };
    case 'contact-changed-old':
      return {
        subject: '【JSA Webdesk】ご担当者とメールアドレスを変更しました',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} のご担当者を ${p.newContactName ?? ''} 様に、メールアドレスを ${p.maskedEmail ?? ''} に変更しました（前任者退職に伴う変更のお申し出による）。`,
          '今後のお知らせは新しいメールアドレスにお送りします。お心当たりのない場合は、至急下記までご連絡ください。',
          ...footer,
        ],
      };
    case 'contact-changed-new':
      return {
        subject: '【JSA Webdesk】ご担当者の変更を承りました',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} のご担当者とメールアドレスの変更を承りました。今後のお知らせはこのアドレスにお送りします。`,
          'パスワードは「ID 忘れ・パスワード忘れ」から新しく設定してください。',
          ...footer,
        ],
      };
  }
}

const refusalJa: Record<string, string> = {
  'address-mismatch': 'お知らせいただいたご住所が、ご登録の情報と異なっていました。',
  'company-mismatch': 'お知らせいただいた会社名が、ご登録の情報と異なっていました。',
  'no-matching-account': 'お知らせいただいた情報に一致するご登録が見つかりませんでした。',
  'insufficient-information': 'ご本人様を確認するための情報が不足していました。',
  duplicate: '同じ内容のお問合せを別途承っております。',
  other: 'ご本人様の確認ができませんでした。',
};

const refusalEn: Record<string, string> = {
  'address-mismatch': 'The address you gave differs from the registered one.',
  'company-mismatch': 'The company name you gave differs from the registered one.',
  'no-matching-account': 'We found no registration matching the details you gave.',
  'insufficient-information': 'The details were not enough to confirm your identity.',
  duplicate: 'We are already handling the same request.',
  other: 'We could not confirm your identity.',
};

function bodyEn(template: MailTemplate, p: MailParams, s: MailSecrets): { subject: string; lines: Lines } {
  const greeting = p.contactName ? `Dear ${p.contactName},` : 'Dear JSA Webdesk customer,';
  const footer = ['', '--', 'Japanese Standards Association — JSA Webdesk', 'Sales Group, Webdesk Team', `MAIL: ${p.supportEmail}`, 'This address does not accept replies.'];
  if (isContactMailTemplate(template)) return contactBodyEn(template, p, s, greeting, footer);
  const codeBlock = [
    `Password change authorization code: ${s.code ?? ''}`,
    '',
    'Open the link below and enter the code.',
    s.url ?? '',
    '',
    `The code is valid for ${formatDuration(p.lifetimeMinutes ?? 30, 'en')}. If you did not ask for it, please ignore this mail.`,
  ];
  switch (template) {
    case 'reset-code':
      return {
        subject: '[JSA Webdesk] Your password change authorization code',
        lines: [greeting, '', `We received a request to reset the password of JSA-ID ${p.maskedJsaId ?? ''}.`, '', ...codeBlock, ...footer],
      };
    case 'reset-code-support':
      return {
        subject: '[JSA Webdesk] Support mail: your password change authorization code',
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
    case 'inquiry-jsa-id':
      return {
        subject: '[JSA Webdesk] Your JSA-ID',
        lines: [
          greeting,
          '',
          `We received your inquiry (reference ${p.reference ?? ''}) and confirmed your identity. Your registered JSA-ID is:`,
          `JSA-ID: ${p.jsaId ?? ''}`,
          '',
          'If you do not know the password, reset it from "Forgot ID / password".',
          ...footer,
        ],
      };
    case 'inquiry-approved':
      return {
        subject: '[JSA Webdesk] About your inquiry',
        lines: ['Dear JSA Webdesk customer,', '', `We confirmed your identity for inquiry ${p.reference ?? ''}.`, 'The JSA-ID was sent to the registered e-mail address.', ...footer],
      };
    case 'inquiry-refused':
      return {
        subject: '[JSA Webdesk] About your inquiry',
        lines: [
          'Dear JSA Webdesk customer,',
          '',
          `We are sorry, but we could not accept your inquiry (reference ${p.reference ?? ''}).`,
          refusalEn[p.reasonKey ?? ''] ?? refusalEn.other!,
          'Please check the registered details (address, company name) and contact us again.',
          ...footer,
        ],
      };
    case 'contact-changed-old':
      return {
        subject: '[JSA Webdesk] Contact person and e-mail address changed',
        lines: [
          greeting,
          '',
          `The contact of JSA-ID ${p.maskedJsaId ?? ''} is now ${p.newContactName ?? ''} and the address ${p.maskedEmail ?? ''} (change requested after the previous contact left).`,
          'Future mail goes to the new address. If this was not expected, contact us at once.',
          ...footer,
        ],
      };
    case 'contact-changed-new':
      return {
        subject: '[JSA Webdesk] Contact change confirmed',
        lines: [greeting, '', `You are now the contact of JSA-ID ${p.maskedJsaId ?? ''}; mail goes to this address.`, 'Set a new password from "Forgot ID / password".', ...footer],
      };
  }
}

export function renderMail(template: MailTemplate, locale: Locale, params: MailParams, secrets: MailSecrets): RenderedMail {
  const { subject, lines } = (locale === 'en' ? bodyEn : bodyJa)(template, params, secrets);
  const text = lines.join('\n');
  // Only the link we put in is a link: a line of data that begins like an address (a 担当者名
  // typed on マイページ opens the Japanese greeting) would otherwise be an anchor in our mail.
  const isOurLink = (line: string) => secrets.url !== undefined && line === secrets.url && /^(?:https?|jsa-webdesk):\/\//.test(line);
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.7">${lines
    .map((line) => (isOurLink(line) ? `<p><a href="${escapeHtml(line)}">${escapeHtml(line)}</a></p>` : `<p>${escapeHtml(line) || '&nbsp;'}</p>`))
    .join('')}</body></html>`;
  return { subject, text, html };
}

/** What staff see in the outbox: the same mail with the code and link replaced. */
export const maskedSecrets: MailSecrets = { code: '••••••••••', url: '（リンクは表示されません / link hidden）' };
