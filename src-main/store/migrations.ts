import type { Knex } from 'knex';
import type { Db } from './database';
import * as m0001 from '../../migrations/local/0001_accounts';
import * as m0002 from '../../migrations/local/0002_reset_requests';
import * as m0003 from '../../migrations/local/0003_limits_and_locks';
import * as m0004 from '../../migrations/local/0004_mail_outbox';
import * as m0005 from '../../migrations/local/0005_audit_log';
import * as m0006 from '../../migrations/local/0006_settings';
import * as m0007 from '../../migrations/local/0007_inquiries';
import * as m0008 from '../../migrations/local/0008_staff';
import * as m0011 from '../../migrations/local/0011_account_search';
import * as m0009 from '../../migrations/local/0009_contact_changes';
import * as m0010 from '../../migrations/local/0010_sync';
import * as m0013 from '../../migrations/local/0013_ops';
import * as m0014 from '../../migrations/local/0014_search_fold_in_writer';
import * as m0015 from '../../migrations/local/0015_mail_handover';
import * as m0016 from '../../migrations/local/0016_sync_refresh';
import * as m0018 from '../../migrations/local/0018_limit_events_travel';
import * as m0019 from '../../migrations/local/0019_first_sync_index_stage';
import * as m0020 from '../../migrations/local/0020_search_keys_without_copies';
import * as m0021 from '../../migrations/local/0021_staff_login_events_local';
import * as m0022 from '../../migrations/local/0022_demo_accounts';
import * as m0023 from '../../migrations/local/0023_code_key_ids';
import * as m0024 from '../../migrations/local/0024_audit_stream';
import * as m0027 from '../../migrations/local/0027_search_indexes_set_aside';
import * as m0028 from '../../migrations/local/0028_sync_error_code';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * The list is static (bundled into the app, no file globbing at run time) and must only go
 * up: a migration once shipped is never renumbered, and a new one goes at the end.
 */
export const localMigrations: ReadonlyArray<readonly [string, Migration]> = [
  ['0001_accounts', m0001],
  ['0002_reset_requests', m0002],
  ['0003_limits_and_locks', m0003],
  ['0004_mail_outbox', m0004],
  ['0005_audit_log', m0005],
  ['0006_settings', m0006],
  ['0007_inquiries', m0007],
  ['0008_staff', m0008],
  ['0009_contact_changes', m0009],
  ['0010_sync', m0010],
  ['0011_account_search', m0011],
  ['0013_ops', m0013],
  ['0014_search_fold_in_writer', m0014],
  ['0015_mail_handover', m0015],
  ['0016_sync_refresh', m0016],
  ['0018_limit_events_travel', m0018],
  ['0019_first_sync_index_stage', m0019],
  ['0020_search_keys_without_copies', m0020],
  ['0021_staff_login_events_local', m0021],
  ['0022_demo_accounts', m0022],
  ['0023_code_key_ids', m0023],
  ['0024_audit_stream', m0024],
  ['0027_search_indexes_set_aside', m0027],
  ['0028_sync_error_code', m0028],
];

export function assertAscending(names: readonly string[]): void {
  for (let i = 1; i < names.length; i += 1) {
    if (names[i - 1]! >= names[i]!) throw new Error(`migration ${names[i]} is out of order`);
  }
}

function sourceFor(migrations: ReadonlyArray<readonly [string, Migration]>): Knex.MigrationSource<string> {
  assertAscending(migrations.map(([name]) => name));
  const byName = new Map(migrations);
  return {
    getMigrations: async () => migrations.map(([name]) => name),
    getMigrationName: (name) => name,
    getMigration: async (name) => byName.get(name)!,
  };
}

/** A store a newer version of the app has migrated: this version must not run on it. */
export class NewerStoreError extends Error {
  constructor(readonly unknown: readonly string[]) {
    super(
      `ローカルのデータはこの版より新しい版のものです / the local store comes from a newer version of the app (migrations this version does not know: ${unknown.join(', ')}); ` +
        'run that version, or restore a backup this version made (npm run restore -- FILE); nothing was changed',
    );
    this.name = 'NewerStoreError';
  }
}

/**
 * Each step runs in its own transaction (knex's default for SQLite), so a failed step leaves the
 * previous schema. A store with migrations this version does not know is refused first: knex
 * called it "The migration directory is corrupt, the following files are missing", which sent
 * an operator looking for files in an app that was whole (restore refuses such a file the same way).
 */
export async function migrateLocal(db: Db, options: { to?: string } = {}): Promise<void> {
  const last = options.to === undefined ? localMigrations.length - 1 : localMigrations.findIndex(([name]) => name === options.to);
  if (last < 0) throw new Error(`unknown migration ${options.to}`);
  if (await db.schema.hasTable('knex_migrations')) {
    const known = new Set(localMigrations.map(([name]) => name));
    const applied = (await db('knex_migrations').orderBy('id').select('name')) as Array<{ name: string }>;
    const unknown = applied.map((r) => r.name).filter((name) => !known.has(name));
    if (unknown.length > 0) throw new NewerStoreError(unknown);
  }
  const migrations = localMigrations.slice(0, last + 1);
  await db.migrate.latest({ migrationSource: sourceFor(migrations), tableName: 'knex_migrations' });
}

export async function localSchemaVersion(db: Db): Promise<string | undefined> {
  if (!(await db.schema.hasTable('knex_migrations'))) return undefined;
  const row = (await db('knex_migrations').orderBy('id', 'desc').first('name')) as { name: string } | undefined;
  return row?.name;
}
