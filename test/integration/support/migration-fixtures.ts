// Rows as each schema step stored them, written with plain knex inserts (not today's
// repositories), so a migration test really holds data from before the step (STYLE.md,
// Signal's migration tests).
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src-main/store/database';
import { localMigrations, migrateLocal } from '../../../src-main/store/migrations';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

export interface MigrationDb {
  db: Db;
  dir: TempDir;
  close(): Promise<void>;
}

/** A real SQLite file in a temp folder, migrated up to and including `to` (or not at all). */
export async function databaseAt(to: string | undefined): Promise<MigrationDb> {
  const dir = await makeTempDir('webdesk-migration-');
  const db = openDatabase(join(dir.path, 'webdesk.sqlite3'));
  if (to) {
    await migrateLocal(db, { to });
    // Guards these tests against a typo in `to`, which migrateLocal would take as "nothing".
    const applied = await appliedMigrations(db);
    if (applied.at(-1) !== to) throw new Error(`store is at ${applied.at(-1)}, not ${to}`);
  }
  return {
    db,
    dir,
    async close() {
      await db.destroy();
      await dir.remove();
    },
  };
}

export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = (await db('knex_migrations').orderBy('id').select('name')) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/** Every local migration in order; a new step shows up here (and in the tests) by itself. */
export const ALL_MIGRATIONS = localMigrations.map(([name]) => name);

const at = '2026-03-01T01:02:03.000Z';

export const accounts = [
  {
    id: '01957a3c-0000-7000-8000-000000000001',
    jsa_id: '12345678901',
    email: 'Tanaka@Example.co.jp',
    email_norm: 'tanaka@example.co.jp',
    contact_name: '田中 一郎',
    company: '株式会社サンプル商事',
    department: '品質保証部',
    address: '東京都港区三田3丁目13番12号',
    phone: '03-1234-5678',
    password_hash: '$scrypt$ln=12,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U',
    password_changed_at: at,
    version: 3,
    created_at: '2025-01-10T00:00:00.000Z',
    updated_at: at,
  },
  {
    id: '01957a3c-0000-7000-8000-000000000002',
    jsa_id: '23456789012',
    email: 'shared@example.co.jp',
    email_norm: 'shared@example.co.jp',
    contact_name: '佐藤 花子',
    company: '株式会社みほん工業',
    department: '技術部',
    address: '大阪府大阪市北区梅田1-1-1',
    phone: '06-2345-6789',
    password_hash: null,
    password_changed_at: null,
    version: 1,
    created_at: '2025-02-01T00:00:00.000Z',
    updated_at: '2025-02-01T00:00:00.000Z',
  },
  {
    id: '01957a3c-0000-7000-8000-000000000003',
    jsa_id: '34567890123',
    email: 'shared@example.co.jp',
    email_norm: 'shared@example.co.jp',
    contact_name: '鈴木 次郎',
    company: '株式会社みほん工業',
    department: '購買部',
    address: '大阪府大阪市北区梅田1-1-1',
    phone: '06-2345-6790',
    password_hash: null,
    password_changed_at: null,
    version: 1,
    created_at: '2025-02-01T00:00:00.000Z',
    updated_at: '2025-02-01T00:00:00.000Z',
  },
];

export const passwordHistory = [{ account_id: accounts[0]!.id, password_hash: accounts[0]!.password_hash, created_at: at }];

export const resetRequests = [
  {
    id: '01957a3c-1111-7000-8000-000000000001',
    account_id: accounts[0]!.id,
    channel: 'jsa_id',
    code_hmac: 'a'.repeat(64),
    token_hmac: 'b'.repeat(64),
    grant_hmac: null,
    status: 'superseded',
    attempts: 2,
    locale: 'ja',
    kiosk_id: 'tokyo-01',
    created_by: null,
    created_at: '2026-03-01T00:00:00.000Z',
    expires_at: '2026-03-01T00:30:00.000Z',
    verified_at: null,
    completed_at: null,
    version: 2,
  },
  {
    id: '01957a3c-1111-7000-8000-000000000002',
    account_id: accounts[0]!.id,
    channel: 'jsa_id',
    code_hmac: 'c'.repeat(64),
    token_hmac: 'd'.repeat(64),
    grant_hmac: 'e'.repeat(64),
    status: 'used',
    attempts: 0,
    locale: 'en',
    kiosk_id: 'tokyo-01',
    created_by: null,
    created_at: '2026-03-01T01:00:00.000Z',
    expires_at: '2026-03-01T01:30:00.000Z',
    verified_at: '2026-03-01T01:05:00.000Z',
    completed_at: '2026-03-01T01:06:00.000Z',
    version: 3,
  },
];

export const limitEvents = [
  { bucket: 'req:id:12345678901', at_ms: 1_772_326_800_000 },
  { bucket: 'req:email:tanaka@example.co.jp', at_ms: 1_772_326_800_000 },
  { bucket: `codefail:${accounts[0]!.id}`, at_ms: 1_772_326_900_000 },
];

export const accountLocks = [
  { account_id: accounts[1]!.id, kind: 'reset', reason: 'too-many-code-failures', locked_at: at, unlocked_at: null, unlocked_by: null },
  { account_id: accounts[0]!.id, kind: 'login', reason: 'too-many-login-failures', locked_at: '2026-02-01T00:00:00.000Z', unlocked_at: at, unlocked_by: 'staff:admin' },
];

export const mails = [
  {
    id: '01957a3c-2222-7000-8000-000000000001',
    template: 'reset-code',
    locale: 'ja',
    to_address: 'tanaka@example.co.jp',
    params_json: JSON.stringify({ contactName: '田中 一郎', maskedJsaId: '•••••••8901', lifetimeMinutes: 30, supportEmail: 'webdesk@jisa.or.jp' }),
    secret_params: 'aXY.dGFn.Ym9keQ',
    state: 'sent',
    attempts: 1,
    next_attempt_ms: 1_772_326_800_000,
    last_error: null,
    message_id: '<01957a3c-2222-7000-8000-000000000001@jsa-webdesk.local>',
    related_id: resetRequests[1]!.id,
    created_at: '2026-03-01T01:00:00.000Z',
    sent_at: '2026-03-01T01:00:01.000Z',
  },
  {
    id: '01957a3c-2222-7000-8000-000000000002',
    template: 'password-changed',
    locale: 'en',
    to_address: 'tanaka@example.co.jp',
    params_json: JSON.stringify({ maskedJsaId: '•••••••8901', supportEmail: 'webdesk@jisa.or.jp', changedAt: '2026年3月1日 10:06 (JST)' }),
    secret_params: null,
    state: 'queued',
    attempts: 3,
    next_attempt_ms: 1_772_327_000_000,
    last_error: 'connect ECONNREFUSED 127.0.0.1:25',
    message_id: null,
    related_id: resetRequests[1]!.id,
    created_at: '2026-03-01T01:06:00.000Z',
    sent_at: null,
  },
];

export const storedSettings = [
  { key: 'codeLifetimeMinutes', value_json: '20', updated_at: at, updated_by: 'staff:admin' },
  { key: 'supportEmail', value_json: JSON.stringify('counter@example.jp'), updated_at: at, updated_by: 'staff:admin' },
  {
    key: 'passwordPolicy',
    value_json: JSON.stringify({ minLength: 14, maxLength: 128, requireLower: false, requireUpper: false, requireDigit: true, requireSymbol: false, historyCount: 5 }),
    updated_at: at,
    updated_by: 'staff:admin',
  },
];

export async function insertRows(db: Db, table: string, rows: readonly object[]): Promise<void> {
  for (const row of rows) await db(table).insert(row);
}

/** The rows of a table without SQLite's autoincrement ids, in a stable order. */
export async function rowsOf(db: Db, table: string, orderBy: string): Promise<Record<string, unknown>[]> {
  return (await db(table).orderBy(orderBy).select('*')) as Record<string, unknown>[];
}

/** Audit rows chained the way 0005 defines (hash over the previous hash and every field). */
export function auditRows(hash: (prev: string, row: { at: string; actor: string; action: string; subject: string | null; detail_json: string }) => string) {
  const entries = [
    { at: '2026-03-01T01:00:00.000Z', actor: 'kiosk', action: 'reset.requested', subject: '12345678901', detail_json: JSON.stringify({ channel: 'jsa_id', kioskId: 'tokyo-01' }) },
    { at: '2026-03-01T01:06:00.000Z', actor: 'kiosk', action: 'reset.completed', subject: '12345678901', detail_json: JSON.stringify({ requestId: resetRequests[1]!.id }) },
  ];
  let prev = '0'.repeat(64);
  return entries.map((entry) => {
    const row = { ...entry, prev_hash: prev, hash: hash(prev, entry) };
    prev = row.hash;
    return row;
  });
}

/** Which fixture tables exist once a step has run. */
const tablesBy: Record<string, Array<[table: string, orderBy: string]>> = {
  '0001_accounts': [
    ['accounts', 'id'],
    ['password_history', 'id'],
  ],
  '0002_reset_requests': [['reset_requests', 'id']],
  '0003_limits_and_locks': [
    ['limit_events', 'id'],
    ['account_locks', 'id'],
  ],
  '0004_mail_outbox': [['mail_outbox', 'id']],
  '0005_audit_log': [['audit_log', 'seq']],
  '0006_settings': [['settings', 'key']],
};

/** Fills every table that exists after `step` with the realistic rows above. */
export async function populateThrough(
  db: Db,
  step: string,
  audit?: ReturnType<typeof auditRows>,
): Promise<void> {
  const data: Record<string, readonly object[]> = {
    accounts,
    password_history: passwordHistory,
    reset_requests: resetRequests,
    limit_events: limitEvents,
    account_locks: accountLocks,
    mail_outbox: mails,
    audit_log: audit ?? [],
    settings: storedSettings,
  };
  for (const name of ALL_MIGRATIONS.slice(0, ALL_MIGRATIONS.indexOf(step) + 1)) {
    for (const [table] of tablesBy[name] ?? []) await insertRows(db, table, data[table]!);
  }
}

/** Every fixture table that existed after `step`, as stored now. */
export async function snapshotThrough(db: Db, step: string): Promise<Record<string, Record<string, unknown>[]>> {
  const snapshot: Record<string, Record<string, unknown>[]> = {};
  for (const name of ALL_MIGRATIONS.slice(0, ALL_MIGRATIONS.indexOf(step) + 1)) {
    for (const [table, orderBy] of tablesBy[name] ?? []) snapshot[table] = await rowsOf(db, table, orderBy);
  }
  return snapshot;
}
