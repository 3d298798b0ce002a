import type { Queryable } from './database';
import { localOnlyColumns, syncedTables, type SyncedTable } from './sync-tables';

/**
 * Local writes are captured by SQLite triggers, not by each repository: every INSERT,
 * UPDATE and DELETE on a synced table (only the writes and rows that travel, for a table
 * that says so in sync-tables.ts) appends its mutation to `sync_outbox` inside the writing
 * transaction, so a write and its mutation commit or vanish together, and a repository
 * added later (staff tools, マイページ) is covered without knowing about sync.
 *
 * The WHEN clause reads the one-row `sync_guard`: nothing is captured before sync is enabled
 * (a standalone kiosk stays exactly as it was), nor while the puller applies central's rows
 * (`applying = 1` inside the pull transaction), so pulled rows are not echoed back.
 */

// UUIDv7 in SQL: 48-bit Unix ms, version 7, 12 random bits, variant 10xx, 62 random bits.
// `random() & 3` rather than abs(random()) % 4: abs() overflows on the smallest integer.
const msHex = `printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))`;
export const uuidv7Sql =
  `lower(substr(${msHex}, 1, 8) || '-' || substr(${msHex}, 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-' ||` +
  ` substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))`;

export const nowIsoSql = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

const guard = `(SELECT capture = 1 AND applying = 0 FROM sync_guard WHERE id = 1)`;

export function keySql(table: SyncedTable, ref: 'NEW' | 'OLD'): string {
  return table.surrogate ? `COALESCE(${ref}.sync_key, (SELECT client_id FROM sync_state WHERE id = 1) || ':' || ${ref}.id)` : `${ref}.id`;
}

/** The columns that travel: everything but local surrogate ids and local-only columns. */
export async function travellingColumns(db: Queryable, table: SyncedTable): Promise<string[]> {
  const info = (await db.raw(`PRAGMA table_info(${table.name})`)) as Array<{ name: string }>;
  return info.map((c) => c.name).filter((name) => !localOnlyColumns.has(name) && !(table.surrogate && name === 'id'));
}

function rowJson(table: SyncedTable, columns: string[], ref: 'NEW' | 'OLD'): string {
  const pairs = columns.map((c) => `'${c}', ${ref}."${c}"`);
  if (table.surrogate) pairs.unshift(`'key', ${keySql(table, ref)}`);
  return `json_object(${pairs.join(', ')})`;
}

const captured = ['insert', 'update', 'delete'] as const;

// A delete travels with the row as it was (row and old alike): central deletes only that row.
function triggerSql(table: SyncedTable, columns: string[], op: (typeof captured)[number]): string {
  const name = `sync_capture_${table.name}_${op}`;
  const ref = op === 'delete' ? 'OLD' : 'NEW';
  const old = op === 'insert' ? 'NULL' : rowJson(table, columns, 'OLD');
  const base = op !== 'insert' && table.versioned ? 'OLD.version' : 'NULL';
  const travels = table.travels && (!table.travelsColumn || columns.includes(table.travelsColumn));
  const when = travels ? `${guard} AND ${table.travels!(`${ref}.`)}` : guard;
  return `CREATE TRIGGER ${name} AFTER ${op.toUpperCase()} ON ${table.name} WHEN ${when}
BEGIN
  INSERT INTO sync_outbox (mutation_id, table_name, row_key, op, row_json, old_json, base_version, created_at)
  VALUES (${uuidv7Sql}, '${table.name}', ${keySql(table, ref)}, '${op}', ${rowJson(table, columns, ref)}, ${old}, ${base}, ${nowIsoSql});
END`;
}

/**
 * (Re)creates the capture triggers from the tables' current columns. Run by migration
 * 0010 and again whenever the sync engine starts, so a column added by a later migration
 * travels without a trigger rewrite by hand.
 */
export async function installSyncTriggers(db: Queryable): Promise<void> {
  for (const table of syncedTables) {
    const info = (await db.raw(`PRAGMA table_info(${table.name})`)) as Array<{ name: string }>;
    // A surrogate table joins sync in the migration that gives it `sync_key` (limit_events:
    // 0018); an earlier step (0010, 0016) must not install triggers that name a missing column.
    if (table.surrogate && !info.some((c) => c.name === 'sync_key')) continue;
    const columns = await travellingColumns(db, table);
    for (const op of captured) {
      await db.raw(`DROP TRIGGER IF EXISTS sync_capture_${table.name}_${op}`);
      if (table.ops === undefined || table.ops.includes(op)) await db.raw(triggerSql(table, columns, op));
    }
  }
}

export async function dropSyncTriggers(db: Queryable): Promise<void> {
  for (const table of syncedTables) {
    for (const op of captured) await db.raw(`DROP TRIGGER IF EXISTS sync_capture_${table.name}_${op}`);
  }
}
