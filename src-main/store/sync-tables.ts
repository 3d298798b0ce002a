/**
 * The local tables that sync with central (DESIGN §7), in the order a first sync copies them
 * (parents before children, for the foreign keys).
 *
 * `surrogate` tables have a local INTEGER id that means nothing on another kiosk; their key
 * across kiosks is `<client id>:<local id>` for rows written here, or the `sync_key` a pulled
 * row arrived with. Not synced: mail_outbox (mail leaves from the kiosk that queued it),
 * audit_log (a per-kiosk hash chain), settings (per kiosk), staff tables (per kiosk; see
 * docs/decisions.md "Sync: contact changes, deletes, pruning").
 */
export interface SyncedTable {
  name: string;
  surrogate: boolean;
  versioned: boolean;
  /** The writes that travel; all three unless said otherwise. */
  ops?: ReadonlyArray<'insert' | 'update' | 'delete'>;
  /** Which rows travel, as an SQL condition over the row (`ref` is `NEW.` in a trigger, or ''); all when absent. */
  travels?: (ref: string) => string;
  /** The column `travels` reads: a store migrated only as far as a step before it (0023) captures every row. */
  travelsColumn?: string;
}

/**
 * Limit buckets only the kiosk that writes them counts (DESIGN §6 "per kiosk", keyed on its
 * own id), and wrong codes, which travel as `reset_requests.attempts` and which central counts
 * from there (code_failures): a second copy would make central and the kiosk both lock. Staff
 * login failures stay too: staff accounts are per kiosk (local 0021).
 */
export const localOnlyBucketPrefixes = ['req:kiosk:', 'inq:kiosk:', 'codefail:', 'stafflogin:'] as const;

/**
 * Requests and e-mail changes travel only when central can check their codes: made under one of
 * the deployment's keys (`deployment_key_ids`, kept by the sync engine from central's set), or
 * before key ids existed (NULL: the WEBDESK_SECRET a fleet shared then). A row made under the
 * counter's own key — while standalone, or before central's key arrived — stays here, where
 * that key checks it until it expires (docs/decisions.md "Code keys at central").
 */
const underDeploymentKey = (ref: string) => `(${ref}key_id IS NULL OR ${ref}key_id IN (SELECT id FROM deployment_key_ids))`;

export const syncedTables: readonly SyncedTable[] = [
  { name: 'accounts', surrogate: false, versioned: true },
  { name: 'contact_changes', surrogate: false, versioned: true, travels: underDeploymentKey, travelsColumn: 'key_id' },
  { name: 'password_history', surrogate: true, versioned: false },
  { name: 'reset_requests', surrogate: false, versioned: true, travels: underDeploymentKey, travelsColumn: 'key_id' },
  { name: 'account_locks', surrogate: true, versioned: false },
  // Caps hold across kiosks (issue 8): the events travel, insert-only. Each replica and
  // central drop events past the longest window (24 h) by age on their own, so a purge is
  // not a delete that travels; staff unlocks end a window by time instead of deleting.
  {
    name: 'limit_events',
    surrogate: true,
    versioned: false,
    ops: ['insert'],
    travels: (ref) => `NOT (${localOnlyBucketPrefixes.map((p) => `${ref}bucket GLOB '${p}*'`).join(' OR ')})`,
  },
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
