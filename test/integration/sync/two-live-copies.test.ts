// Two live copies of one counter store (a backup restored onto a second PC while the first
// still runs) push under one identity. Their pushes are made to meet at central: a test
// transaction holds the counter's `kiosks` row, the copies' pushes queue behind it in a known
// order, and the row is let go.
import { cp } from 'node:fs/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const fields = ['company', 'department', 'phone', 'contact_name', 'address'] as const;

describe('two live copies of one counter store', () => {
  let central: Central;
  const dirs: TempDir[] = [];
  let first: App;
  let copy: App;

  beforeAll(async () => {
    central = await startCentral();
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES
       ('0190a000-0000-7000-8000-00000000e001', '55555555555', 'first@example.co.jp', 'first@example.co.jp', '前川 一', '株式会社一', 1, $1, $1),
       ('0190a000-0000-7000-8000-00000000e002', '66666666666', 'copy@example.co.jp', 'copy@example.co.jp', '後藤 二', '株式会社二', 1, $1, $1)`,
      [NOW],
    );
    dirs.push(await makeTempDir('webdesk-sync-first-'), await makeTempDir('webdesk-sync-copy-'));
    const url = await central.kioskUrl('kiosk_a');
    const original = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: url });
    await waitOnline(original);
    await original.close();
    // The whole data folder, as a restore onto a second PC gives it: same client id, same numbers.
    await cp(dirs[0]!.path, dirs[1]!.path, { recursive: true });
    first = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: url });
    copy = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-a', centralUrl: url });
    await Promise.all([waitOnline(first), waitOnline(copy)]);
  });

  afterAll(async () => {
    await first?.close();
    await copy?.close();
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

  it('loses none of the changes either copy made when their pushes meet', async () => {
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
});
