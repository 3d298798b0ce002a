// Two live copies of one counter store (a backup restored onto a second PC while the first
// still runs) push under one identity. Central takes one installation's pushes (0017) and
// refuses the other's until an administrator takes the identity over; counters that name no
// installation (versions before 0017) still meet there, and lose nothing by number (0016).
// Pushes are made to meet at central: a test transaction holds the counter's `kiosks` row,
// the copies' pushes queue behind it in a known order, and the row is let go.
import { cp } from 'node:fs/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { runCli } from '../../support/cli-bundle';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const fields = ['company', 'department', 'phone', 'contact_name', 'address'] as const;

/** A counter and a copy of its whole data folder (as a restore onto a second PC gives it: same client id, same numbers), both started. */
async function startCopies(central: Central, dirs: TempDir[], kioskId: string, counterInstance?: null): Promise<{ first: App; copy: App }> {
  dirs.push(await makeTempDir('webdesk-sync-first-'), await makeTempDir('webdesk-sync-copy-'));
  const url = await central.kioskUrl(kioskId.replace('-', '_'));
  const kiosk = (dir: TempDir) => startKiosk({ dataDir: dir.path, kioskId, centralUrl: url, counterInstance });
  const original = await kiosk(dirs[dirs.length - 2]!);
  await waitOnline(original);
  await original.close();
  await cp(dirs[dirs.length - 2]!.path, dirs[dirs.length - 1]!.path, { recursive: true });
  const first = await kiosk(dirs[dirs.length - 2]!);
  const copy = await kiosk(dirs[dirs.length - 1]!);
  await Promise.all([waitOnline(first), waitOnline(copy)]);
  return { first, copy };
}

describe('two live copies of one counter store', () => {
  let central: Central;
  const dirs: TempDir[] = [];
  const apps: App[] = [];

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000e001', '55555555555', 'first@example.co.jp', 'first@example.co.jp', '前川 一', '株式会社一', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000e002', '66666666666', 'copy@example.co.jp', 'copy@example.co.jp', '後藤 二', '株式会社二', 1, $1, $1)`,
      [NOW],
    );
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const d of dirs) await d.remove();
    await central?.stop();
  });

  const pushesWaiting = async (n: number) =>
    waitFor(
      async () => {
        const [row] = await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%sync_push%'`);
        return row!.n === n ? true : undefined;
      },
      { what: `${n} pushes waiting at central` },
    );

  it('loses none of the changes either copy made when their pushes meet, from counters that name no installation', async () => {
    const { first, copy } = await startCopies(central, dirs, 'kiosk-a', null);
    apps.push(first, copy);
    const firstId = (await findAccountByJsaId(first.db, '55555555555'))!.id;
    const copyId = (await findAccountByJsaId(copy.db, '66666666666'))!.id;
    const hold: pg.Client = await central.client();
    try {
      await hold.query(`BEGIN`);
      await hold.query(`SELECT 1 FROM kiosks WHERE kiosk_id = 'kiosk-a' FOR UPDATE`);
      // The first PC's three changes reach central first, then the copy's five, numbered from the same place.
      for (const f of fields.slice(0, 3)) await updateAccount(first.db, firstId, { [f]: `一号機 ${f}` }, '2026-01-02T00:00:00.000Z');
      await pushesWaiting(1);
      for (const f of fields) await updateAccount(copy.db, copyId, { [f]: `二号機 ${f}` }, '2026-01-02T00:00:00.000Z');
      await pushesWaiting(2);
      await hold.query(`COMMIT`);
    } finally {
      await hold.end();
    }
    await Promise.all([waitPushed(first), waitPushed(copy)]);

    const [fromFirst] = await central.query<Record<string, string>>(`SELECT company, department, phone FROM accounts WHERE jsa_id = '55555555555'`);
    expect(fromFirst).toEqual({ company: '一号機 company', department: '一号機 department', phone: '一号機 phone' });
    const [fromCopy] = await central.query<Record<string, string>>(`SELECT company, department, phone, contact_name, address FROM accounts WHERE jsa_id = '66666666666'`);
    expect(fromCopy).toEqual(Object.fromEntries(fields.map((f) => [f, `二号機 ${f}`])));
  });

  it('refuses the pushes of a second installation until an administrator takes the identity over there', async () => {
    const { first, copy } = await startCopies(central, dirs, 'kiosk-b');
    apps.push(first, copy);
    const firstId = (await findAccountByJsaId(first.db, '55555555555'))!.id;
    const copyId = (await findAccountByJsaId(copy.db, '66666666666'))!.id;
    const refused = (app: App) =>
      waitFor(async () => {
        const s = await app.sync!.status();
        return s.mode === 'synced' && s.lastErrorCode === 'WD002' && s.outboxDepth > 0 ? true : undefined;
      }, { what: `${app.config.dataDir} refused as another installation` });

    const [before] = await central.query<{ department: string }>(`SELECT department FROM accounts WHERE jsa_id = '66666666666'`);
    await updateAccount(first.db, firstId, { department: '一号機の部署' }, '2026-01-05T00:00:00.000Z');
    await waitPushed(first);
    await updateAccount(copy.db, copyId, { department: '二号機の部署' }, '2026-01-05T00:00:00.000Z');
    await refused(copy);
    expect(await central.query(`SELECT jsa_id, department FROM accounts WHERE jsa_id IN ('55555555555', '66666666666') ORDER BY 1`)).toEqual([
      { jsa_id: '55555555555', department: '一号機の部署' },
      { jsa_id: '66666666666', department: before!.department },
    ]);

    // The first PC is retired: at the copy, an administrator takes the identity over.
    const run = await runCli(['sync', '--take-over'], { WEBDESK_DATA_DIR: copy.config.dataDir, WEBDESK_CENTRAL_URL: await central.kioskUrl('kiosk_b'), WEBDESK_KIOSK_ID: 'kiosk-b', WEBDESK_LOG_LEVEL: 'silent' });
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.output()).toMatch(/^sync: this PC now pushes as counter kiosk-b;/m);
    copy.sync!.kick();
    await waitPushed(copy);
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '66666666666'`)).toEqual([{ department: '二号機の部署' }]);
    expect(await copy.db('audit_log').where({ action: 'sync.identity-taken-over' }).select('actor')).toEqual([{ actor: expect.stringMatching(/^operator:/) as string }]);
    await updateAccount(first.db, firstId, { department: '一号機の二度目' }, '2026-01-06T00:00:00.000Z');
    await refused(first);
    expect(await central.query(`SELECT department FROM accounts WHERE jsa_id = '55555555555'`)).toEqual([{ department: '一号機の部署' }]);
  });
});
