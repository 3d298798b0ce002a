import { afterEach, describe, expect, it } from 'vitest';
import { migrateLocal } from '../../../src-main/store/migrations';
import { findRequestByTokenHmac, insertResetRequest, supersedeOpenRequests, transitionRequest } from '../../../src-main/store/reset-requests-repo';
import { ALL_MIGRATIONS, accounts, appliedMigrations, databaseAt, populateThrough, snapshotThrough, type MigrationDb } from '../support/migration-fixtures';

let m: MigrationDb;
afterEach(() => m?.close());

const request = (id: string, token: string) => ({
  id,
  account_id: accounts[1]!.id,
  channel: 'email_only' as const,
  code_hmac: '1'.repeat(64),
  token_hmac: token,
  grant_hmac: null,
  status: 'pending' as const,
  attempts: 0,
  locale: 'ja',
  kiosk_id: 'osaka-02',
  created_by: null,
  created_at: '2026-03-02T00:00:00.000Z',
  expires_at: '2026-03-02T00:30:00.000Z',
  verified_at: null,
  completed_at: null,
});

describe('migration 0002_reset_requests on a store holding accounts', () => {
  it('keeps the accounts and their password history', async () => {
    m = await databaseAt('0001_accounts');
    await populateThrough(m.db, '0001_accounts');
    const before = await snapshotThrough(m.db, '0001_accounts');
    await migrateLocal(m.db);
    expect(await appliedMigrations(m.db)).toEqual(ALL_MIGRATIONS);
    expect(await snapshotThrough(m.db, '0001_accounts')).toMatchObject(before); // later steps may add columns; every earlier value stays
    expect(before.accounts).toHaveLength(3);
  });

  it('adds reset_requests that work with the accounts already there', async () => {
    m = await databaseAt('0001_accounts');
    await populateThrough(m.db, '0001_accounts');
    await migrateLocal(m.db);
    await insertResetRequest(m.db, request('r1', '2'.repeat(64)));
    expect(await findRequestByTokenHmac(m.db, '2'.repeat(64))).toMatchObject({ id: 'r1', status: 'pending', version: 1 });
    expect(await transitionRequest(m.db, 'r1', 'pending', { status: 'verified', grant_hmac: '3'.repeat(64) })).toBe(true);
    expect(await transitionRequest(m.db, 'r1', 'pending', { status: 'verified' })).toBe(false);
    expect(await supersedeOpenRequests(m.db, accounts[1]!.id)).toBe(1);
  });

  it('refuses a request for an unknown account and a reused link token', async () => {
    m = await databaseAt('0001_accounts');
    await populateThrough(m.db, '0001_accounts');
    await migrateLocal(m.db);
    await expect(insertResetRequest(m.db, { ...request('r1', '2'.repeat(64)), account_id: 'missing' })).rejects.toThrow(/FOREIGN KEY/);
    await insertResetRequest(m.db, request('r1', '2'.repeat(64)));
    await expect(insertResetRequest(m.db, request('r2', '2'.repeat(64)))).rejects.toThrow(/UNIQUE constraint failed: reset_requests\.token_hmac/);
  });
});
