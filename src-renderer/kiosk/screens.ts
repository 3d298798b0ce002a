import type { CallOutput } from '../../src-main/contract';
import type { InquiryKind, InquiryReceipt } from '../inquiry/InquiryPage';
import type { MypageNotice } from '../mypage/mypage-screens';

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
  | { name: 'done'; maskedJsaId: string }
  // Issue 4: マイページ (logged in) and the two inquiry forms reached from ID忘れ.
  | { name: 'mypage'; notice?: MypageNotice }
  | { name: 'mypage-name' }
  | { name: 'mypage-email' }
  | { name: 'mypage-password' }
  | { name: 'inquiry'; kind: InquiryKind }
  | { name: 'inquiry-done'; receipt: InquiryReceipt };

export type Me = CallOutput<'account.me'>;

export const loggedOut: Me = { loggedIn: false };
