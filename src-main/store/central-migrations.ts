import type { Knex } from 'knex';
import { centralKnex } from './central-client-config';
import * as c0001 from '../../migrations/central/0001_replicated_tables';
import * as c0002 from '../../migrations/central/0002_sync_log';
import * as c0003 from '../../migrations/central/0003_sync_apply';
import * as c0004 from '../../migrations/central/0004_kiosk_role';
import * as c0005 from '../../migrations/central/0005_contact_changes_deletes_prune';
import * as c0006 from '../../migrations/central/0006_set_based_push';
import * as c0008 from '../../migrations/central/0008_limit_events';
import * as c0010 from '../../migrations/central/0010_unlock_ends_code_failures';
import * as c0011 from '../../migrations/central/0011_code_keys';
import { ensureCodeKey, retireCodeKeys, RETIRE_GRACE_HOURS, type CentralKeyOutcome } from './central-keys';
import * as c0012 from '../../migrations/central/0012_kiosk_audit_stream';
import * as c0014 from '../../migrations/central/0014_audit_marker_keys';
import * as c0015 from '../../migrations/central/0015_audit_gap_acceptances';
import * as c0016 from '../../migrations/central/0016_forgotten_mutations';
import * as c0017 from '../../migrations/central/0017_one_installation';
import * as c0018 from '../../migrations/central/0018_code_claims';
import * as c0019 from '../../migrations/central/0019_login_claims';
import * as c0020 from '../../migrations/central/0020_email_change_claims';
import * as c0021 from '../../migrations/central/0021_request_claims';
import { assertAscending } from './migrations';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Central (PostgreSQL) schema steps; same rules as the local list: static, only going up. */
export const centralMigrations: ReadonlyArray<readonly [string, Migration]> = [
  ['0001_replicated_tables', c0001],
  ['0002_sync_log', c0002],
  ['0003_sync_apply', c0003],
  ['0004_kiosk_role', c0004],
  ['0005_contact_changes_deletes_prune', c0005],
  ['0006_set_based_push', c0006],
  ['0008_limit_events', c0008],
  ['0010_unlock_ends_code_failures', c0010],
  ['0011_code_keys', c0011],
  ['0012_kiosk_audit_stream', c0012],
  ['0014_audit_marker_keys', c0014],
  ['0015_audit_gap_acceptances', c0015],
  ['0016_forgotten_mutations', c0016],
  ['0017_one_installation', c0017],
  ['0018_code_claims', c0018],
  ['0019_login_claims', c0019],
  ['0020_email_change_claims', c0020],
  ['0021_request_claims', c0021],
];

/**
 * Run by an operator's role that owns the schema (not a kiosk role); each step in its own
 * transaction. Then the deployment gets its code key if it has none: `adoptSecret` (e.g. the
 * WEBDESK_SECRET the counters shared so far) or a new random one (store/central-keys.ts).
 */
export async function migrateCentral(url: string, options: { adoptSecret?: string } = {}): Promise<{ schema: string | undefined; key: CentralKeyOutcome }> {
  assertAscending(centralMigrations.map(([name]) => name));
  const byName = new Map(centralMigrations);
  // No per-statement timeout: a migration may build an index over every account.
  const db = centralKnex(url, 'migrate', { query_timeout: undefined });
  try {
    await db.migrate.latest({
      tableName: 'knex_migrations_central',
      migrationSource: {
        getMigrations: async () => centralMigrations.map(([name]) => name),
        getMigrationName: (name: string) => name,
        getMigration: async (name: string) => byName.get(name)!,
      },
    });
    const row = (await db('knex_migrations_central').orderBy('id', 'desc').first('name')) as { name: string } | undefined;
    return { schema: row?.name, key: await ensureCodeKey(db, options.adoptSecret) };
  } finally {
    await db.destroy();
  }
}

export interface PruneResult {
  pruned: number;
  /** Limit events past the longest window (24 h) removed; kiosks purge theirs on their own. */
  limitEvents: number;
  /** Superseded code keys retired: no open code names them any more. */
  retiredKeys: string[];
  horizonXid: string;
  horizonId: number;
  left: number;
}

/**
 * Prunes central's change log (sync_prune_change_log, migration 0005) in short transactions of
 * `batch` entries, below the lowest cursor of the kiosks heard from within `silentDays`, and
 * drops limit events older than a day (sync_purge_limit_events, 0008) the same way. Run by
 * the operator's role, e.g. nightly from cron (docs/operations-sync.md).
 */
export async function pruneCentral(url: string, options: { silentDays: number; batch?: number }): Promise<PruneResult> {
  const batch = options.batch ?? 10_000;
  const db = centralKnex(url, 'prune');
  try {
    let pruned = 0;
    for (;;) {
      const { rows } = (await db.raw(`SELECT sync_prune_change_log(make_interval(secs => ?), ?) AS n`, [options.silentDays * 86_400, batch])) as { rows: Array<{ n: string }> };
      const n = Number(rows[0]!.n);
      pruned += n;
      if (n < batch) break;
    }
    let limitEvents = 0;
    for (;;) {
      const { rows } = (await db.raw(`SELECT sync_purge_limit_events(interval '1 day', ?) AS n`, [batch])) as { rows: Array<{ n: string }> };
      const n = Number(rows[0]!.n);
      limitEvents += n;
      if (n < batch) break;
    }
    const retiredKeys = await retireCodeKeys(db, RETIRE_GRACE_HOURS);
    const { rows } = (await db.raw(
      `SELECT h.xid::text AS xid, h.log_id::text AS id, (SELECT count(*) FROM change_log)::text AS left FROM change_log_horizon h WHERE h.id = 1`,
    )) as { rows: Array<{ xid: string; id: string; left: string }> };
    return { pruned, limitEvents, retiredKeys, horizonXid: rows[0]!.xid, horizonId: Number(rows[0]!.id), left: Number(rows[0]!.left) };
  } finally {
    await db.destroy();
  }
}
