// Central unreachable (issue 6): the kiosk keeps serving and queues; after reconnecting
// every mutation arrives exactly once. The same account edited at two offline kiosks gives
// one result by rule and the other value kept as a conflict for staff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { kiosk } from '../support/test-app';
import { seedCentralAccounts, startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const jsaId = (n: number) => `8${String(n).padStart(10, '0')}`;

describe('offline kiosks', () => {
  let central: Central;
  let proxy: TcpProxy;
  let dirs: TempDir[] = [];
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await seedCentralAccounts(central, 40);
    proxy = await startTcpProxy(central.server.port);
    dirs = [await makeTempDir('webdesk-sync-a-'), await makeTempDir('webdesk-sync-b-')];
    a = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: await central.kioskUrl('kiosk_a', proxy.port) });
    b = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-b', centralUrl: await central.kioskUrl('kiosk_b', proxy.port) });
    await Promise.all([waitOnline(a), waitOnline(b)]);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  const offline = async (app: App) =>
    waitFor(async () => {
      const s = await app.sync!.status();
      return s.state === 'offline' && s.offlineSince ? s : undefined;
    }, { what: `${app.config.kioskId} offline` });

  it('serves 20 resets and 5 contact changes while central is away, then delivers each exactly once', async () => {
    proxy.cut();
    await offline(a);
    const customer = kiosk(a);
    for (let n = 1; n <= 20; n += 1) {
      expect(await customer.ok('reset.request', { jsaId: jsaId(n), email: `user${n}@example.jp`, locale: 'ja' })).toEqual({ status: 'accepted' });
    }
    for (let n = 21; n <= 25; n += 1) {
      const account = (await findAccountByJsaId(a.db, jsaId(n)))!;
      await updateAccount(a.db, account.id, { contact_name: `新担当 ${n}`, email: `new${n}@example.jp`, email_norm: `new${n}@example.jp` }, new Date().toISOString());
    }
    const status = await a.sync!.status();
    expect(status.outboxDepth).toBe(25);
    expect(status.offlineSince).not.toBeNull();
    const queued = ((await a.db('sync_outbox').orderBy('seq').select('mutation_id')) as Array<{ mutation_id: string }>).map((r) => r.mutation_id);
    const localRequests = ((await a.db('reset_requests').orderBy('id').select('id')) as Array<{ id: string }>).map((r) => r.id);
    expect(localRequests).toHaveLength(20);

    proxy.restore();
    await waitPushed(a, 30_000);
    await waitOnline(a);
    expect((await a.sync!.status()).offlineSince).toBeNull();

    const processed = await central.query<{ mutation_id: string }>(
      `SELECT mutation_id::text FROM processed_mutations WHERE client_id = $1 ORDER BY seq`,
      [a.sync!.clientId],
    );
    expect(processed.map((r) => r.mutation_id)).toEqual(queued);
    const centralRequests = await central.query<{ id: string }>(`SELECT id FROM reset_requests WHERE kiosk_id = 'kiosk-a' ORDER BY id`);
    expect(centralRequests.map((r) => r.id)).toEqual(localRequests);
    const changed = await central.query<{ jsa_id: string; contact_name: string; version: number }>(
      `SELECT jsa_id, contact_name, version FROM accounts WHERE contact_name LIKE '新担当%' ORDER BY jsa_id`,
    );
    expect(changed).toEqual([21, 22, 23, 24, 25].map((n) => ({ jsa_id: jsaId(n), contact_name: `新担当 ${n}`, version: 2 })));

    // Kiosk B, back too, sees all of it.
    await waitFor(async () => (Number((await b.db('reset_requests').count({ n: '*' }))[0]!.n) === 20 ? true : undefined), { what: '20 requests at B', timeoutMs: 20_000 });
    expect((await findAccountByJsaId(b.db, jsaId(25)))?.email).toBe('new25@example.jp');
  });

  it('keeps the first pushed edit and records the other as a conflict staff can resolve', async () => {
    const target = (await findAccountByJsaId(a.db, jsaId(30)))!;
    proxy.cut();
    await Promise.all([offline(a), offline(b)]);
    await updateAccount(a.db, target.id, { contact_name: 'A で変更' }, new Date().toISOString());
    await updateAccount(b.db, target.id, { contact_name: 'B で変更', phone: '03-9999-0000' }, new Date().toISOString());

    // Rule: the edit that reaches central first wins. B waits until A has pushed.
    await b.sync!.stop();
    proxy.restore();
    await waitPushed(a);
    b.sync!.start();
    await waitPushed(b);

    const [row] = await central.query<{ contact_name: string; phone: string; version: number }>(`SELECT contact_name, phone, version FROM accounts WHERE id = $1`, [target.id]);
    // A's name stands; B's phone did not collide with anything, so it was merged.
    expect(row).toEqual({ contact_name: 'A で変更', phone: '03-9999-0000', version: 3 });
    for (const app of [a, b]) {
      await waitFor(async () => {
        const local = await findAccountByJsaId(app.db, jsaId(30));
        return local?.contact_name === 'A で変更' && local.phone === '03-9999-0000' ? true : undefined;
      }, { what: `${app.config.kioskId} converged` });
    }

    const staff = kiosk(a);
    staff.session.principal.staff = { staffId: 'sv', role: 'supervisor', mustChangePassword: false };
    const { conflicts } = await staff.ok('sync.conflicts', { open: true });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ table: 'accounts', rowKey: target.id, kioskId: 'kiosk-b', kind: 'edit', fields: ['contact_name'] });
    expect(conflicts[0]!.kiosk).toMatchObject({ contact_name: 'B で変更' });
    expect(conflicts[0]!.central).toMatchObject({ contact_name: 'A で変更' });

    // The supervisor picks B's value: it becomes a new version everywhere.
    expect(await staff.ok('sync.resolveConflict', { id: conflicts[0]!.id, keep: 'kiosk' })).toEqual({ result: 'resolved' });
    await waitFor(async () => ((await findAccountByJsaId(a.db, jsaId(30)))?.contact_name === 'B で変更' ? true : undefined), { what: 'resolution at A' });
    expect((await staff.ok('sync.conflicts', { open: true })).conflicts).toHaveLength(0);
  });

  it('lets a code be spent once across kiosks and counts wrong codes from every kiosk', async () => {
    const n = 35;
    await kiosk(a).ok('reset.request', { jsaId: jsaId(n), email: `user${n}@example.jp`, locale: 'ja' });
    await waitPushed(a);
    const account = (await findAccountByJsaId(a.db, jsaId(n)))!;
    await waitFor(async () => ((await b.db('reset_requests').where({ account_id: account.id }).first()) ? true : undefined), { what: 'request at B' });
    proxy.cut();
    await Promise.all([offline(a), offline(b)]);
    // 3 wrong codes at A and 3 at B: 6 ≥ 5 across kiosks, though neither saw 5.
    for (const app of [a, a, a, b, b, b]) {
      const r = await kiosk(app).call('reset.verifyCode', { identifier: jsaId(n), code: 'ZZZZZZZZZZ' });
      expect(r.ok).toBe(false);
    }
    proxy.restore();
    await Promise.all([waitPushed(a), waitPushed(b)]);
    const [req] = await central.query<{ attempts: number; status: string }>(`SELECT attempts, status FROM reset_requests WHERE account_id = $1`, [account.id]);
    expect(req).toEqual({ attempts: 6, status: 'voided' });
    await waitFor(async () => ((await a.db('reset_requests').where({ account_id: account.id }).first('status'))?.status === 'voided' ? true : undefined), {
      what: 'voided at A',
    });
  });
});
