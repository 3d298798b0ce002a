// The real composition root for integration tests: createApp with a temp data folder, scrypt
// cheap enough for a 2-core CI box (logN 12), and helpers to call the contract as a kiosk.
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../../../src-main/app/config';
import { createApp, type App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import type { CallInput, CallName, CallOutput } from '../../../src-main/contract/registry';
import { normalizeEmail } from '../../../src-main/domain/email';
import type { Clock } from '../../../src-main/services/clock';
import type { StaffRole } from '../../../src-main/contract/roles';
import type { Session } from '../../../src-main/services/sessions';
import { insertAccount, type AccountRow } from '../../../src-main/store/accounts-repo';

export const TEST_SCRYPT = { logN: 12, r: 8, p: 1 } as const;

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/** Time that moves only when the test says so (cooldowns and windows without sleeping). */
export function manualClock(startMs = Date.now()): ManualClock {
  let now = startMs;
  return {
    nowMs: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

export interface TestAppOptions {
  dataDir: string;
  smtpUrl?: string;
  clock?: Clock;
  /**
   * The login's growing delay (250 ms doubling to 8 s) waits through this. By default it
   * yields without waiting, as the clock moves only when told: the schedule is a product rule
   * compared in secret-checks.test.ts, and ten wrong passwords would otherwise cost 30 s of
   * wall time in every test that locks an account. Pass `recordingSleep()` to read it.
   */
  sleep?: (ms: number) => Promise<void>;
  startMailWorker?: boolean;
  /**
   * The daily backup and retention purge on their timer (off by default). Left on, it fires
   * 60 s after the start, in the middle of whatever a long or slow test is doing, and writes an
   * audit entry (retention.purged) and a backup; a test of maintenance calls
   * `app.maintenance.runOnce()` when it means to, or passes true.
   */
  maintenance?: boolean;
  /** 「アカウントの取り込み」's upload limit (small in tests). */
  importMaxBytes?: number;
  importOpenFile?: (path: string) => import('node:stream').Readable;
  /** The Electron shell's open dialog, stood in for (the dialog itself needs a window). */
  importFilePicker?: import('../../../src-main/services/account-files/account-file-handlers').ImportFilePicker;
}

export function startTestApp(options: TestAppOptions): Promise<App> {
  const config = loadConfig({
    WEBDESK_DATA_DIR: options.dataDir,
    WEBDESK_LOG_LEVEL: 'silent',
    ...(options.smtpUrl ? { WEBDESK_SMTP_URL: options.smtpUrl } : {}),
  });
  return createApp(config, {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { ...TEST_SCRYPT },
    startMailWorker: options.startMailWorker ?? true,
    maintenance: options.maintenance ?? false,
    clock: options.clock,
    sleep: options.sleep ?? recordingSleep().sleep,
    importMaxBytes: options.importMaxBytes,
    importOpenFile: options.importOpenFile,
    importFilePicker: options.importFilePicker,
  });
}

/** A kiosk window: one session, calls through app.dispatch exactly as a transport makes them. */
export interface Kiosk {
  session: Session;
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<CallOutput<K>>>;
  /** The value of a call that must succeed; a failure throws with its error code. */
  ok<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
}

export function kiosk(app: App): Kiosk {
  const session = app.sessions.create();
  const call = async <K extends CallName>(name: K, input: CallInput<K>) =>
    (await app.dispatch(name, input, { session, transport: 'http', actor: 'kiosk' })) as CallResult<CallOutput<K>>;
  return {
    session,
    call,
    async ok(name, input) {
      const result = await call(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
      return result.value;
    },
  };
}

/**
 * Logs `session` in as staff user `staffId` (made with that role if the store lacks it), for
 * tests about calls rather than logins: every staff call re-reads the caller's row, so a
 * login without one ends at the first call (SESSION_EXPIRED).
 */
export async function loginTestStaff(app: App, session: Session, staffId: string, role: StaffRole): Promise<void> {
  const nowIso = new Date(app.clock.nowMs()).toISOString();
  await app
    .db('staff_users')
    .insert({ id: staffId, username: staffId.toLowerCase(), display_name: `${staffId} (test)`, role, password_hash: '-', must_change_password: 0, failed_logins: 0, created_by: 'test', created_at: nowIso, version: 1 })
    .onConflict('id')
    .ignore();
  app.sessions.loginStaff(session, staffId, role, false);
}

/** A further account beside the demo ones (which createApp adds to an empty store). */
export async function addAccount(
  app: App,
  account: { jsaId: string; email: string; contactName: string; company: string; passwordHash?: string | null },
): Promise<AccountRow> {
  const id = uuidv7();
  await insertAccount(
    app.db,
    {
      id,
      jsa_id: account.jsaId,
      email: account.email,
      email_norm: normalizeEmail(account.email),
      contact_name: account.contactName,
      company: account.company,
      department: '総務部',
      address: '東京都中央区日本橋1-1-1',
      phone: '03-9876-5432',
      password_hash: account.passwordHash ?? null,
    },
    new Date(app.clock.nowMs()).toISOString(),
  );
  return (await app.db<AccountRow>('accounts').where({ id }).first())!;
}

/** A sleep that records the delay asked for and yields at once: the schedule can be compared, nothing waits. */
export function recordingSleep(): { sleep(ms: number): Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms) => {
      delays.push(ms);
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}
