// Central reachable but refusing the counter: read-only, a role not allowed to sync, a schema
// this counter does not expect. Each is a state staff read in words (staff.sync.failure.*),
// not 「中央データベースを使えませんでした」 and a code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { centralFailureKind, type CentralFailureKind } from '../../../src-main/contract/central-failures';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

describe('central refusing a counter', () => {
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

  const offlineAs = async (kioskId: string, centralUrl: string): Promise<CentralFailureKind> => {
    const dir = await makeTempDir('webdesk-refusal-');
    const app = await startKiosk({ dataDir: dir.path, kioskId, centralUrl });
    running.push({ app, dir });
    const status = await waitFor(async () => {
      const s = await app.sync!.status();
      return s.state === 'offline' && s.lastErrorCode ? s : undefined;
    }, { what: `${kioskId} offline with a reason` });
    return centralFailureKind(status.lastErrorCode);
  };

  it('names a central that takes no writes', async () => {
    await central.query(`CREATE ROLE kiosk_ro LOGIN IN ROLE webdesk_kiosk`);
    await central.query(`ALTER ROLE kiosk_ro SET default_transaction_read_only = on`);
    expect(await offlineAs('kiosk-ro', `postgres://kiosk_ro@127.0.0.1:${central.server.port}/postgres`)).toBe('read-only');
  });

  it('names a role that may not sync', async () => {
    await central.query(`CREATE ROLE stranger LOGIN`);
    expect(await offlineAs('kiosk-x', `postgres://stranger@127.0.0.1:${central.server.port}/postgres`)).toBe('permission');
  });

  it('names a central at another schema version', async () => {
    await central.query(`ALTER FUNCTION sync_code_keys() RENAME TO sync_code_keys_before`);
    try {
      expect(await offlineAs('kiosk-o', await central.kioskUrl('kiosk_o'))).toBe('schema');
    } finally {
      await central.query(`ALTER FUNCTION sync_code_keys_before() RENAME TO sync_code_keys`);
    }
  });
});
