import type { AuditAction } from '../contract/audit-actions';
import type { Locale } from '../contract/fields';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isCallName } from '../contract/registry';
import { createDispatch, type Dispatch } from '../transport/dispatch';
import { fileStamp, moveStoreAside, storeLeftovers } from '../store/backup';
import { openDatabase, type Db } from '../store/database';
import { migrateLocal } from '../store/migrations';
import { createBackupService, type BackupService } from '../services/ops/backup-service';
import { ErrorRing } from '../services/ops/error-ring';
import { createHealth, publicHealth } from '../services/ops/health';
import { createMaintenance, type Maintenance } from '../services/ops/maintenance';
import { createOpsHandlers } from '../services/ops/ops-handlers';
import { createRetention, type Retention } from '../services/ops/retention';
import { withPassword, type SecretStore } from '../services/ops/secret-store';
import { createSetupService } from '../services/ops/setup-service';
import { buildSupportBundle } from '../services/ops/support-bundle';
import type { Health, PublicHealth } from '../contract/ops-calls';
import { appendAudit } from '../store/audit-repo';
import { createAccountService } from '../services/account-service';
import { createHandlers, type PrintOutcome } from '../services/call-handlers';
import { createInquiryService } from '../services/inquiry-service';
import { createMypageService } from '../services/mypage-service';
import { iso, systemClock, type Clock } from '../services/clock';
import { closeLogger, createLogger, logFileTrouble, loggerOpened, type Logger } from '../services/logger';
import { rebuildSetAsideSearchIndexes } from '../store/account-search-fold';
import { createMailWorker, type MailWorker } from '../services/mail/mail-outbox';
import { createMailTransport } from '../services/mail/mail-transport';
import { codeStillOpen } from '../services/mail-code-open';
import { createPasswordHasher, productionScrypt, type PasswordHasher, type ScryptParams } from '../services/password-hasher';
import { createHeldGrants } from '../services/held-grant';
import { createHeldViews } from '../services/held-view';
import { createResetService, type ResetService } from '../services/reset-service';
import { createSecretCheck } from '../services/secret-check';
import { createCodeKeys, type CodeKeys } from '../services/code-keys';
import { createMarkerKeys, type MarkerKeys } from '../services/audit-marker-keys';
import { createSecretBox, type SecretBox } from '../services/secret-box';
import { SessionRegistry, sessionTimeouts } from '../services/sessions';
import { createSettingsService, type SettingsService } from '../services/settings-service';
import { createStaffModule, type StaffModule } from '../services/staff-handlers';
import { createSyncEngine, type SyncEngine, type SyncOptions } from '../services/sync/sync-engine';
import { createAuditFleetHandlers } from '../services/sync/audit-fleet-handlers';
import type { AppConfig } from './config';
import { counterInstance } from './counter-instance';
import { ensureDataFolder, ensureWritableDataDir, ensureWritableStore, maildropDir, storeFile } from './data-dir';
import { loadOrCreateSecret } from './deployment-secret';
import { countStaff, findStaffById } from '../store/staff-repo';
import { removeDemoAccountsNow } from '../store/demo-accounts-repo';
import { addDemoDataIfEmpty } from './demo-data';
import { claimPidFile, pidFile, releasePidFile, runningApp } from './app-pid';
import { createDeploymentFile } from './deployment-file';
import { createFileSecretStore } from './secret-store';
import { createAccountFileHandlers, type ImportFilePicker } from '../services/account-files/account-file-handlers';
import { createImportJobs, type ImportJobs } from '../services/account-files/import-jobs';
import { FileTransfers } from '../services/account-files/transfers';

export const APP_VERSION = '0.1.0';

export interface CreateAppOptions {
  /** Where the link in the code mail points before a public URL is known. */
  defaultLinkBase: 'jsa-webdesk:' | 'web';
  clock?: Clock;
  /** The login's growing delay waits through this; tests record it instead of sleeping, as with `clock`. */
  sleep?: (ms: number) => Promise<void>;
  scrypt?: ScryptParams;
  /** Tests and CLI commands that only touch the store leave the mail worker off. */
  startMailWorker?: boolean;
  /**
   * Web mode and Electron only (issue 16 §7, ASVS 5.0 V6.3.2): on a store with no staff user
   * yet, make the first `admin` and its one-time password (the entry prints it once) and, for
   * a standalone counter not in kiosk mode with no accounts, the demo accounts. CLI commands
   * (import, seed, migrate…) leave it off, so they never create or print either.
   */
  firstStart?: boolean;
  logToConsole?: boolean;
  /** Where SMTP/central passwords live: safeStorage in Electron; a 0600 file by default. */
  secretStore?: SecretStore;
  /** process.versions.electron in the Electron process, for /health. */
  electronVersion?: string;
  /** `--recover`: a store that fails its start-up check is moved aside and a new one begun. */
  recoverDamagedStore?: boolean;
  /**
   * Web mode: refuse to start while another process runs the counter on the same data folder
   * (two sync engines, mail workers and backup schedules on one store; the first to exit
   * removed the pid file the other still relied on). Electron has its own single-instance
   * lock, which cannot be fooled by a pid reused after a power cut; CLI commands beside a
   * running counter are fine. Both leave this off.
   */
  exclusive?: boolean;
  /**
   * Rebuild the search indexes a killed import left aside (0027) before serving (default true).
   * The import command leaves them to itself: it would set them aside again at once.
   */
  rebuildSetAsideIndexes?: boolean;
  /** Daily backup and retention purge; off for one-shot CLI commands (default: with the mail worker). */
  maintenance?: boolean;
  /** With WEBDESK_CENTRAL_URL: run the sync engine beside request handling (default true). */
  startSync?: boolean;
  syncOptions?: Partial<SyncOptions>;
  /** Tests: the installation's name sent to central (null: none, as a counter before central 0017); by default app/counter-instance.ts. */
  counterInstance?: string | null;
  /** Electron: leaves kiosk/full screen when staff ask (app.exitKiosk); absent in web mode. */
  onExitKiosk?: () => void;
  /** Electron: silent printing for the 受付票 (app.printSlip, app.testPrint); absent in web mode. */
  printer?: ShellPrinter;
  /** Electron: the open dialog for 「アカウントの取り込み」; web mode uploads instead. */
  importFilePicker?: ImportFilePicker;
  /** The upload limit of 「アカウントの取り込み」 (default IMPORT_UPLOAD_MAX_BYTES); tests lower it. */
  importMaxBytes?: number;
  /** Tests only, like `clock` and `sleep`: how an import run reads its file (to hold it part-way). */
  importOpenFile?: (path: string) => import('node:stream').Readable;
}

/** What the Electron shell does for a print; true when the printer took the job. */
export interface ShellPrinter {
  /** The window as it is, through the print stylesheet (only the slip shows). */
  printWindow(deviceName: string): Promise<boolean>;
  printTestPage(deviceName: string): Promise<boolean>;
}

/** A store that fails PRAGMA quick_check at start; the message is the one line the operator sees. */
export class StoreDamagedError extends Error {
  constructor(readonly storeFile: string, readonly detail: string, dataDir: string) {
    super(
      `the local store ${storeFile} is damaged (${detail.replace(/\s+/g, ' ').slice(0, 120)}). ` +
        `Stop the app and restore a backup: npm run restore -- ${join(dataDir, 'backups')}/<newest>.sqlite3; ` +
        `or start once with --recover to move the damaged file aside and begin with an empty store.`,
    );
    this.name = 'StoreDamagedError';
  }
}

/**
 * SQLite makes a store wherever the file is missing, and the first start adds demo data and a
 * new admin: where a WAL without its store or a restore's before-restore folder shows there
 * was one, that would bury the real data (and the WAL would be lost at the first checkpoint).
 */
function refuseLeftovers(storePath: string, dataDir: string): void {
  const found = storeLeftovers(storePath);
  if (!found) return;
  // Only a restore leaves a before-restore folder; a WAL alone was left by a crash or a hand.
  const putBack = found.some((f) => basename(f).includes('before-restore-'))
    ? `Move the files of the newest before-restore-<UTC> folder back into ${dataDir}`
    : `Put the store file back beside them (from wherever it was moved)`;
  throw new Error(
    `the local store ${storePath} is missing, but ${found.join(', ')} is there (a restore or a crash left it half-way); nothing was created. ` +
      `${putBack}, or restore a backup (npm run restore -- FILE); to begin an empty store on purpose, remove those files first.`,
  );
}

/** PRAGMA quick_check through the app's own connection (which also replays a WAL left by a power cut). */
async function startupCheck(db: Db): Promise<string> {
  try {
    const rows = (await db.raw('PRAGMA quick_check')) as Array<{ quick_check: string }>;
    return rows.map((r) => r.quick_check).join('; ');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export interface App {
  config: AppConfig;
  db: Db;
  logger: Logger;
  clock: Clock;
  box: SecretBox;
  keys: CodeKeys;
  /** This counter's audit purge marker key (public halves go to central). */
  markers: MarkerKeys;
  hasher: PasswordHasher;
  settings: SettingsService;
  sessions: SessionRegistry;
  reset: ResetService;
  mailWorker: MailWorker;
  dispatch: Dispatch;
  /** Set on the first start only: the entry prints it once (DESIGN §5); it is stored nowhere. */
  firstAdmin?: { username: string; password: string };
  staff: StaffModule;
  /** ops.diagnostics and the support bundle (no secrets, no personal data). */
  health(): Promise<Health>;
  /** GET /health (no login): the same without the recent errors. */
  publicHealth(): Promise<PublicHealth>;
  /** The support bundle zip (health, settings, masked logs). */
  supportBundle(): Promise<{ fileName: string; zip: Buffer }>;
  backups: BackupService;
  retention: Retention;
  maintenance: Maintenance;
  /** Present only when WEBDESK_CENTRAL_URL is set; standalone kiosks have none. */
  sync?: SyncEngine;
  /** Single-use tickets of the import upload and the export/rejects downloads (the transports' file routes). */
  transfers: FileTransfers;
  /** The counter's import slot (「アカウントの取り込み」). */
  importJobs: ImportJobs;
  /** Set once the web server knows its port, so mail links point at it. */
  setWebBase(url: string): void;
  close(): Promise<void>;
}

/** The composition root: Electron, web mode, CLI and tests all start here (DESIGN §3). */
export async function createApp(initialConfig: AppConfig, options: CreateAppOptions): Promise<App> {
  let config = initialConfig;
  const folderNote = ensureWritableDataDir(config.dataDir);
  const other = options.exclusive ? runningApp(config.dataDir) : undefined;
  if (other !== undefined) {
    throw new Error(`another counter (pid ${other}) is running on the data folder ${config.dataDir}; stop it first, or set WEBDESK_DATA_DIR to another folder (no such process: delete ${pidFile(config.dataDir)})`);
  }
  // Before the logger: its file stream cannot be closed before it has opened, and a refusal
  // here ended the process with pino's "sonic boom is not ready yet" after the line.
  const storePath = storeFile(config.dataDir);
  refuseLeftovers(storePath, config.dataDir);
  ensureWritableStore(storePath);
  const clock = options.clock ?? systemClock;
  const localSecret = config.secret ?? loadOrCreateSecret(config.dataDir);
  // The folders opened next: a file in their place or no access is one line naming the folder.
  ensureDataFolder(join(config.dataDir, 'logs'), 'log folder');
  if (options.firstStart === true) ensureDataFolder(join(config.dataDir, 'imports'), 'import folder');
  const logger = createLogger({ dataDir: config.dataDir, level: config.logLevel, console: options.logToConsole });
  const logFileProblem = await loggerOpened(logger);
  if (logFileProblem) {
    closeLogger(logger);
    throw logFileProblem;
  }
  // The counter's own key seals queued mail and signs audit purge markers (neither leaves it).
  const box = createSecretBox(localSecret);
  const hasher = createPasswordHasher(options.scrypt ?? productionScrypt);
  const secrets = options.secretStore ?? createFileSecretStore(config.dataDir);
  // Codes, link tokens and grants: the deployment's key from central once it has arrived (DESIGN §7).
  const announce = options.logToConsole ? (line: string) => void process.stderr.write(`webdesk: ${line}\n`) : undefined;
  const keys = createCodeKeys({ localSecret, explicitSecret: config.secret !== undefined, synced: config.centralUrl !== undefined, secrets, logger, announce });
  // Known from an earlier start: said at once, before central is reached again.
  // Audit purge markers: the counter's own Ed25519 key, kept across joining and every code-key rotation.
  const markers = createMarkerKeys(secrets, () => iso(clock.nowMs()));
  const knownMismatch = keys.mismatch();
  if (knownMismatch) {
    logger.error(knownMismatch);
    announce?.(knownMismatch);
  }
  // Passwords saved by the setup go into URLs that came from deployment.json, never into env ones.
  if (config.sources?.smtpUrl === 'file' && config.smtpUrl) config = { ...config, smtpUrl: withPassword(config.smtpUrl, secrets.get('smtp-password')) };
  if (config.sources?.centralUrl === 'file' && config.centralUrl) {
    config = { ...config, centralUrl: withPassword(config.centralUrl, secrets.get('central-password')) };
  }
  const startedMs = clock.nowMs();
  let db = openDatabase(storePath);
  // After a power cut the store must be intact before a customer is served (issue 7 §4).
  let check = existsSync(storePath) ? await startupCheck(db) : 'ok';
  if (check !== 'ok') {
    await db.destroy();
    if (!options.recoverDamagedStore) {
      closeLogger(logger);
      throw new StoreDamagedError(storePath, check, config.dataDir);
    }
    const aside = moveStoreAside(storePath, `damaged-${fileStamp(clock.nowMs())}`);
    logger.warn({ aside, check: check.slice(0, 200) }, 'damaged store moved aside (--recover); starting with an empty store');
    db = openDatabase(storePath);
    check = `recovered: ${check}`;
  }
  await migrateLocal(db);
  if (options.rebuildSetAsideIndexes !== false) {
    const rebuilt = await rebuildSetAsideSearchIndexes(db);
    if (rebuilt > 0) logger.info({ rebuilt }, 'search indexes an interrupted import had set aside were rebuilt');
  }
  // A CLI command beside the running counter leaves the counter's pid: restore and the import
  // ask that file whether the counter runs.
  claimPidFile(config.dataDir);
  const firstOfAll = options.firstStart === true && (await countStaff(db)) === 0;
  // A synced kiosk's accounts come from central; demo rows would clash with real JSA-IDs. A
  // counter in kiosk mode faces customers: no account with a published password there.
  if (firstOfAll && !config.centralUrl && config.mode !== 'kiosk' && (await addDemoDataIfEmpty(db, hasher, iso(clock.nowMs())))) {
    logger.info('demo accounts added');
  }
  // The first start with a central database is the first sync: demo rows never reach it.
  if (config.centralUrl && (await removeDemoAccountsNow(db, { actor: 'system', reason: 'sync' }, iso(clock.nowMs()))) > 0) {
    logger.info('demo accounts removed before the first sync');
  }

  const settings = createSettingsService(db, clock);
  const sessions = new SessionRegistry(clock);
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, maildropDir: maildropDir(config.dataDir) });
  const mailWorker = createMailWorker({ db, box, transport, from: config.mailFrom, clock, logger, codeStillOpen });

  let webBase = config.publicUrl;
  const resetLink = (token: string, locale: Locale) => {
    // Japanese is every page's default; an English mail's link says so (routing/initial-route.ts).
    const lang = locale === 'en' ? '?lang=en' : '';
    if (webBase) return `${webBase}/reset/${token}${lang}`;
    return options.defaultLinkBase === 'jsa-webdesk:' ? `jsa-webdesk://reset/${token}${lang}` : `/reset/${token}${lang}`;
  };

  // One for the whole process: calls about one subject (login and マイページ's password change) share its queue.
  // The engine is made below; its refusal (WD002) is read at each call, once requests are served.
  const refusedInstallation = () => sync?.refusedInstallation ?? false;
  const secretCheck = createSecretCheck({ sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))) });
  const reset = createResetService({
    db,
    secretCheck,
    clock,
    box,
    keys,
    hasher,
    settings,
    kioskId: config.kioskId,
    resetLink,
    mailQueued: () => mailWorker.kick(),
    passwordChanged: (accountId) => sessions.endCustomerSessions(accountId),
    // The engine is made below; a code is typed only once requests are served, after it exists.
    claimCode: config.centralUrl ? (claim) => sync!.claimCode(claim) : undefined,
    claimRequest: config.centralUrl ? (claim) => sync!.claimRequest(claim) : undefined,
    refusedInstallation,
  });
  const mailQueued = () => mailWorker.kick();
  const account = createAccountService({
    db,
    clock,
    hasher,
    settings,
    box,
    mailQueued,
    secretCheck,
    // As claimCode above: a password is typed only once requests are served, after the engine exists.
    claimLogin: config.centralUrl ? (claim) => sync!.claimLogin(claim) : undefined,
    refusedInstallation,
  });
  const endSessions = (accountId: string, keep?: string) => void sessions.endCustomerSessions(accountId, keep);
  const mypage = createMypageService({
    db,
    clock,
    box,
    keys,
    hasher,
    settings,
    account,
    secretCheck,
    kioskId: config.kioskId,
    mailQueued,
    endSessions,
    // As claimCode above: a code is typed only once requests are served, after the engine exists.
    claimEmailChange: config.centralUrl ? (claim) => sync!.claimEmailChange(claim) : undefined,
    refusedInstallation,
  });
  const inquiry = createInquiryService({ db, clock, box, settings, kioskId: config.kioskId, mailQueued, refusedInstallation });
  const errors = new ErrorRing();
  const backups = createBackupService({ storeFile: storePath, backupDir: join(config.dataDir, 'backups'), clock, logger });
  const retention = createRetention({ db, clock, markers, legacyKeys: () => keys.all(), settings, maildropDir: maildropDir(config.dataDir), logger });
  const health = createHealth({
    db,
    clock,
    version: APP_VERSION,
    electronVersion: options.electronVersion ?? null,
    mode: config.mode,
    kioskId: config.kioskId,
    centralConfigured: config.centralUrl !== undefined,
    storeFile: storePath,
    startupCheck: check,
    startedMs,
    errors,
    backups,
    retention,
    settings,
    codeKey: () => keys.status(),
    // Created below; health is asked only once the app runs.
    syncStatus: () => sync?.status(),
    logTrouble: () => logFileTrouble(logger),
  });
  const setup = createSetupService({ db, clock, logger, settings, running: config, file: createDeploymentFile(config.dataDir), secrets });
  const supportBundle = () => buildSupportBundle({ dataDir: config.dataDir, app: { health, settings, setup }, nowIso: iso(clock.nowMs()) });
  const removeDemo = (actor: string) => removeDemoAccountsNow(db, { actor, reason: 'admin' }, iso(clock.nowMs()));
  const audit = async (actor: string, action: AuditAction, detail: Record<string, unknown>) => {
    await appendAudit(db, { actor, action, detail }, iso(clock.nowMs()));
  };
  const ops = createOpsHandlers({ health, setup, retention, backups, settings, supportBundle, removeDemoAccounts: removeDemo, audit });
  // The import slot is made further down; its hourly check is bound late.
  const hourly: Array<() => Promise<unknown>> = [];
  const maintenance = createMaintenance({ backups, retention, settings, clock, logger, hourly });
  const sync = config.centralUrl
    ? createSyncEngine({ db, centralUrl: config.centralUrl, kioskId: config.kioskId, clock, logger, keys, markers, instance: options.counterInstance === undefined ? counterInstance(config.dataDir) : options.counterInstance, options: options.syncOptions, onCentralLoginLocks: account.noticeCentralLoginLocks, onPulled: () => staff.warmSearchIndex() })
    : undefined;
  await sync?.prepare();
  const staff = createStaffModule({ db, clock, box, hasher, settings, sessions, reset, kioskId: config.kioskId, mailQueued: () => mailWorker.kick(), mailRetryNow: () => mailWorker.retryNow(), secretCheck, auditMarkerValid: retention.markerValid, refusedInstallation });
  const firstAdmin = options.firstStart === true ? await staff.ensureFirstAdmin() : undefined;
  const exitKiosk = async (transport: 'ipc' | 'http', actor: string) => {
    const outcome: { done: boolean; reason?: 'web-mode' | 'not-kiosk' } =
      transport !== 'ipc' || !options.onExitKiosk ? { done: false, reason: 'web-mode' } : config.mode !== 'kiosk' ? { done: false, reason: 'not-kiosk' } : { done: true };
    if (outcome.done) options.onExitKiosk?.();
    await appendAudit(db, { actor, action: 'app.exit-kiosk', detail: outcome }, iso(clock.nowMs()));
    logger.info(outcome, 'kiosk exit requested by staff');
    return outcome;
  };
  const auditFleet = createAuditFleetHandlers({ db, clock, kioskId: config.kioskId, engine: sync });
  // The slip's printer is the one on 初期設定; a test page names its own (not yet saved).
  const print = async (what: 'slip' | { testPage: string }, transport: 'ipc' | 'http'): Promise<PrintOutcome> => {
    const printer = options.printer;
    if (transport !== 'ipc' || !printer) return { done: false, reason: 'web-mode' };
    const name = what === 'slip' ? (await settings.get()).printerName : what.testPage;
    if (name === '') return { done: false, reason: 'no-printer' };
    const ok = await (what === 'slip' ? printer.printWindow(name) : printer.printTestPage(name)).catch(() => false);
    logger.info({ printed: what === 'slip' ? 'slip' : 'test page', ok }, 'print');
    return ok ? { done: true } : { done: false, reason: 'failed' };
  };
  const transfers = new FileTransfers(
    () => clock.nowMs(),
    (ctx) => staff.currentStaff(async () => undefined)(ctx),
  );
  const importJobs = createImportJobs({
    db,
    clock,
    logger,
    dataDir: config.dataDir,
    maxBytes: options.importMaxBytes,
    openFile: options.importOpenFile,
    staffName: async (actor) => {
      const row = await staff.auth.requireStaff(actor.replace(/^staff:/, ''));
      return { by: row.display_name, byUser: row.username };
    },
    starterGone: async (actor) => {
      const staffId = actor.replace(/^staff:/, '');
      const row = await findStaffById(db, staffId);
      if (!row || row.disabled_at !== null) return 'starter-disabled';
      if (row.role !== 'admin') return 'starter-not-admin';
      // Logged out, timed out, or ended by another admin (ログインを終了, パスワード再発行); a
      // forced change set since (`staff:reset-password` in another process) ends the logins
      // from before it at their next call, so none of them counts either.
      if (row.must_change_password === 1 || sessions.staffSessions(staffId, sessionTimeouts(await settings.get())).length === 0) return 'starter-logged-out';
      return null;
    },
  });
  // Files of a run the last app left (personal data no screen can reach any more); the app's
  // own start only: a CLI command beside a running app must not take its chosen file away.
  if (options.firstStart === true) await importJobs.clearLeftovers();
  hourly.push(() => importJobs.expire());
  const accountFiles = createAccountFileHandlers({ db, clock, logger, jobs: importJobs, transfers, picker: options.importFilePicker });
  const handlers = createHandlers({ accountFiles, print, keys, exitKiosk, version: APP_VERSION, mode: config.mode, kioskId: config.kioskId, settings, sessions, reset, heldGrants: createHeldGrants({ reset, settings, clock, sessions }), heldViews: createHeldViews({ settings, clock }), account, ops, sync, mypage, inquiry, auditFleet, staff: staff.handlers, currentStaff: staff.currentStaff });
  const inner = createDispatch(handlers, logger);
  // Every error code the dispatcher returns goes into a small ring for 診断情報; calls are
  // logged by name and outcome only, never with their input.
  const dispatch: Dispatch = async (name, rawInput, ctx) => {
    const started = performance.now();
    const result = await inner(name, rawInput, ctx);
    if (!result.ok) errors.record(name, result.error.code, clock.nowMs());
    logger.debug({ call: isCallName(name) ? name : null, ok: result.ok, ...(result.ok ? {} : { error: result.error.code }), ms: Math.round(performance.now() - started) }, 'call');
    return result;
  };

  if (options.startMailWorker !== false) await mailWorker.start();
  if (options.startMailWorker !== false) staff.warmSearchIndex();
  if (options.maintenance ?? options.startMailWorker !== false) maintenance.start();
  if (sync && options.startSync !== false) sync.start();
  // Said once the counter is up: a start that fails says its one line and nothing else.
  if (folderNote) logger.warn(folderNote);

  return {
    config,
    db,
    logger,
    clock,
    box,
    keys,
    markers,
    hasher,
    settings,
    sessions,
    reset,
    mailWorker,
    dispatch,
    firstAdmin,
    staff,
    health,
    publicHealth: async () => publicHealth(await health()),
    supportBundle,
    backups,
    retention,
    maintenance,
    sync,
    transfers,
    importJobs,
    setWebBase(url) {
      webBase = config.publicUrl ?? url.replace(/\/+$/, '');
    },
    async close() {
      await maintenance.stop();
      await importJobs.stop();
      await sync?.stop();
      await mailWorker.stop();
      await staff.stop();
      await db.destroy();
      releasePidFile(config.dataDir);
      closeLogger(logger);
    },
  };
}
