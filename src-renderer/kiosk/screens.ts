import type { CallOutput } from '../../src-main/contract';

/** What 「確認」 hands to パスワード登録: the grant and the policy the checklist shows. */
export type Verified = CallOutput<'reset.verifyCode'>;

/**
 * The wizard's states (seed steps 1–6, plus the end). The 受付完了 popup is not a screen:
 * it is a dialog over ID忘れ that leads on to 変更権限コード.
 */
export type Screen =
  | { name: 'top' }
  | { name: 'login' }
  | { name: 'forgot' }
  | { name: 'code'; token?: string }
  | { name: 'password'; verified: Verified }
  | { name: 'done'; maskedJsaId: string };

export type Me = CallOutput<'account.me'>;

export const loggedOut: Me = { loggedIn: false };
