import type { KioskView } from '../contract/kiosk-calls';
import type { Clock } from './clock';
import type { Session } from './sessions';
import type { SettingsService } from './settings-service';

/**
 * The kiosk screen's look (文字サイズ, コントラスト, 音声案内, キーボード, the language) and its
 * step (変更権限コード), held in the session that showed them, so F5 or a renderer coming back
 * from a crash does not take 特大 or 白黒反転 away from a customer mid-task. The page keeps no
 * storage (kiosk hygiene), so the main process holds it, under the held grant's rules
 * (held-grant.ts): given back only on a reload, only to that session, only when the page said
 * it within the kiosk's idle timeout; the kiosk's wipe (最初に戻る, the idle timeout) calls
 * account.logout, which forgets it. Nothing typed is ever part of it (decisions.md).
 */
export function createHeldViews(deps: { settings: SettingsService; clock: Clock }) {
  const { settings, clock } = deps;

  function hold(session: Session, view: KioskView): { held: true } {
    session.kioskView = { view, usedMs: clock.nowMs() };
    return { held: true };
  }

  function forget(session: Session): void {
    delete session.kioskView;
  }

  async function resume(session: Session, reload: boolean): Promise<{ view: KioskView | null }> {
    const held = session.kioskView;
    if (!held) return { view: null };
    const nowMs = clock.nowMs();
    const idleMs = (await settings.get()).idleTimeoutSeconds * 1000;
    if (!reload || nowMs - held.usedMs > idleMs || nowMs < held.usedMs) {
      forget(session);
      return { view: null };
    }
    held.usedMs = nowMs;
    return { view: held.view };
  }

  return { hold, forget, resume };
}

export type HeldViews = ReturnType<typeof createHeldViews>;
