// A kiosk in a stream of central changes stops listening (central's NOTIFY fan-out is kiosks ×
// commits) and pulls on a timer; the first empty pull brings LISTEN back, and nothing committed
// meanwhile is missed. The kiosk polls once a minute here, so what arrives fast came by NOTIFY.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId } from '../../../src-main/store/accounts-repo';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const STREAM_PULL_MS = 1_500;

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
    // The stream: one commit after another at central for 3 s (a NOTIFY each, far faster than a pull).
    const pulls: Array<{ at: number; total: number }> = [];
    let streaming = true;
    const sampler = (async () => {
      while (streaming) {
        pulls.push({ at: performance.now(), total: (await readSyncState(b.db)).pulled_total });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const until = performance.now() + 3_000;
    let n = 0;
    while (performance.now() < until) {
      n += 1;
      await central.query(`UPDATE accounts SET contact_name = $1 WHERE jsa_id = '51111111111'`, [`流 ${n}`]);
    }
    streaming = false;
    await sampler;
    expect(n).toBeGreaterThan(100);

    // LISTEN was off: B's pulled total stood still for most of a timer interval while central committed.
    let longestStillMs = 0;
    for (let i = 0, from = 0; i < pulls.length; i += 1) {
      if (pulls[i]!.total !== pulls[from]!.total) from = i;
      longestStillMs = Math.max(longestStillMs, pulls[i]!.at - pulls[from]!.at);
    }
    expect(longestStillMs).toBeGreaterThan(STREAM_PULL_MS * 0.6);

    // Nothing missed: the stream's last change arrives (by the timer, then the pull after LISTEN).
    await waitFor(async () => ((await findAccountByJsaId(b.db, '51111111111'))?.contact_name === `流 ${n}` ? true : undefined), { what: 'last change of the stream at B', timeoutMs: 10_000 });

    // After the stream, LISTEN is back: a lone change arrives at once, not at the minute's poll
    // nor on the stream timer.
    await new Promise((r) => setTimeout(r, 2 * STREAM_PULL_MS));
    await central.query(`UPDATE accounts SET contact_name = '単発' WHERE jsa_id = '52222222222'`);
    const started = performance.now();
    await waitFor(async () => ((await findAccountByJsaId(b.db, '52222222222'))?.contact_name === '単発' ? true : undefined), { what: 'lone change at B', timeoutMs: 5_000 });
    expect(performance.now() - started).toBeLessThan(STREAM_PULL_MS / 2);
  });
});
