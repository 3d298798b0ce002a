import { mkdirSync } from 'node:fs';
import { createDispatch, type Dispatch } from '../transport/dispatch';
import { openDatabase, type Db } from '../store/database';
import { migrateLocal } from '../store/migrations';
import { createAccountService } from '../services/account-service';
import { createHandlers } from '../services/call-handlers';
import { iso, systemClock, type Clock } from '../services/clock';
import { createLogger, type Logger } from '../services/logger';
import { createMailWorker, type MailWorker } from '../services/mail/mail-outbox';
import { createMailTransport } from '../services/mail/mail-transport';
import { createPasswordHasher, productionScrypt, type PasswordHasher, type ScryptParams } from '../services/password-hasher';
import { createResetService, type ResetService } from '../services/reset-service';
import { createSecretBox, type SecretBox } from '../services/secret-box';
import { SessionRegistry } from '../services/sessions';
import { createSettingsService, type SettingsService } from '../services/settings-service';
import { createStaffModule, type StaffModule } from '../services/staff-handlers';
import type { AppConfig } from './config';
import { loadOrCreateSecret, maildropDir, storeFile } from './data-dir';
import { addDemoDataIfEmpty } from './demo-data';

export const APP_VERSION = '0.1.0';

export interface CreateAppOptions {
  /** Where the link in the code mail points before a public URL is known. */
  defaultLinkBase: 'jsa-webdesk:' | 'web';
  clock?: Clock;
  scrypt?: ScryptParams;
  /** Tests and CLI commands that only touch the store leave the mail worker off. */
  startMailWorker?: boolean;
  demoData?: boolean;
  logToConsole?: boolean;
}

export interface App {
  config: AppConfig;
  db: Db;
  logger: Logger;
  clock: Clock;
  box: SecretBox;
  hasher: PasswordHasher;
  settings: SettingsService;
  sessions: SessionRegistry;
  reset: ResetService;
  mailWorker: MailWorker;
  dispatch: Dispatch;
  /** Set on the first start only: the entry prints it once (DESIGN §5); it is stored nowhere. */
  firstAdmin?: { username: string; password: string };
  staff: StaffModule;
  /** Set once the web server knows its port, so mail links point at it. */
  setWebBase(url: string): void;
  close(): Promise<void>;
}

/** The composition root: Electron, web mode, CLI and tests all start here (DESIGN §3). */
export async function createApp(config: AppConfig, options: CreateAppOptions): Promise<App> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const clock = options.clock ?? systemClock;
  const logger = createLogger({ dataDir: config.dataDir, level: config.logLevel, console: options.logToConsole });
  const box = createSecretBox(config.secret ?? loadOrCreateSecret(config.dataDir));
  const hasher = createPasswordHasher(options.scrypt ?? productionScrypt);
  const db = openDatabase(storeFile(config.dataDir));
  await migrateLocal(db);
  if (options.demoData !== false && (await addDemoDataIfEmpty(db, hasher, iso(clock.nowMs())))) {
    logger.info('demo accounts added');
  }

  const settings = createSettingsService(db, clock);
  const sessions = new SessionRegistry(clock);
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, maildropDir: maildropDir(config.dataDir) });
  const mailWorker = createMailWorker({ db, box, transport, from: config.mailFrom, clock, logger });

  let webBase = config.publicUrl;
  const resetLink = (token: string) => {
    if (webBase) return `${webBase}/reset/${token}`;
    return options.defaultLinkBase === 'jsa-webdesk:' ? `jsa-webdesk://reset/${token}` : `/reset/${token}`;
  };

  const reset = createResetService({
    db,
    clock,
    box,
    hasher,
    settings,
    kioskId: config.kioskId,
    resetLink,
    mailQueued: () => mailWorker.kick(),
    passwordChanged: (accountId) => sessions.endCustomerSessions(accountId),
  });
  const account = createAccountService({ db, clock, hasher, settings, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
  const staff = createStaffModule({ db, clock, box, hasher, settings, sessions, reset, kioskId: config.kioskId, mailQueued: () => mailWorker.kick(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
  const firstAdmin = await staff.ensureFirstAdmin();
  const handlers = createHandlers({ version: APP_VERSION, mode: config.mode, kioskId: config.kioskId, settings, sessions, reset, account, staff: staff.handlers });
  const dispatch = createDispatch(handlers, logger);

  if (options.startMailWorker !== false) await mailWorker.start();
  if (options.startMailWorker !== false) staff.warmSearchIndex();

  return {
    config,
    db,
    logger,
    clock,
    box,
    hasher,
    settings,
    sessions,
    reset,
    mailWorker,
    dispatch,
    firstAdmin,
    staff,
    setWebBase(url) {
      webBase = config.publicUrl ?? url.replace(/\/+$/, '');
    },
    async close() {
      await mailWorker.stop();
      await staff.idle();
      await db.destroy();
      logger.flush();
    },
  };
}
