import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/store/database';
import { localSchemaVersion, migrateLocal } from '../../../src-main/store/migrations';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

let dir: TempDir;
let db: Db;
beforeEach(async () => {
  dir = await makeTempDir('webdesk-m0009-');
  db = openDatabase(`${dir.path}/store.sqlite3`);
});
afterEach(async () => {
  await db.destroy();
  await dir.remove();
});

describe('migration 0009_contact_changes', () => {
  it('adds contact_changes to a populated store and keeps its accounts', async () => {
    await migrateLocal(db, { to: '0007_inquiries' });
    const now = new Date().toISOString();
    await db('accounts').insert({ id: 'a1', jsa_id: '12345678901', email: 'a@example.jp', email_norm: 'a@example.jp', version: 3, created_at: now, updated_at: now });
    await migrateLocal(db);
    expect(await localSchemaVersion(db)).toBe('0009_contact_changes');
    expect(await db('accounts').where({ id: 'a1' }).first()).toMatchObject({ email: 'a@example.jp', version: 3 });
    await db('contact_changes').insert({
      id: 'c1', account_id: 'a1', old_email: 'a@example.jp', new_email: 'b@example.jp', code_hmac: 'h', status: 'pending',
      kiosk_id: 'k', created_by: 'customer:a1', created_at: now, expires_at: now,
    });
    expect(await db('contact_changes').first()).toMatchObject({ attempts: 0, version: 1, locale: 'ja', confirmed_at: null });
    // Deleting the account takes its pending changes with it.
    await db('accounts').where({ id: 'a1' }).delete();
    expect(await db('contact_changes').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});
