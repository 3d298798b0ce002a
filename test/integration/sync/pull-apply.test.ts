// The puller's batched apply (src-main/store/pull-apply.ts) on a real SQLite store: a page of
// the change log folded per row and applied table by table must leave the replica exactly as
// applying its entries one by one in log order does.
import fc from 'fast-check';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/store/database';
import { migrateLocal } from '../../../src-main/store/migrations';
import { applyChangeBatch, applyInLogOrder, type PulledEntry } from '../../../src-main/store/pull-apply';
import { setApplying } from '../../../src-main/store/sync-state-repo';
import { syncedTables } from '../../../src-main/store/sync-tables';
import { travellingColumns } from '../../../src-main/store/sync-triggers';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const CLIENT = '0190a000-0000-7000-8000-0000000000cc';
const NOW = '2026-01-01T00:00:00.000Z';
type Row = Record<string, unknown>;

const account = (n: number, version: number, name = `利用者 ${n}`): Row => ({
  id: `acc-${n}`,
  jsa_id: String(n).repeat(11).slice(0, 11),
  email: `user${n}@example.jp`,
  email_norm: `user${n}@example.jp`,
  contact_name: name,
  company: '株式会社テスト',
  department: '',
  address: '',
  phone: '',
  password_hash: null,
  password_changed_at: null,
  version,
  created_at: NOW,
  updated_at: NOW,
});
const request = (id: string, accountId: string, version: number, status = 'pending'): Row => ({
  id,
  account_id: accountId,
  channel: 'staff',
  code_hmac: `code-${id}`,
  token_hmac: `token-${id}`,
  grant_hmac: null,
  status,
  attempts: 0,
  locale: 'ja',
  kiosk_id: 'kiosk-x',
  created_by: null,
  created_at: NOW,
  expires_at: NOW,
  verified_at: null,
  completed_at: null,
  version,
});
const history = (key: string, accountId: string, hash: string): Row => ({ key, account_id: accountId, password_hash: hash, created_at: NOW });

let logId = 0;
function entry(table: string, op: PulledEntry['op'], row: Row): PulledEntry {
  logId += 1;
  return { id: String(logId), xid: String(1000 + logId), table_name: table, op, row_json: JSON.stringify(row), key: String(row.id ?? row.key), version: (row.version as number | undefined) ?? null };
}

describe('batched pull apply', () => {
  let dir: TempDir;
  let db: Db;

  beforeAll(async () => {
    dir = await makeTempDir('webdesk-pull-apply-');
    db = openDatabase(join(dir.path, 'webdesk.sqlite3'));
    await migrateLocal(db);
    await db('sync_state').update({ client_id: CLIENT, kiosk_id: 'kiosk-a', cursor_xid: '1', cursor_id: 0, first_sync: 'done' });
    await db('sync_guard').update({ capture: 1 });
  });
  afterAll(async () => {
    await db?.destroy();
    await dir?.remove();
  });

  /** Runs `work` on the store as it stands after `seed`, then rolls everything back. */
  async function scratch<T>(seed: (tx: Knex.Transaction) => Promise<void>, work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    const tx = await db.transaction();
    try {
      await setApplying(tx, true);
      await seed(tx);
      await setApplying(tx, false);
      return await work(tx);
    } finally {
      await tx.rollback();
    }
  }

  async function dump(tx: Knex.Transaction): Promise<Record<string, Row[]>> {
    const out: Record<string, Row[]> = {};
    for (const table of syncedTables) {
      const cols = [...(await travellingColumns(tx, table)), ...(table.surrogate ? ['sync_key'] : [])];
      out[table.name] = (await tx(table.name).select(cols).orderBy(cols)) as Row[];
    }
    return out;
  }

  async function applied(tx: Knex.Transaction, how: 'batch' | 'one by one', entries: PulledEntry[]) {
    await setApplying(tx, true);
    let deferred = 0;
    let inLogOrder = false;
    if (how === 'batch') ({ deferred, inLogOrder } = await applyChangeBatch(tx, entries, CLIENT));
    else for (const e of entries) deferred += (await applyInLogOrder(tx, [e], CLIENT)).deferred;
    await setApplying(tx, false);
    return { tables: await dump(tx), deferred, inLogOrder };
  }

  const baseSeed = async (tx: Knex.Transaction) => {
    await tx('accounts').insert([account(1, 3), account(2, 3), account(3, 3)]);
    await tx('reset_requests').insert([request('req-1', 'acc-1', 2), request('req-3', 'acc-3', 2)]);
    // Local id 1 written here (key `<client>:1`), local id 2 pulled from another kiosk.
    await tx('password_history').insert([
      { account_id: 'acc-1', password_hash: 'h-own', created_at: NOW, sync_key: null },
      { account_id: 'acc-2', password_hash: 'h-b', created_at: NOW, sync_key: 'other:7' },
    ]);
  };

  /**
   * Logs as central writes them: updates and refreshes of any version (the log runs in xid
   * order, which for one row is not commit order), requests inserted for accounts that exist,
   * an account deleted with its requests (central's cascade logs those too) and inserted again
   * under the same id, surrogate rows of this kiosk and of others; some rows wait in the outbox.
   */
  const logs = fc
    .record({
      steps: fc.array(
        fc.record({
          kind: fc.constantFrom('account', 'account', 'refresh', 'request', 'request-update', 'request-delete', 'account-delete', 'history', 'history-delete'),
          n: fc.integer({ min: 1, max: 3 }),
          version: fc.integer({ min: 1, max: 6 }),
          pick: fc.nat(),
        }),
        { minLength: 1, maxLength: 40 },
      ),
      pending: fc.subarray(['accounts:acc-1', 'accounts:acc-3', 'reset_requests:req-1', 'password_history:other:7']),
    })
    .map(({ steps, pending }) => {
      const accounts = new Set(['acc-1', 'acc-2', 'acc-3']);
      const requests = new Map([
        ['req-1', 'acc-1'],
        ['req-3', 'acc-3'],
      ]);
      const histories = new Map([
        [`${CLIENT}:1`, 'acc-1'],
        ['other:7', 'acc-2'],
      ]);
      const entries: PulledEntry[] = [];
      let made = 0;
      for (const s of steps) {
        const id = `acc-${s.n}`;
        const exists = accounts.has(id);
        if (s.kind === 'account' || s.kind === 'refresh') {
          entries.push(entry('accounts', exists ? (s.kind === 'refresh' ? 'refresh' : 'update') : 'insert', account(s.n, s.version, `名前 ${s.pick % 5}`)));
          accounts.add(id);
        } else if (s.kind === 'request' && exists) {
          made += 1;
          requests.set(`req-new-${made}`, id);
          entries.push(entry('reset_requests', 'insert', request(`req-new-${made}`, id, 1)));
        } else if ((s.kind === 'request-update' || s.kind === 'request-delete') && requests.size > 0) {
          const [rid, aid] = [...requests][s.pick % requests.size]!;
          if (s.kind === 'request-delete') requests.delete(rid);
          entries.push(entry('reset_requests', s.kind === 'request-delete' ? 'delete' : 'update', request(rid, aid, s.version, s.pick % 2 ? 'superseded' : 'pending')));
        } else if (s.kind === 'account-delete' && exists) {
          for (const [rid, aid] of [...requests].filter(([, a]) => a === id)) {
            requests.delete(rid);
            entries.push(entry('reset_requests', 'delete', request(rid, aid, 9)));
          }
          for (const [key, aid] of [...histories].filter(([, a]) => a === id)) {
            histories.delete(key);
            entries.push(entry('password_history', 'delete', history(key, aid, 'gone')));
          }
          accounts.delete(id);
          entries.push(entry('accounts', 'delete', account(s.n, 9)));
        } else if (s.kind === 'history' && exists) {
          const key = s.pick % 2 ? `other:${s.pick % 4}` : `${CLIENT}:${1 + (s.pick % 3)}`;
          if (histories.has(key) && histories.get(key) !== id) continue;
          histories.set(key, id);
          entries.push(entry('password_history', 'insert', history(key, id, `h-${s.pick % 7}`)));
        } else if (s.kind === 'history-delete' && histories.size > 0) {
          const [key, aid] = [...histories][s.pick % histories.size]!;
          histories.delete(key);
          entries.push(entry('password_history', 'delete', history(key, aid, 'gone')));
        }
      }
      return { entries, pending };
    })
    .filter(({ entries }) => entries.length > 0);

  it('leaves the replica as applying the entries one by one would, whatever the page mixes', async () => {
    await fc.assert(
      fc.asyncProperty(logs, async ({ entries, pending }) => {
        const seed = async (tx: Knex.Transaction) => {
          await baseSeed(tx);
          for (const p of pending) {
            const [table, ...key] = p.split(':');
            await tx('sync_outbox').insert({ mutation_id: `m-${p}`, table_name: table, row_key: key.join(':'), op: 'update', row_json: '{}', created_at: NOW });
          }
        };
        const one = await scratch(seed, (tx) => applied(tx, 'one by one', entries));
        const batch = await scratch(seed, (tx) => applied(tx, 'batch', entries));
        expect(batch.tables).toEqual(one.tables);
        expect(batch.deferred).toBe(one.deferred);
        // A parent left alone for its pending mutation can make a child's insert fail: only
        // then may the page go in log order.
        if (pending.length === 0) expect(batch.inLogOrder).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('skips this kiosk’s own change coming back when the local row already holds it, and applies a merged one', async () => {
    const stale = (tx: Knex.Transaction) => tx('account_search').where({ account_id: 'acc-1' }).first('stale');
    await scratch(baseSeed, async (tx) => {
      // Written here (capture on) and pushed: the outbox is empty again, the search keys folded.
      await tx('accounts').where({ id: 'acc-1' }).update({ contact_name: '窓口 変更', version: 4 });
      await tx('sync_outbox').delete();
      await tx('account_search').where({ account_id: 'acc-1' }).update({ stale: 0 });
      const mine = { ...(await tx('accounts').where({ id: 'acc-1' }).first()) } as Row;

      await setApplying(tx, true);
      await applyChangeBatch(tx, [entry('accounts', 'update', mine)], CLIENT);
      expect(await stale(tx)).toEqual({ stale: 0 });

      // Same version, other content: central merged another kiosk's change into this one.
      const merged = { ...mine, department: '営業部' };
      await applyChangeBatch(tx, [entry('accounts', 'update', merged)], CLIENT);
      await setApplying(tx, false);
      expect(await tx('accounts').where({ id: 'acc-1' }).first('department', 'contact_name', 'version')).toEqual({ department: '営業部', contact_name: '窓口 変更', version: 4 });
      expect(await stale(tx)).toEqual({ stale: 1 });
      expect(await tx('sync_outbox').count({ n: '*' })).toEqual([{ n: 0 }]);
    });
  });

  it('goes in log order when a page holds a child whose parent’s delete comes later in it', async () => {
    // Central's cascade delete of the child sits in the next page (a page ends after 500 entries).
    const entries = [entry('reset_requests', 'insert', request('req-late', 'acc-2', 1)), entry('accounts', 'delete', account(2, 3))];
    const one = await scratch(baseSeed, (tx) => applied(tx, 'one by one', entries));
    const batch = await scratch(baseSeed, (tx) => applied(tx, 'batch', entries));
    expect(batch.inLogOrder).toBe(true);
    expect(batch.tables).toEqual(one.tables);
    expect(batch.tables.accounts!.map((a) => a.id)).toEqual(['acc-1', 'acc-3']);
    expect(batch.tables.reset_requests!.map((r) => r.id)).toEqual(['req-1', 'req-3']);
  });

  it('keeps a count that never travels when another live copy’s event arrives under this store’s key and its local id', async () => {
    // Two copies of one store share the client id: the other's limit event 7 arrives keyed as this store's own.
    const rows = await scratch(
      async (tx) => {
        await tx('limit_events').insert([
          { id: 7, bucket: 'codefail:acc-1', at_ms: 1 },
          { id: 8, bucket: 'req:id:11111111111', at_ms: 2 },
        ]);
      },
      async (tx) => {
        await setApplying(tx, true);
        await applyChangeBatch(tx, [entry('limit_events', 'insert', { key: `${CLIENT}:7`, bucket: 'req:email:other@example.jp', at_ms: 3 }), entry('limit_events', 'insert', { key: `${CLIENT}:8`, bucket: 'req:id:11111111111', at_ms: 2 })], CLIENT);
        await setApplying(tx, false);
        return tx('limit_events').orderBy('at_ms').select('id', 'bucket', 'at_ms', 'sync_key');
      },
    );
    expect(rows).toEqual([
      { id: 7, bucket: 'codefail:acc-1', at_ms: 1, sync_key: null },
      // This store's own travelling event, back from central: the same row.
      { id: 8, bucket: 'req:id:11111111111', at_ms: 2, sync_key: null },
      { id: expect.any(Number) as number, bucket: 'req:email:other@example.jp', at_ms: 3, sync_key: `${CLIENT}:7` },
    ]);
  });
});
