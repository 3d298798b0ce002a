// /health and 診断情報 carry the sync state: a counter cut off from central for minutes, its
// changes waiting, was 'ok' there (sync.lagSeconds was always null).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { centralFailureKind } from '../../../src-main/contract/central-failures';
import { SYNC_OFFLINE_MS } from '../../../src-main/services/ops/health';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

describe('/health with a central database', () => {
  let central: Central;
  let dir: TempDir;
  let app: App;
  // The counter's clock, moved on by the test (sync's own scheduling keeps the monotonic clock).
  let aheadMs = 0;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       VALUES ('0190a000-0000-7000-8000-00000000d001', '11111111111', 'yamada@example.co.jp', 'yamada@example.co.jp', '山田 太郎', '株式会社テスト', 1, $1, $1)`,
      ['2026-01-01T00:00:00.000Z'],
    );
    dir = await makeTempDir('webdesk-health-sync-');
    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-h', centralUrl: await central.kioskUrl('kiosk_h'), clock: { nowMs: () => Date.now() + aheadMs } });
    await waitOnline(app);
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
    await central?.stop();
  });

  it('says online with nothing waiting, then offline with the wait, and a problem once it has lasted', async () => {
    await waitPushed(app);
    expect((await app.health()).sync).toMatchObject({ central: true, state: 'online', offlineSince: null, outboxDepth: 0, lagSeconds: null });
    expect((await app.health()).problems.filter((p) => p.startsWith('sync-'))).toEqual([]);

    await central.server.halt('fast');
    const id = (await findAccountByJsaId(app.db, '11111111111'))!.id;
    await updateAccount(app.db, id, { company: '株式会社 オフライン' }, new Date().toISOString());
    app.sync!.kick();
    await waitFor(async () => ((await app.health()).sync.state === 'offline' ? true : undefined), { what: 'offline on /health' });
    const offline = await app.health();
    expect(offline.sync.outboxDepth).toBe(1);
    // A code only (a message may name the host): the screens word it.
    expect(['refused', 'lost']).toContain(centralFailureKind(offline.sync.lastErrorCode));
    expect(offline.problems).not.toContain('sync-offline');

    aheadMs = SYNC_OFFLINE_MS + 60_000;
    const later = await app.health();
    expect(later.problems).toContain('sync-offline');
    expect(later.status).toBe('degraded');
    expect(later.sync.lagSeconds).toBeGreaterThanOrEqual(SYNC_OFFLINE_MS / 1000);
  });
});
