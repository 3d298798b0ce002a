import { AppError } from '../contract/errors';
import type { Locale } from '../contract/fields';
import type { Clock } from './clock';
import type { ResetService, Verified } from './reset-service';
import type { Session, SessionRegistry } from './sessions';
import type { SettingsService } from './settings-service';

/**
 * The grant 「確認」 handed out, held by the main process in the session that asked for it, so
 * a reload of パスワード登録 (F5, a touch on the browser's reload) resumes the step instead of
 * sending the customer back for a code already spent. It is resumed only in that session (the
 * web page's cookie, the Electron window), only while the grant itself lives (15 min) and only
 * when the session has used it within the kiosk's idle timeout: a page closed on パスワード登録
 * does not open there for the next customer. The kiosk's wipe (最初に戻る, the idle timeout)
 * calls account.logout, which forgets it (decisions.md).
 */
export function createHeldGrants(deps: { reset: ResetService; settings: SettingsService; clock: Clock; sessions: SessionRegistry }) {
  const { reset, settings, clock, sessions } = deps;

  /**
   * 「確認」 succeeded: this session holds the grant from now on, under a new id. Whoever saw the
   * kiosk's cookie before the customer came would otherwise resume the grant from a second
   * browser and register a password of their own (HTTP probe, session 14).
   */
  function hold(session: Session, verified: Verified): Verified {
    sessions.rotate(session);
    session.resetGrant = { grant: verified.grant, usedMs: clock.nowMs() };
    return verified;
  }

  /** The page used its grant (the live checklist): the idle clock of the held grant starts again. */
  function used(session: Session, grant: string): void {
    if (session.resetGrant?.grant === grant) session.resetGrant.usedMs = clock.nowMs();
  }

  function forget(session: Session): void {
    delete session.resetGrant;
  }

  /**
   * The held grant, as 「確認」 answered it; null when there is none, it is spent or over, or the
   * session sat idle. Only a reload resumes: a customer who left with Back and walked away must
   * not leave パスワード登録 one Forward away for the next person; such a page ends it.
   */
  async function resume(session: Session, reload: boolean): Promise<{ verified: Verified | null; locale?: Locale }> {
    const held = session.resetGrant;
    if (!held) return { verified: null };
    if (!reload) {
      forget(session);
      return { verified: null };
    }
    const nowMs = clock.nowMs();
    const idleMs = (await settings.get()).idleTimeoutSeconds * 1000;
    if (nowMs - held.usedMs > idleMs || nowMs < held.usedMs) {
      forget(session);
      return { verified: null };
    }
    try {
      const resumed = await reset.resumeGrant(held.grant);
      held.usedMs = nowMs;
      return resumed;
    } catch (error) {
      // Spent (パスワード登録 done elsewhere), over, or voided by a newer request: nothing to resume.
      if (!(error instanceof AppError)) throw error;
      forget(session);
      return { verified: null };
    }
  }

  return { hold, used, forget, resume };
}

export type HeldGrants = ReturnType<typeof createHeldGrants>;
