// A kiosk in a stream of central changes stops listening (central's NOTIFY fan-out is kiosks ×
// commits) and pulls on a timer; the first empty pull brings LISTEN back, and nothing committed
// meanwhile is missed. The kiosk polls once a minute here, so what arrives within a wait's
// bound while it listens came by NOTIFY.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId } from '../../../src-main/store/accounts-repo';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const STREAM_PULL_MS = 1_500;
/** Far more than two timer pulls take on any machine: a bound on a loop, not a time. */
const MAX_STREAM_COMMITS = 50_000;

describe('a kiosk in a stream of changes', () => {
  let central: Central;
  let dir: TempDir;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000b001', '51111111111', 's1@example.co.jp', 's1@example.co.jp', '流 一', '株式会社テスト', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000b002', '52222222222', 's2@example.co.jp', 's2@example.co.jp', '流 二', '株式会社テスト', 1, $1, $1)`,
      [NOW],
    );
    dir = await makeTempDir('webdesk-sync-stream-');
    b = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-b', centralUrl: await central.kioskUrl('kiosk_b'), syncOptions: { pollMs: 60_000, streamPullMs: STREAM_PULL_MS } });
    await waitOnline(b);
  });

  afterAll(async () => {
    await b?.close();
    await dir?.remove();
    await central?.stop();
  });

  it('pulls on a timer during the stream, misses nothing, and hears a lone change by NOTIFY afterwards', async () => {
    // The stream: one commit after another at central (a NOTIFY each, far faster than a pull)
    // until B has stopped listening and pulled twice on its timer meanwhile. Counted in states,
    // not in seconds: a busy machine commits fewer per second, and then the stream runs longer.
    const pulledTotal = async () => (await readSyncState(b.db)).pulled_total;
    let n = 0;
    let timerPulls = 0;
    let seen: number | undefined;
    while (timerPulls < 2) {
      n += 1;
      if (n > MAX_STREAM_COMMITS) throw new Error(`B stopped listening and pulled on its timer ${timerPulls} times in ${MAX_STREAM_COMMITS} commits`);
      await central.query(`UPDATE accounts SET contact_name = $1 WHERE jsa_id = '51111111111'`, [`流 ${n}`]);
      // LISTEN is off: no NOTIFY reaches B, so what its pulled total gains now came by the timer.
      if (b.sync!.listening) seen = undefined;
      else {
        const total = await pulledTotal();
        if (seen !== undefined && total > seen) timerPulls += 1;
        seen = total;
      }
    }

    // Nothing missed: the stream's last change arrives (by the timer, then the pull after LISTEN).
    await waitFor(async () => ((await findAccountByJsaId(b.db, '51111111111'))?.contact_name === `流 ${n}` ? true : undefined), { what: 'last change of the stream at B' });

    // After the stream, LISTEN is back (the first empty pull brings it). Waited for, not slept
    // through: a pull that is slow on a busy machine brings it later.
    await waitFor(() => (b.sync!.listening ? true : undefined), { what: 'LISTEN back at B after the stream' });
    // A lone change then arrives by NOTIFY (or by the one pull LISTEN's return makes): no stream
    // timer runs while listening, and the minute's poll is beyond the wait's bound.
    await central.query(`UPDATE accounts SET contact_name = '単発' WHERE jsa_id = '52222222222'`);
    await waitFor(async () => ((await findAccountByJsaId(b.db, '52222222222'))?.contact_name === '単発' ? true : undefined), { what: 'lone change at B' });
  });
});
