// A counter whose clock is hours off central's: its codes and attempt counts carry its time to
// the other counters, so 同期 must be able to name it. The offset is measured on connect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { centralFailureKind } from '../../../src-main/contract/central-failures';
import { CLOCK_SKEW_MS } from '../../../src-main/contract/clock-skew';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('clocks that differ from central', () => {
  let central: Central;
  const running: Array<{ app: App; dir: TempDir }> = [];

  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    for (const r of running) {
      await r.app.close();
      await r.dir.remove();
    }
    await central?.stop();
  });

  const kioskAhead = async (kioskId: string, aheadMs: number): Promise<App> => {
    const dir = await makeTempDir('webdesk-skew-');
    const app = await startKiosk({ dataDir: dir.path, kioskId, centralUrl: await central.kioskUrl(kioskId.replace('-', '_')), clock: { nowMs: () => Date.now() + aheadMs } });
    running.push({ app, dir });
    await waitOnline(app);
    return app;
  };

  it('measures a clock three hours ahead, and one in step as within the allowed skew', async () => {
    const ahead = await kioskAhead('kiosk-ahead', 3 * HOUR_MS);
    const inStep = await kioskAhead('kiosk-step', 0);
    const measured = (app: App) => app.sync!.status().then((s) => s.clockAheadMs!);
    expect(Math.abs((await measured(ahead)) - 3 * HOUR_MS)).toBeLessThan(60_000);
    expect(Math.abs(await measured(inStep))).toBeLessThan(CLOCK_SKEW_MS);
  });

  it('holds the outbox, worded, while the clock is three months behind central, instead of sending changes central would hold back as expired; sends them once it is right', async () => {
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       VALUES ('0190a000-0000-7000-8000-00000000c1a1', '88888888881', 'tokei@example.co.jp', 'tokei@example.co.jp', '時計 遅', '株式会社時計', 1, $1, $1),
              ('0190a000-0000-7000-8000-00000000c1a2', '88888888882', 'other@example.co.jp', 'other@example.co.jp', '他 窓口', '株式会社時計', 1, $1, $1)`,
      ['2026-01-01T00:00:00.000Z'],
    );
    let offsetMs = -90 * DAY_MS;
    const dir = await makeTempDir('webdesk-skew-');
    const app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-behind', centralUrl: await central.kioskUrl('kiosk_behind'), clock: { nowMs: () => Date.now() + offsetMs } });
    running.push({ app, dir });
    // The step that ran the first sync ends before the state says offline again: wait for that.
    const held = await waitFor(async () => {
      const s = await app.sync!.status();
      return s.firstSync.state === 'done' && s.lastErrorCode === 'CLOCK_BEHIND' && s.state === 'offline' ? s : undefined;
    }, { what: 'the first sync done and the outbox held by the clock, the state offline' });
    expect(centralFailureKind(held.lastErrorCode)).toBe('clock');

    // A change here waits; one at central still arrives (pulls go on), after this counter looked at its outbox.
    const account = await findAccountByJsaId(app.db, '88888888881');
    await updateAccount(app.db, account!.id, { department: '時計の遅い窓口' }, new Date(Date.now() + offsetMs).toISOString());
    await central.query(`UPDATE accounts SET department = '中央の部署', version = version + 1 WHERE jsa_id = '88888888882'`);
    await waitFor(async () => ((await findAccountByJsaId(app.db, '88888888882'))?.department === '中央の部署' ? true : undefined), { what: 'central’s change at the counter' });
    expect((await app.sync!.status()).outboxDepth).toBe(1);
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '88888888881'`)).toEqual([{ department: '' }]);
    expect(await central.query(`SELECT count(*)::int AS n FROM sync_conflicts`)).toEqual([{ n: 0 }]);

    // The clock is set right: the change leaves without a restart, as a change, not a conflict.
    offsetMs = 0;
    app.sync!.kick();
    await waitPushed(app);
    await waitOnline(app);
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '88888888881'`)).toEqual([{ department: '時計の遅い窓口' }]);
    expect(await central.query(`SELECT count(*)::int AS n FROM sync_conflicts`)).toEqual([{ n: 0 }]);
  }, 60_000);
});
