import { existsSync, statSync } from 'node:fs';
import type { Health, PublicHealth } from '../../contract/ops-calls';
import { centralFailureKind } from '../../contract/central-failures';
import type { Db } from '../../store/database';
import { countDemoAccounts } from '../../store/demo-accounts-repo';
import { expectedSchema, isKnownMigration, localSchemaVersion } from '../../store/schema-info';
import { outboxDepth, unknownMailCount } from '../../store/mail-outbox-repo';
import type { Clock } from '../clock';
import { CLOCK_SKEW_MS, iso, stampedAhead } from '../clock';
import type { BackupService } from './backup-service';
import type { ErrorRing } from './error-ring';
import type { Retention } from './retention';
import { stampedBy } from './clock-trust';
import type { SettingsService } from '../settings-service';
import type { CodeKeyStatus } from '../code-keys';
import type { SyncStatus } from '../sync/sync-engine';
import type { LogFileTrouble } from '../logger';

export interface HealthDeps {
  db: Db;
  clock: Clock;
  version: string;
  electronVersion: string | null;
  mode: 'kiosk' | 'staff';
  kioskId: string;
  centralConfigured: boolean;
  storeFile: string;
  startupCheck: string;
  startedMs: number;
  errors: ErrorRing;
  backups: BackupService;
  retention: Retention;
  settings: SettingsService;
  codeKey(): CodeKeyStatus;
  /** The sync engine's status; undefined on a standalone counter. */
  syncStatus?(): Promise<SyncStatus> | undefined;
  /** main.log not taking lines (logger.ts `logFileTrouble`): `log-unwritable`. */
  logTrouble(): LogFileTrouble | null;
}

const BACKUP_OVERDUE_MS = 36 * 3_600_000;
/**
 * Offline from central this long is `sync-offline`: the counter serves on, but its changes
 * (codes, attempt counts, contact changes) reach no other counter. A restart of central or a
 * network blip reconnects well within it (backoff tops out at 30 s).
 */
export const SYNC_OFFLINE_MS = 2 * 60_000;
/**
 * A mail carrying a code or a link still waiting after this long is `mail-delayed`. Normal
 * delivery takes seconds, and the worker's first four tries (5 + 10 + 20 + 40 s) fit inside
 * it, so one dropped connection does not raise it; `mail-failed` comes only after 12 tries
 * (~66 min), when every code (30 min) has expired and the customer has long left the kiosk.
 * Age rather than "the last N tries failed": it is in the store (survives a restart), and it
 * also catches a worker that tries nothing at all (maildrop unwritable, worker stopped).
 */
export const MAIL_DELAYED_MS = 2 * 60_000;
const fileBytes = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/**
 * The figures behind /health and ops.diagnostics. Counts, versions and codes only: no
 * address, no JSA-ID, no URL (a URL may carry a password), nothing a passer-by at a kiosk
 * should not see.
 */
export function createHealth(deps: HealthDeps) {
  let sqliteVersion: string | undefined;
  return async function snapshot(): Promise<Health> {
    const { db } = deps;
    sqliteVersion ??= ((await db.raw('SELECT sqlite_version() AS v')) as Array<{ v: string }>)[0]?.v ?? 'unknown';
    const failedRow = (await db('mail_outbox').where('state', 'failed').count<{ n: number }[]>({ n: '*' }).first()) as { n: number } | undefined;
    const outboxFailed = Number(failedRow?.n ?? 0);
    const outboxUnknown = await unknownMailCount(db);
    // `secret_params`: a code or link, the mails a customer at the kiosk is waiting for.
    const oldestCodeMail = (await db('mail_outbox').whereIn('state', ['queued', 'sending']).whereNotNull('secret_params').min<{ at: string | null }[]>({ at: 'created_at' }).first()) as
      | { at: string | null }
      | undefined;
    const schema = (await localSchemaVersion(db)) ?? null;
    const schemaExpected = expectedSchema();
    const backups = deps.backups.list();
    const s = await deps.settings.get();
    const nowMs = deps.clock.nowMs();
    const lastPurge = await deps.retention.lastPurge();
    const problems: string[] = [];
    if (deps.startupCheck !== 'ok') problems.push('store-check');
    if (!isKnownMigration(schema)) problems.push('schema-unknown');
    if (outboxFailed > 0) problems.push('mail-failed');
    if (outboxUnknown > 0) problems.push('mail-unknown');
    if (oldestCodeMail?.at && nowMs - Date.parse(oldestCodeMail.at) > MAIL_DELAYED_MS) problems.push('mail-delayed');
    const codeKey = deps.codeKey();
    if (codeKey.mismatch) problems.push('code-key-mismatch');
    // A backup stamped later than now (a clock that was ahead) is not one.
    const newestBackup = backups.find((b) => Date.parse(b.at) <= stampedBy(nowMs));
    // The screen's 最新のバックアップ: the newest that counts; one stamped ahead only when there is no other (worded there).
    const shownBackup = newestBackup ?? backups[0];
    if (nowMs - Date.parse(newestBackup?.at ?? iso(deps.startedMs)) > BACKUP_OVERDUE_MS) problems.push('backup-overdue');
    const clockVerdict = await deps.retention.clockVerdict(nowMs);
    if (!clockVerdict.plausible) problems.push('clock-implausible');
    const sync = await deps.syncStatus?.();
    // Central answers and refuses this PC as another installation (central 0017): at once, since
    // it waits for an admin's take-over, not for a line to come back; and not 'sync-offline'.
    if (sync?.state === 'offline' && centralFailureKind(sync.lastErrorCode) === 'identity') problems.push('sync-other-installation');
    else if (sync?.state === 'offline' && sync.offlineSince && nowMs - Date.parse(sync.offlineSince) > SYNC_OFFLINE_MS) problems.push('sync-offline');
    if (sync?.clockAheadMs != null && Math.abs(sync.clockAheadMs) > CLOCK_SKEW_MS) problems.push('sync-clock');
    // The log a support engineer will ask for stops without a word otherwise (a full disk).
    if (deps.logTrouble()) problems.push('log-unwritable');
    const demoAccounts = await countDemoAccounts(db);
    if (demoAccounts > 0) problems.push('demo-accounts');
    return {
      status: problems.length === 0 ? 'ok' : 'degraded',
      problems,
      version: deps.version,
      versions: { app: deps.version, node: process.versions.node, electron: deps.electronVersion, sqlite: sqliteVersion },
      schema,
      schemaExpected,
      mode: deps.mode,
      kioskId: deps.kioskId,
      store: { bytes: fileBytes(deps.storeFile), walBytes: fileBytes(`${deps.storeFile}-wal`), startupCheck: deps.startupCheck === 'ok' ? 'ok' : 'failed' },
      outboxDepth: await outboxDepth(db),
      outboxFailed,
      outboxUnknown,
      // Sync (issue 6) fills this in; standalone counters have no lag to report.
      sync: {
        central: deps.centralConfigured,
        state: sync?.state ?? null,
        offlineSince: sync?.offlineSince ?? null,
        lastErrorCode: sync?.lastErrorCode ?? null,
        outboxDepth: sync?.outboxDepth ?? 0,
        // How long the oldest change not yet at central has waited.
        lagSeconds: sync?.oldestPendingAt ? Math.max(0, Math.floor((nowMs - Date.parse(sync.oldestPendingAt)) / 1000)) : null,
        clockAheadMs: sync?.clockAheadMs ?? null,
        codeKey: { state: codeKey.state, currentKeyId: codeKey.currentKeyId, mismatch: codeKey.mismatch },
      },
      lastErrors: deps.errors.list(),
      backups: { count: backups.length, newestAt: shownBackup?.at ?? null, newestAhead: shownBackup?.ahead ?? false, keep: s.backupKeep },
      retention: { lastPurgeAt: lastPurge?.at ?? null, lastPurgeAhead: lastPurge ? stampedAhead(lastPurge.at, nowMs) : false },
      clock: { now: iso(nowMs), referenceAt: clockVerdict.referenceAt },
      startedAt: iso(deps.startedMs),
      uptimeSeconds: Math.max(0, Math.floor((nowMs - deps.startedMs) / 1000)),
      demoAccounts,
    };
  };
}

/** /health's answer: the snapshot without what only a supervisor may read (publicHealthSchema). */
export function publicHealth(health: Health): PublicHealth {
  const {
    lastErrors: _supervisorsOnly,
    clock: _supervisorsClock,
    backups: _supervisorsBackups,
    retention: _supervisorsPurge,
    outboxDepth: _movesWithAMatch,
    outboxFailed: _supervisorsFailed,
    outboxUnknown: _supervisorsUnknown,
    store,
    sync: { outboxDepth: _syncMovesWithAMatch, ...sync },
    ...figures
  } = health;
  return { ...figures, store: { startupCheck: store.startupCheck }, sync };
}
