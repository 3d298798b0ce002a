import { afterEach, describe, expect, it } from 'vitest';
import * as step from '../../../migrations/local/0023_code_key_ids';
import { migrateLocal } from '../../../src-main/store/migrations';
import { ALL_MIGRATIONS, appliedMigrations, databaseAt, populateThrough, resetRequests, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const CLIENT = '0190a000-0000-7000-8000-0000000000dd';
const DEPLOYMENT_KEY = 'k-aaaaaaaaaaaa';
const OWN_KEY = 'k-bbbbbbbbbbbb';

const newRequest = (id: string, keyId: string | null) => ({
  ...resetRequests[0]!,
  id,
  token_hmac: `${id}-token`,
  status: 'pending',
  attempts: 0,
  version: 1,
  key_id: keyId,
});

describe('migration 0023_code_key_ids on a synced store with requests from before key ids', () => {
  it('keeps every row (key_id NULL: the counter’s own key), and only requests under a deployment key, or from before key ids, travel', async () => {
    m = await databaseAt('0020_search_keys_without_copies');
    await populateThrough(m.db, '0020_search_keys_without_copies');
    await m.db('sync_guard').update({ capture: 1 });
    await m.db('sync_state').update({ client_id: CLIENT, cursor_xid: '812', cursor_id: 40, first_sync: 'done' });
    const before = await snapshotThrough(m.db, '0020_search_keys_without_copies');
    const outboxBefore = await m.db('sync_outbox').count({ n: '*' });

    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0020_search_keys_without_copies')).toEqual({ ...before, reset_requests: before.reset_requests!.map((r) => ({ ...r, key_id: null })) });
    expect(await m.db('sync_outbox').count({ n: '*' })).toEqual(outboxBefore);
    expect(await m.db('deployment_key_ids').select()).toEqual([]);

    await m.db('deployment_key_ids').insert({ id: DEPLOYMENT_KEY });
    const since = Number(((await m.db('sync_outbox').max({ s: 'seq' }).first()) as { s: number | null }).s ?? 0);
    await m.db('reset_requests').where({ id: resetRequests[0]!.id }).update({ attempts: 3, version: 3 });
    await m.db('reset_requests').insert(newRequest('01957a3c-1111-7000-8000-0000000000a1', DEPLOYMENT_KEY));
    await m.db('reset_requests').insert(newRequest('01957a3c-1111-7000-8000-0000000000a2', OWN_KEY));
    await m.db('reset_requests').where({ id: '01957a3c-1111-7000-8000-0000000000a2' }).update({ status: 'verified', version: 2 });
    const captured = (await m.db('sync_outbox').where('seq', '>', since).orderBy('seq').select('row_key', 'op', 'row_json')) as Array<{ row_key: string; op: string; row_json: string }>;
    expect(captured.map((c) => [c.row_key, c.op, (JSON.parse(c.row_json) as { key_id: string | null }).key_id])).toEqual([
      [resetRequests[0]!.id, 'update', null],
      ['01957a3c-1111-7000-8000-0000000000a1', 'insert', DEPLOYMENT_KEY],
    ]);
  });

  it('goes back down: the column and the key list go, the rows stay', async () => {
    m = await databaseAt('0023_code_key_ids');
    await populateThrough(m.db, '0023_code_key_ids');
    await step.down(m.db);
    const columns = ((await m.db.raw(`SELECT name FROM pragma_table_info('reset_requests')`)) as Array<{ name: string }>).map((r) => r.name);
    expect(columns).not.toContain('key_id');
    expect(await m.db('reset_requests').count({ n: '*' })).toEqual([{ n: resetRequests.length }]);
    expect(await m.db.schema.hasTable('deployment_key_ids')).toBe(false);
  });
});
