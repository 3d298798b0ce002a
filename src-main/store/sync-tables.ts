/**
 * The local tables that sync with central (DESIGN §7), in the order a first sync copies them
 * (parents before children, for the foreign keys).
 *
 * `surrogate` tables have a local INTEGER id that means nothing on another kiosk; their key
 * across kiosks is `<client id>:<local id>` for rows written here, or the `sync_key` a pulled
 * row arrived with. Not synced: limit_events (per-kiosk rate limits; the global caps are
 * enforced at the central apply), mail_outbox (mail leaves from the kiosk that queued it),
 * audit_log (a per-kiosk hash chain), settings (per kiosk), staff tables (per kiosk; see
 * docs/decisions.md "Sync: contact changes, deletes, pruning").
 */
export interface SyncedTable {
  name: string;
  surrogate: boolean;
  versioned: boolean;
}

export const syncedTables: readonly SyncedTable[] = [
  { name: 'accounts', surrogate: false, versioned: true },
  { name: 'contact_changes', surrogate: false, versioned: true },
  { name: 'password_history', surrogate: true, versioned: false },
  { name: 'reset_requests', surrogate: false, versioned: true },
  { name: 'account_locks', surrogate: true, versioned: false },
  { name: 'inquiries', surrogate: false, versioned: true },
];

export const syncedTableNames = syncedTables.map((t) => t.name);

export function syncedTable(name: string): SyncedTable {
  const table = syncedTables.find((t) => t.name === name);
  if (!table) throw new Error(`not a synced table: ${name}`);
  return table;
}

/** Columns that exist only locally and never travel. */
export const localOnlyColumns = new Set(['sync_key']);
