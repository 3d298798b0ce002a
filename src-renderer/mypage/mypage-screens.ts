import type { CallError, CallOutput } from '../../src-main/contract';

/** What マイページ says after a change, as an i18n key under mypage.notice. */
export type MypageNotice = 'name' | 'email' | 'password' | 'cancelled';

export type Profile = CallOutput<'mypage.profile'>;

/** The server ended the login (idle timeout, password changed elsewhere): back to ログイン. */
export const sessionEnded = (error: CallError) => error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED';

/** For useSubmit's `handled`: a lost session goes back to ログイン instead of showing an error. */
export const endsSession =
  (onSessionEnded: () => void) =>
  (error: CallError): boolean => {
    if (!sessionEnded(error)) return false;
    onSessionEnded();
    return true;
  };

export interface MypageNav {
  /** Back to the overview, optionally with what was just done. */
  onDone: (notice?: MypageNotice) => void;
  onSessionEnded: () => void;
}
