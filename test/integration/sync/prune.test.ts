// Pruning central's change log (issue 6): never below a kiosk still in touch; a kiosk whose
// cursor was pruned while it was away notices, refreshes its replica (keeping its outbox) and
// ends with central's data, deletes included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { findAccountByJsaId, updateAccount } from '../../../src-main/store/accounts-repo';
import { formatStatus } from '../../../src-main/app/sync-cli';
import { beginRefresh } from '../../../src-main/services/sync/refresh';
import { pruneCentral } from '../../../src-main/store/central-migrations';
import { readSyncState } from '../../../src-main/store/sync-state-repo';
import { seedCentralAccounts, startCentral, type Central } from '../support/sync-central';
import { centralTables, replicaTables } from '../support/sync-compare';
import { startKioskPair, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { waitFor } from '../../support/wait';

const jsaId = (n: number) => `8${String(n).padStart(10, '0')}`;

describe('pruning the change log', () => {
  let central: Central;
  let pair: KioskPair;
  let a: App;
  let b: App;

  beforeAll(async () => {
    central = await startCentral();
    await seedCentralAccounts(central, 50);
    pair = await startKioskPair(central);
    ({ a, b } = pair);
  });

  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  const logAfter = async (xid: string, id: number) =>
    (await central.query<{ n: number }>(`SELECT count(*)::int AS n FROM change_log WHERE (xid, id) > ($1::xid8, $2::bigint)`, [xid, id]))[0]!.n;
  const horizon = async () => (await central.query<{ xid: string; id: string }>(`SELECT xid::text AS xid, log_id::text AS id FROM change_log_horizon`))[0]!;

  it('keeps every entry a kiosk in touch has not read, however far behind it is', async () => {
    await b.sync!.stop();
    const behind = await readSyncState(b.db);
    for (let n = 1; n <= 20; n += 1) {
      const account = (await findAccountByJsaId(a.db, jsaId(n)))!;
      await updateAccount(a.db, account.id, { contact_name: `更新 ${n}` }, new Date().toISOString());
    }
    await waitPushed(a);
    const unread = await logAfter(behind.cursor_xid!, behind.cursor_id!);
    expect(unread).toBeGreaterThanOrEqual(20);

    const result = await pruneCentral(central.url, { silentDays: 7 });
    expect(await logAfter(behind.cursor_xid!, behind.cursor_id!)).toBe(unread);
    const h = await horizon();
    const [below] = await central.query<{ ok: boolean }>(`SELECT ($1::xid8, $2::bigint) <= ($3::xid8, $4::bigint) AS ok`, [h.xid, h.id, behind.cursor_xid, behind.cursor_id]);
    expect(below!.ok).toBe(true);
    expect(result.left).toBeGreaterThanOrEqual(unread);
  });

  it('refreshes a kiosk that comes back after its cursor was pruned, keeping its own waiting changes', async () => {
    // More happens while B is away: an account is removed at central, another edited there.
    await central.query(`DELETE FROM accounts WHERE jsa_id = $1`, [jsaId(30)]);
    await central.query(`UPDATE accounts SET phone = '03-9999-0000' WHERE jsa_id = $1`, [jsaId(31)]);
    // B, offline, edits an account: the mutation waits in its outbox.
    const mine = (await findAccountByJsaId(b.db, jsaId(40)))!;
    await updateAccount(b.db, mine.id, { contact_name: 'B が留守中に更新' }, new Date().toISOString());
    const behind = await readSyncState(b.db);

    // B has been silent for longer than the prune waits; A has read everything.
    await central.query(`UPDATE kiosk_cursors SET reported_at = now() - interval '8 days' WHERE client_id = $1`, [b.sync!.clientId]);
    const [last] = await central.query<{ xid: string; id: string }>(`SELECT xid::text AS xid, id::text AS id FROM change_log ORDER BY xid DESC, id DESC LIMIT 1`);
    a.sync!.kick();
    await waitFor(
      async () =>
        (
          await central.query<{ ok: boolean }>(`SELECT (cursor_xid, cursor_id) >= ($2::xid8, $3::bigint) AS ok FROM kiosk_cursors WHERE client_id = $1`, [
            a.sync!.clientId,
            last!.xid,
            last!.id,
          ])
        )[0]?.ok || (a.sync!.kick(), undefined),
      { what: "A's cursor reported at the end of the log", timeoutMs: 20_000 },
    );
    const result = await pruneCentral(central.url, { silentDays: 7 });
    expect(result.pruned).toBeGreaterThan(0);
    expect(await logAfter(behind.cursor_xid!, behind.cursor_id!)).toBe(0);

    b.sync!.start();
    await waitPushed(b);
    await waitFor(async () => ((await readSyncState(b.db)).refresh_started_at !== null && (await readSyncState(b.db)).refresh_table === null ? true : undefined), {
      what: 'B refreshed',
      timeoutMs: 30_000,
    });
    await waitFor(async () => ((await findAccountByJsaId(b.db, jsaId(31)))?.phone === '03-9999-0000' ? true : undefined), { what: 'central edit at B' });
    expect(await findAccountByJsaId(b.db, jsaId(30))).toBeUndefined();
    expect((await findAccountByJsaId(b.db, jsaId(40)))?.contact_name).toBe('B が留守中に更新');
    expect(await central.query(`SELECT contact_name FROM accounts WHERE jsa_id = $1`, [jsaId(40)])).toEqual([{ contact_name: 'B が留守中に更新' }]);
    await waitFor(async () => (JSON.stringify(await replicaTables(b)) === JSON.stringify(await centralTables(central, b)) ? true : undefined), {
      what: 'B equal to central',
    });
    expect(await replicaTables(b)).toEqual(await centralTables(central, b));
    expect(await replicaTables(a)).toEqual(await centralTables(central, a));
  });

  it('shows a refresh under way in the staff status and on the command line, and clears it when done', async () => {
    await b.sync!.stop();
    const c = await central.client();
    try {
      await beginRefresh(b.db, c, new Date().toISOString());
    } finally {
      await c.end();
    }
    const during = await b.sync!.status();
    expect(during.refresh).toMatchObject({ table: 'accounts', rows: 0 });
    expect(formatStatus(during).join('\n')).toMatch(/^refresh \(cursor fell below the pruned change log\): 0 rows so far \(accounts\)/m);

    b.sync!.start();
    await waitFor(async () => ((await b.sync!.status()).refresh === null ? true : undefined), { what: 'refresh finished', timeoutMs: 30_000 });
    expect(formatStatus(await b.sync!.status()).join('\n')).not.toMatch(/^refresh/m);
    await waitFor(async () => (JSON.stringify(await replicaTables(b)) === JSON.stringify(await centralTables(central, b)) ? true : undefined), {
      what: 'B equal to central after the refresh',
    });
  });
});
