// The Electron kiosk's way back to kiosk mode after 「全画面表示を終了する」, without Electron: the
// events electron-main.ts feeds kiosk-return.ts (the window's URL, each call's staff login).
import { describe, expect, it, vi } from 'vitest';
import { createKioskReturn, kioskWanted, screenOf } from '../../../src-main/app/kiosk-return';

const PAGE = 'file:///opt/jsa-webdesk/resources/app/dist/renderer/index.html';

/** A kiosk whose staff have just left kiosk mode on their tools. */
function leftOnStaffTools(deployment: 'kiosk' | 'staff' = 'kiosk') {
  const restore = vi.fn();
  const shell = createKioskReturn(deployment, restore);
  shell.shown(`${PAGE}#/staff`);
  shell.called(true);
  shell.left(`${PAGE}#/staff`);
  return { shell, restore };
}

describe('screenOf', () => {
  it.each([
    [`${PAGE}#/staff`, 'staff'],
    [`${PAGE}#/staff/`, 'staff'],
    [PAGE, 'kiosk'],
    [`${PAGE}#/`, 'kiosk'],
    [`${PAGE}#/reset/abcdefghijklmnop`, 'kiosk'],
    [`${PAGE}#staff`, 'kiosk'],
    [`${PAGE}#/staffroom`, 'kiosk'],
  ])('reads %s as the %s screen', (url, screen) => {
    expect(screenOf(url)).toBe(screen);
  });
});

describe('kioskWanted', () => {
  it('is wanted on a kiosk except while logged-in staff are on their tools, and never on a staff deployment', () => {
    expect(kioskWanted({ deployment: 'kiosk', staffLoggedIn: true, screen: 'staff' })).toBe(false);
    expect(kioskWanted({ deployment: 'kiosk', staffLoggedIn: false, screen: 'staff' })).toBe(true);
    expect(kioskWanted({ deployment: 'kiosk', staffLoggedIn: true, screen: 'kiosk' })).toBe(true);
    expect(kioskWanted({ deployment: 'kiosk', staffLoggedIn: false, screen: 'kiosk' })).toBe(true);
    for (const staffLoggedIn of [true, false]) {
      for (const screen of ['kiosk', 'staff'] as const) expect(kioskWanted({ deployment: 'staff', staffLoggedIn, screen })).toBe(false);
    }
  });
});

describe('createKioskReturn', () => {
  it('leaves the window alone while the staff work on their tools', () => {
    const { shell, restore } = leftOnStaffTools();
    shell.called(true);
    shell.shown(`${PAGE}#/staff`);
    expect(restore).not.toHaveBeenCalled();
  });

  it('restores kiosk mode when the staff login ends (logout, 「キオスクに戻る」, an idle timeout on the server)', () => {
    const { shell, restore } = leftOnStaffTools();
    shell.called(false);
    expect(restore).toHaveBeenCalledTimes(1);
  });

  it('restores kiosk mode when the kiosk screen is shown again, even with the staff login still on', () => {
    const { shell, restore } = leftOnStaffTools();
    shell.shown(`${PAGE}#/`);
    expect(restore).toHaveBeenCalledTimes(1);
  });

  it('restores kiosk mode after a reload of the page (a crashed renderer comes back on トップ)', () => {
    const { shell, restore } = leftOnStaffTools();
    shell.shown(PAGE);
    expect(restore).toHaveBeenCalledTimes(1);
  });

  it('restores once per exit, and again after the next exit', () => {
    const { shell, restore } = leftOnStaffTools();
    shell.called(false);
    shell.shown(`${PAGE}#/`);
    shell.called(false);
    expect(restore).toHaveBeenCalledTimes(1);
    shell.shown(`${PAGE}#/staff`);
    shell.called(true);
    shell.left(`${PAGE}#/staff`);
    shell.shown(`${PAGE}#/`);
    expect(restore).toHaveBeenCalledTimes(2);
  });

  it('does nothing before any exit, and nothing on a staff deployment', () => {
    const restore = vi.fn();
    const kiosk = createKioskReturn('kiosk', restore);
    kiosk.shown(`${PAGE}#/`);
    kiosk.called(false);
    const { shell, restore: staffRestore } = leftOnStaffTools('staff');
    shell.called(false);
    shell.shown(`${PAGE}#/`);
    expect(restore).not.toHaveBeenCalled();
    expect(staffRestore).not.toHaveBeenCalled();
  });
});
