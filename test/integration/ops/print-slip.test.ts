// app.printSlip / app.testPrint (issue 15): the 受付票 goes to the printer named on 初期設定
// through the Electron shell's printer (here a recording stand-in for Electron's
// webContents.print); web mode and an unset printer answer why not; a refused job is `failed`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App, ShellPrinter } from '../../../src-main/app/create-app';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { kiosk } from '../support/test-app';
import { startOpsApp, staff } from './ops-support';

describe('受付票 printing', () => {
  let dir: TempDir;
  let app: App;
  let jobs: string[];
  let accept: boolean;
  const printer: ShellPrinter = {
    printWindow: async (name) => {
      jobs.push(`slip@${name}`);
      return accept;
    },
    printTestPage: async (name) => {
      jobs.push(`test@${name}`);
      return accept;
    },
  };
  /** A customer at the Electron kiosk: the same session, over IPC. */
  const customerOverIpc = (session = kiosk(app).session) => ({
    printSlip: () => app.dispatch('app.printSlip', {}, { session, transport: 'ipc', actor: 'kiosk' }),
  });

  beforeEach(async () => {
    dir = await makeTempDir();
    jobs = [];
    accept = true;
    app = await startOpsApp({ dataDir: dir.path, env: { WEBDESK_MODE: 'kiosk' }, app: { printer } });
  });
  afterEach(async () => {
    await app.close();
    await dir.remove();
  });

  it('asks for the print dialog until 初期設定 names a printer, then prints silently there', async () => {
    expect(await customerOverIpc().printSlip()).toEqual({ ok: true, value: { done: false, reason: 'no-printer' } });
    const admin = staff(app, 'admin');
    const saved = await admin.ok('ops.setup.save', { printerName: '  Counter-Receipt-80  ' });
    expect(saved.printerName).toBe('Counter-Receipt-80');
    expect((await admin.ok('ops.setup.get', {})).printerName).toBe('Counter-Receipt-80');
    // Control characters and marks nobody sees are no printer's name (they were stored and audited).
    for (const odd of ['Counter\u0000Receipt', 'Counter\u202EReceipt', 'Counter\u200BReceipt']) expect(await admin.call('ops.setup.save', { printerName: odd })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await admin.ok('ops.setup.get', {})).printerName).toBe('Counter-Receipt-80');
    expect(await customerOverIpc().printSlip()).toEqual({ ok: true, value: { done: true } });
    expect(jobs).toEqual(['slip@Counter-Receipt-80']);
  });

  it('answers web-mode over HTTP without touching the printer, and failed when the printer refuses', async () => {
    await staff(app, 'admin').ok('ops.setup.save', { printerName: 'Counter-Receipt-80' });
    expect(await kiosk(app).ok('app.printSlip', {})).toEqual({ done: false, reason: 'web-mode' });
    expect(jobs).toEqual([]);
    accept = false;
    expect(await customerOverIpc().printSlip()).toEqual({ ok: true, value: { done: false, reason: 'failed' } });
  });

  it('prints a test page to the typed printer for an admin only', async () => {
    expect(await staff(app, 'admin').ok('app.testPrint', { printerName: 'Office-A4' })).toEqual({ done: true });
    expect(jobs).toEqual(['test@Office-A4']);
    const agent = await staff(app, 'agent').call('app.testPrint', { printerName: 'Office-A4' });
    expect(agent.ok).toBe(false);
    const empty = await staff(app, 'admin').call('app.testPrint', { printerName: '  ' });
    expect(empty.ok).toBe(false);
    expect(jobs).toEqual(['test@Office-A4']);
  });
});
