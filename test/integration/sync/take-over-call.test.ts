// Taking a counter's sync identity over from 同期の状態 (sync.takeOver) through the dispatcher,
// as the screen calls it. A counter whose PC was renamed, or whose data folder moved, is another
// installation to central (0017): central still holds the old one's name for the identity (set
// here by hand, as the old PC's pushes left it) and refuses the counter's pushes with WD002.
// Only an admin may take it over; the outbox then drains, and the decision is audited as the
// CLI's `--take-over` is. Central unreachable and "already this installation" are said as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { freePort } from '../../support/net';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { readyAdmin, readyStaff, type StaffClient } from '../staff/staff-support';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';

const NOW = '2026-01-01T00:00:00.000Z';
/** The installation that pushed under the identity before: the same PC under its old host name. */
const OLD_INSTALLATION = 'ab'.repeat(16);

describe('sync.takeOver', () => {
  let central: Central;
  const dirs: TempDir[] = [];
  let kiosk: App;
  let admin: StaffClient;
  let supervisor: StaffClient;
  let agent: StaffClient;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000f001', '77777777777', 'take@example.co.jp', 'take@example.co.jp', '引継 一', '株式会社引継', 1, $1, $1)`,
      [NOW],
    );
    dirs.push(await makeTempDir('webdesk-take-over-'));
    kiosk = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-t', centralUrl: await central.kioskUrl('kiosk_t') });
    await waitOnline(kiosk);
    admin = await readyAdmin(kiosk);
    supervisor = await readyStaff(kiosk, admin, 'supervisor');
    agent = await readyStaff(kiosk, admin, 'agent');
    await waitPushed(kiosk);
  });

  afterAll(async () => {
    await kiosk?.close();
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  it('lets only an admin take the identity over from a refused counter; the outbox drains and the decision is audited', async () => {
    await central.query(`UPDATE kiosks SET instance = $1 WHERE kiosk_id = 'kiosk-t'`, [OLD_INSTALLATION]);
    const accountId = (await findAccountByJsaId(kiosk.db, '77777777777'))!.id;
    await updateAccount(kiosk.db, accountId, { department: '引き継ぎ後の部署' }, '2026-01-05T00:00:00.000Z');
    await waitFor(async () => {
      const s = await kiosk.sync!.status();
      return s.mode === 'synced' && s.lastErrorCode === 'WD002' && s.outboxDepth > 0 ? true : undefined;
    }, { what: 'the counter refused as another installation' });

    // 診断情報 and /health name it at once, not as a line down for two minutes.
    const refused = await kiosk.health();
    expect(refused.problems).toContain('sync-other-installation');
    expect(refused.problems).not.toContain('sync-offline');

    expect(await agent.fails('sync.takeOver', {})).toBe('FORBIDDEN');
    expect(await supervisor.fails('sync.takeOver', {})).toBe('FORBIDDEN');
    expect(await central.query(`SELECT instance FROM kiosks WHERE kiosk_id = 'kiosk-t'`)).toEqual([{ instance: OLD_INSTALLATION }]);

    expect(await admin.ok('sync.takeOver', {})).toEqual({ result: 'taken-over' });
    await waitPushed(kiosk);
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '77777777777'`)).toEqual([{ department: '引き継ぎ後の部署' }]);
    const [held] = await central.query<{ instance: string }>(`SELECT instance FROM kiosks WHERE kiosk_id = 'kiosk-t'`);
    expect(held!.instance).toMatch(/^[0-9a-f]{32}$/);
    expect(held!.instance).not.toBe(OLD_INSTALLATION);
    await waitOnline(kiosk);
    expect((await kiosk.health()).problems).not.toContain('sync-other-installation');
    const audited = await kiosk.db('audit_log').where({ action: 'sync.identity-taken-over' }).select('actor');
    expect(audited).toEqual([{ actor: `staff:${admin.session.principal.staff!.staffId}` }]);

    // Pressed again (a second tab, a late click): nothing to take over, nothing audited.
    const again = await admin.call('sync.takeOver', {});
    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: 'CONFLICT', params: { reason: 'already-this-installation' } }) as unknown });
    expect(await kiosk.db('audit_log').where({ action: 'sync.identity-taken-over' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('says central took the identity over but the audit entry could not be written, and the outbox drains', async () => {
    await central.query(`UPDATE kiosks SET instance = $1 WHERE kiosk_id = 'kiosk-t'`, [OLD_INSTALLATION]);
    const accountId = (await findAccountByJsaId(kiosk.db, '77777777777'))!.id;
    await updateAccount(kiosk.db, accountId, { department: '記録できない引き継ぎ' }, '2026-01-06T00:00:00.000Z');
    await waitFor(async () => {
      const s = await kiosk.sync!.status();
      return s.mode === 'synced' && s.lastErrorCode === 'WD002' && s.outboxDepth > 0 ? true : undefined;
    }, { what: 'the counter refused again' });
    // A full disk, for this entry only (a temporary trigger on the store's one connection).
    await kiosk.db.raw("CREATE TEMP TRIGGER take_over_disk_full BEFORE INSERT ON main.audit_log WHEN NEW.action = 'sync.identity-taken-over' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    try {
      const result = await admin.call('sync.takeOver', {});
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNAVAILABLE', params: { reason: 'take-over-not-audited' } }) as unknown });
    } finally {
      await kiosk.db.raw('DROP TRIGGER take_over_disk_full');
    }
    // Central did take it over: the waiting change leaves without a second press.
    const [held] = await central.query<{ instance: string }>(`SELECT instance FROM kiosks WHERE kiosk_id = 'kiosk-t'`);
    expect(held!.instance).not.toBe(OLD_INSTALLATION);
    await waitPushed(kiosk);
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '77777777777'`)).toEqual([{ department: '記録できない引き継ぎ' }]);
  });

  it('says central could not be reached, with its code, and audits nothing', async () => {
    dirs.push(await makeTempDir('webdesk-take-over-offline-'));
    // A port where nothing listens (freePort, docs/testing.md §6): a fixed one (6399) may be any
    // other program's on a shared machine, and then the answer is ECONNRESET, not ECONNREFUSED.
    const offline = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-u', centralUrl: `postgres://kiosk_u:x@127.0.0.1:${await freePort()}/webdesk` });
    try {
      const offlineAdmin = await readyAdmin(offline);
      const result = await offlineAdmin.call('sync.takeOver', {});
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNAVAILABLE', params: { reason: 'central', code: 'ECONNREFUSED' } }) as unknown });
      expect(await offline.db('audit_log').where({ action: 'sync.identity-taken-over' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    } finally {
      await offline.close();
    }
  });
});
