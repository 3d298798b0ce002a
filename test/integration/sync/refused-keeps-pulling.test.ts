// A counter central refuses as another installation (WD002, central 0017: its PC renamed, its
// data folder moved, or a copy) keeps receiving central's rows while its own changes wait for a
// take-over: a reset lock set at another counter reaches it, so a customer locked there cannot
// go on trying codes here. After the take-over its waiting change goes, and a change another
// counter made to the same account meanwhile meets it with the usual conflict handling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { activeLock, addLock } from '../../../src-main/store/limits-repo';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';

const NOW = '2026-01-01T00:00:00.000Z';
/** The installation that pushed under the refused counter's identity before (its PC's old name). */
const OLD_INSTALLATION = 'cd'.repeat(16);
const JSA_ID = '88888888888';

describe('a counter refused as another installation', () => {
  let central: Central;
  const dirs: TempDir[] = [];
  let other: App;
  let refused: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000f101', $2, 'pull@example.co.jp', 'pull@example.co.jp', '受信 一', '株式会社受信', 1, $1, $1)`,
      [NOW, JSA_ID],
    );
    dirs.push(await makeTempDir('webdesk-refused-other-'), await makeTempDir('webdesk-refused-'));
    other = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-o', centralUrl: await central.kioskUrl('kiosk_o') });
    refused = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-r', centralUrl: await central.kioskUrl('kiosk_r') });
    await Promise.all([waitOnline(other), waitOnline(refused)]);
    await Promise.all([waitPushed(other), waitPushed(refused)]);
  });

  afterAll(async () => {
    await other?.close();
    await refused?.close();
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  it('receives a lock set at another counter while its own change waits, and after the take-over its change goes with the usual conflict handling', async () => {
    await central.query(`UPDATE kiosks SET instance = $1 WHERE kiosk_id = 'kiosk-r'`, [OLD_INSTALLATION]);
    const accountId = (await findAccountByJsaId(refused.db, JSA_ID))!.id;
    await updateAccount(refused.db, accountId, { department: '拒否中の部署' }, '2026-01-05T00:00:00.000Z');
    await waitFor(async () => {
      const s = await refused.sync!.status();
      return s.mode === 'synced' && s.lastErrorCode === 'WD002' && s.outboxDepth > 0 ? true : undefined;
    }, { what: 'the counter refused as another installation' });

    // Too many code failures at the other counter: its reset lock, and its own change to the account.
    await addLock(other.db, accountId, 'reset', 'code-failures', '2026-01-05T00:01:00.000Z');
    await updateAccount(other.db, accountId, { department: '別の窓口の部署' }, '2026-01-05T00:02:00.000Z');
    await waitPushed(other);
    await waitFor(async () => ((await activeLock(refused.db, accountId, 'reset')) ? true : undefined), { what: 'the other counter\'s lock at the refused counter' });

    // Still refused, and said so: the change waits, 診断情報 names the refusal.
    const waiting = await refused.sync!.status();
    expect(waiting).toMatchObject({ state: 'offline', lastErrorCode: 'WD002', outboxDepth: 1 });
    expect(waiting.lastPullAt).not.toBeNull();
    expect((await refused.health()).problems).toContain('sync-other-installation');
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = $1`, [JSA_ID])).toEqual([{ department: '別の窓口の部署' }]);

    expect(await refused.sync!.takeOver('test')).toBe('taken-over');
    await waitPushed(refused);
    await waitOnline(refused);
    // The waiting change was made on an older version than central's: a conflict for staff, as for any late push.
    expect(await central.query(`SELECT kind, kiosk_id, table_name, fields FROM sync_conflicts WHERE row_key = $1`, [accountId])).toEqual([
      { kind: 'edit', kiosk_id: 'kiosk-r', table_name: 'accounts', fields: ['department'] },
    ]);
    // Central kept the other counter's value until staff decide on 同期; this counter comes to show it too.
    await waitFor(async () => ((await findAccountByJsaId(refused.db, JSA_ID))?.department === '別の窓口の部署' ? true : undefined), { what: 'central\'s value at the counter' });
    expect(await activeLock(refused.db, accountId, 'reset')).toBeDefined();
  });
});
