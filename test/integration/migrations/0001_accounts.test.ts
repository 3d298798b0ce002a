import { afterEach, describe, expect, it } from 'vitest';
import { accounts, appliedMigrations, databaseAt, passwordHistory, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

describe('migration 0001_accounts on an empty store', () => {
  it('creates accounts and password_history that take a realistic account', async () => {
    m = await databaseAt('0001_accounts');
    expect(await appliedMigrations(m.db)).toEqual(['0001_accounts']);
    await m.db('accounts').insert(accounts[0]!);
    await m.db('password_history').insert(passwordHistory[0]!);
    expect(await m.db('accounts').where({ jsa_id: '12345678901' }).first()).toEqual(accounts[0]);
    expect(await m.db('password_history').select('account_id', 'password_hash', 'created_at')).toEqual(passwordHistory);
    expect(await m.db.schema.hasTable('reset_requests')).toBe(false);
  });

  it('fills the defaults: empty profile fields and version 1', async () => {
    m = await databaseAt('0001_accounts');
    await m.db('accounts').insert({ id: 'a1', jsa_id: '45678901234', email: 'x@example.jp', email_norm: 'x@example.jp', created_at: 't', updated_at: 't' });
    expect(await m.db('accounts').where({ id: 'a1' }).first()).toMatchObject({ contact_name: '', company: '', department: '', address: '', phone: '', password_hash: null, version: 1 });
  });

  it('allows one email on several JSA-IDs (注意1) but each JSA-ID once', async () => {
    m = await databaseAt('0001_accounts');
    await m.db('accounts').insert([accounts[1]!, accounts[2]!]);
    expect(await m.db('accounts').where({ email_norm: 'shared@example.co.jp' }).count({ n: '*' })).toEqual([{ n: 2 }]);
    await expect(m.db('accounts').insert({ ...accounts[1]!, id: 'other' })).rejects.toThrow(/UNIQUE constraint failed: accounts\.jsa_id/);
  });

  it('ties password history to its account: no orphans, removed with the account', async () => {
    m = await databaseAt('0001_accounts');
    await expect(m.db('password_history').insert({ account_id: 'missing', password_hash: 'h', created_at: 't' })).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await m.db('accounts').insert(accounts[0]!);
    await m.db('password_history').insert(passwordHistory[0]!);
    await m.db('accounts').where({ id: accounts[0]!.id }).delete();
    expect(await m.db('password_history').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
