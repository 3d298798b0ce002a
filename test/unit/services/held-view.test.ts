// The kiosk view a reload gives back (held-view.ts): only on a reload, only to its session,
// only while the page said it within the idle timeout; never once the kiosk's wipe forgot it.
import { describe, expect, it } from 'vitest';
import type { KioskView } from '../../../src-main/contract/kiosk-calls';
import { defaultRuntimeSettings } from '../../../src-main/domain/runtime-settings';
import { createHeldViews } from '../../../src-main/services/held-view';
import type { SettingsService } from '../../../src-main/services/settings-service';
import { SessionRegistry } from '../../../src-main/services/sessions';

const xlarge: KioskView = { textSize: 'xlarge', contrast: 'inverted', voice: false, keyboard: false, locale: 'ja', step: 'code' };

function held(idleTimeoutSeconds = 180) {
  let now = 1_800_000_000_000;
  const clock = { nowMs: () => now };
  const settings = { get: async () => ({ ...defaultRuntimeSettings, idleTimeoutSeconds }) } as unknown as SettingsService;
  const sessions = new SessionRegistry(clock);
  return { views: createHeldViews({ settings, clock }), sessions, advance: (ms: number) => (now += ms) };
}

describe('held kiosk view', () => {
  it('gives the view back on a reload within the idle timeout, again and again', async () => {
    const { views, sessions, advance } = held();
    const session = sessions.create();
    views.hold(session, xlarge);
    advance(179_000);
    expect(await views.resume(session, true)).toEqual({ view: xlarge });
    advance(179_000);
    expect(await views.resume(session, true)).toEqual({ view: xlarge });
  });

  it('lets it go past the idle timeout (or with the clock stepped back), on any arrival but a reload, and when the wipe forgets it', async () => {
    const { views, sessions, advance } = held();
    const idle = sessions.create();
    views.hold(idle, xlarge);
    advance(181_000);
    expect(await views.resume(idle, true)).toEqual({ view: null });

    const stepped = sessions.create();
    views.hold(stepped, xlarge);
    advance(-60_000);
    expect(await views.resume(stepped, true)).toEqual({ view: null });

    const backForward = sessions.create();
    views.hold(backForward, xlarge);
    expect(await views.resume(backForward, false)).toEqual({ view: null });
    expect(await views.resume(backForward, true)).toEqual({ view: null });

    const wiped = sessions.create();
    views.hold(wiped, xlarge);
    views.forget(wiped);
    expect(await views.resume(wiped, true)).toEqual({ view: null });
  });

  it('is given back to its own session only', async () => {
    const { views, sessions } = held();
    views.hold(sessions.create(), xlarge);
    expect(await views.resume(sessions.create(), true)).toEqual({ view: null });
  });
});
