import { formatDuration } from '../../domain/duration-text';
import type { MailParams, MailSecrets } from './mail-templates';

/**
 * Mails of login, マイページ and the kiosk forms, kept apart from the reset mails so each
 * branch of the project edits its own file. Nothing the public typed into a form appears in
 * these mails except the reference, so a form cannot be used to send our mail with someone
 * else's text in it.
 */
export const contactMailTemplates = [
  'login-locked',
  'email-change-code',
  'email-change-requested',
  'email-change-completed',
  'inquiry-received',
] as const;
export type ContactMailTemplate = (typeof contactMailTemplates)[number];

export function isContactMailTemplate(template: string): template is ContactMailTemplate {
  return (contactMailTemplates as readonly string[]).includes(template);
}

interface Body {
  subject: string;
  lines: string[];
}

export function contactBodyJa(template: ContactMailTemplate, p: MailParams, s: MailSecrets, greeting: string, footer: string[]): Body {
  switch (template) {
    case 'login-locked':
      return {
        subject: '【JSA Webdesk】ログインを一時停止しました',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} へのログインは、パスワードの誤りが続いたため停止しています。`,
          '',
          'ログイン画面の「ID 忘れ・パスワード忘れ」からパスワードを登録し直すと、新しいパスワードで再びログインできます。',
          '窓口では係員にお声がけください。',
          '',
          'お心当たりのない場合は、第三者がログインを試みた可能性があります。下記までご連絡ください。',
          ...footer,
        ],
      };
    case 'email-change-code':
      return {
        subject: '【JSA Webdesk】メールアドレス変更の確認コード',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} のメールアドレスを、このアドレスに変更するお申し込みを受け付けました。`,
          'マイページの「確認コード」欄に次のコードをご入力ください。入力するまで変更は行われません。',
          '',
          `確認コード: ${s.code ?? ''}`,
          '',
          `このコードの有効期限は ${formatDuration(p.lifetimeMinutes ?? 30, 'ja')}です。お心当たりのない場合は、このメールを破棄してください。`,
          ...footer,
        ],
      };
    case 'email-change-requested':
      return {
        subject: '【JSA Webdesk】メールアドレス変更のお申し込みがありました',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} のメールアドレスを ${p.maskedNewEmail ?? ''} に変更するお申し込みがありました。`,
          '新しいアドレスに届いた確認コードが入力されると、変更が行われます。',
          '',
          'お心当たりのない場合は、至急下記までご連絡ください。',
          ...footer,
        ],
      };
    case 'email-change-completed':
      return {
        subject: '【JSA Webdesk】メールアドレスが変更されました',
        lines: [
          greeting,
          '',
          `JSA-ID ${p.maskedJsaId ?? ''} のメールアドレスは ${p.changedAt ?? ''} に ${p.maskedNewEmail ?? ''} へ変更されました。`,
          '今後のお知らせは新しいアドレスにお送りします。',
          '',
          'お心当たりのない場合は、至急下記までご連絡ください。',
          ...footer,
        ],
      };
    case 'inquiry-received':
      return {
        subject: `【JSA Webdesk】お問合せを受け付けました（受付番号 ${p.reference ?? ''}）`,
        lines: [
          'JSA Webdesk をご利用のお客様',
          '',
          p.inquiryKind === 'contact_change'
            ? '前任者退職に伴う担当者変更のお申し込みを受け付けました。'
            : 'JSA-ID のお問合せを受け付けました。',
          `受付番号: ${p.reference ?? ''}`,
          '',
          p.inquiryKind === 'contact_change'
            ? '係員がご登録の情報と照合し、ご本人様であることを確認できましたら、このアドレスにご連絡します。'
            : '係員がご登録の情報と照合し、ご本人様であることを確認できましたら、JSA-ID をご登録のメールアドレスにお送りし、このアドレスには確認の結果をお知らせします。',
          'ご住所や会社名などがご登録の情報と異なる場合は、お受けできないことがあります。',
          'お問合せの際は受付番号をお知らせください。',
          '',
          'お心当たりのない場合は、このメールを破棄してください。',
          ...footer,
        ],
      };
  }
}

export function contactBodyEn(template: ContactMailTemplate, p: MailParams, s: MailSecrets, greeting: string, footer: string[]): Body {
  switch (template) {
    case 'login-locked':
      return {
        subject: '[JSA Webdesk] Login paused',
        lines: [
          greeting,
          '',
          `Login to JSA-ID ${p.maskedJsaId ?? ''} is paused after repeated wrong passwords.`,
          '',
          'Set a new password with "Forgot ID / password" (ID 忘れ・パスワード忘れ) on the login screen; you can then log in with it.',
          'At the counter, please ask the staff.',
          '',
          'If this was not you, someone may have tried to log in. Please contact us below.',
          ...footer,
        ],
      };
    case 'email-change-code':
      return {
        subject: '[JSA Webdesk] Confirmation code for your new e-mail address',
        lines: [
          greeting,
          '',
          `We received a request to change the e-mail address of JSA-ID ${p.maskedJsaId ?? ''} to this address.`,
          'Enter the code below on My page. Nothing changes until you do.',
          '',
          `Confirmation code: ${s.code ?? ''}`,
          '',
          `The code is valid for ${formatDuration(p.lifetimeMinutes ?? 30, 'en')}. If you did not ask for it, please ignore this mail.`,
          ...footer,
        ],
      };
    case 'email-change-requested':
      return {
        subject: '[JSA Webdesk] A change of your e-mail address was requested',
        lines: [
          greeting,
          '',
          `Someone asked to change the e-mail address of JSA-ID ${p.maskedJsaId ?? ''} to ${p.maskedNewEmail ?? ''}.`,
          'The change takes effect when the code sent to the new address is entered.',
          '',
          'If this was not you, contact us at once.',
          ...footer,
        ],
      };
    case 'email-change-completed':
      return {
        subject: '[JSA Webdesk] Your e-mail address was changed',
        lines: [
          greeting,
          '',
          `The e-mail address of JSA-ID ${p.maskedJsaId ?? ''} was changed to ${p.maskedNewEmail ?? ''} at ${p.changedAt ?? ''}.`,
          'We will write to the new address from now on.',
          '',
          'If this was not you, contact us at once.',
          ...footer,
        ],
      };
    case 'inquiry-received':
      return {
        subject: `[JSA Webdesk] We received your inquiry (reference ${p.reference ?? ''})`,
        lines: [
          'Dear JSA Webdesk customer,',
          '',
          p.inquiryKind === 'contact_change'
            ? 'We received your request to change the contact person after the predecessor left.'
            : 'We received your inquiry about your JSA-ID.',
          `Reference: ${p.reference ?? ''}`,
          '',
          p.inquiryKind === 'contact_change'
            ? 'Our staff will compare it with the registered data and write to this address once they could confirm who you are.'
            : 'Once our staff confirm who you are, the JSA-ID goes to the registered e-mail address, and this address gets the result.',
          'If the address or company name differs from the registered data, we may not be able to help.',
          'Please quote the reference when you contact us.',
          '',
          'If you did not send this, please ignore this mail.',
          ...footer,
        ],
      };
  }
}
