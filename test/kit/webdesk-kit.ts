// The testers' kit (docs/testing.md): how to start the app for a Playwright test and read
// what it mails, in one module. Our own e2e fixtures are built on it, so the guide and the
// suite cannot drift apart. Node and Playwright only; never app code (the app is driven from
// outside, as a tester's script would).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from '../support/wait';

/** The repository root; the kit runs the built app from `dist/` (`npm run build` first). */
export const projectRoot = join(__dirname, '..', '..');
const cliBundle = join(projectRoot, 'dist', 'main', 'cli.cjs');
const webBundle = join(projectRoot, 'dist', 'main', 'web.cjs');
const electronMain = join(projectRoot, 'dist', 'main', 'electron-main.cjs');
// How long a wait may last before it fails: mail leaves through the outbox after scrypt-bound
// work, and a start migrates the store; on a busy two-core machine both take seconds. Returns
// as soon as the state arrives, so a quiet machine never pays it (playwright.config.ts).
const WAIT_BOUND_MS = 30_000;

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface LaunchOptions {
  /** Run-time settings stored before the app starts (`cli settings-set KEY JSON`). */
  settings?: Record<string, unknown>;
  /** true: mail goes to an SMTP peer inside the test process; false: to DATA_DIR/maildrop. */
  smtp?: boolean;
  /** Extra environment (WEBDESK_MODE=kiosk, WEBDESK_CENTRAL_URL …). */
  env?: Record<string, string>;
  /** Synthetic accounts added before the start (`cli seed --accounts N`). */
  seedAccounts?: number;
  /** A CSV file imported before the start (`cli import FILE`). */
  importCsv?: string;
  /**
   * The README's demo accounts (田中 一郎 with his password, the shared address) even where the
   * app would not add them, as in `WEBDESK_MODE=kiosk`: a first start in staff mode makes them
   * (and the admin), then the app starts again as asked.
   */
  demoAccounts?: boolean;
}

export interface RunningApp {
  dataDir: string;
  /** Every mail delivered so far, oldest first. */
  mails(): Promise<Mail[]>;
  /** Waits until a mail to `to` whose subject contains `subject` arrives; returns the newest such. */
  waitForMail(to: string, subject?: string, timeoutMs?: number): Promise<Mail>;
  /** `node dist/main/cli.cjs …` against this app's data folder; throws with its stderr on failure. */
  cli(...args: string[]): string;
  close(): Promise<void>;
}

export interface WebApp extends RunningApp {
  /** http://127.0.0.1:PORT — the kiosk at `/`, staff tools at `/staff`. */
  url: string;
  /** Everything the app printed (the first admin's one-time password is in it). */
  output(): string;
}

export interface ElectronApp extends RunningApp {
  app: ElectronApplication;
  window: Page;
}

/** The 10-character 「パスワード変更権限コード」 of a reset mail (ja or en). */
export function codeFrom(mail: Mail): string {
  const code = /パスワード変更権限コード:\s*([0-9A-Z]{10})|authorization code:\s*([0-9A-Z]{10})/.exec(mail.text)?.slice(1).find(Boolean);
  if (!code) throw new Error(`no code in mail "${mail.subject}"`);
  return code;
}

/** The `…/reset/<token>` link of a reset mail (web mode; the desktop app mails jsa-webdesk://). */
export function linkFrom(mail: Mail): string {
  // An English mail's link carries ?lang=en (its page opens in English).
  const link = /((?:https?:\/\/\S+\/|jsa-webdesk:\/\/)reset\/[A-Za-z0-9_-]+(?:\?lang=en)?)/.exec(mail.text)?.[1];
  if (!link) throw new Error(`no reset link in mail "${mail.subject}"`);
  return link;
}

const toMail = (parsed: ParsedMail): Mail => ({
  to: Array.isArray(parsed.to) ? parsed.to.map((t) => t.text).join(', ') : (parsed.to?.text ?? ''),
  subject: parsed.subject ?? '',
  text: parsed.text ?? '',
});

/** The mails in a data folder's maildrop, oldest first (file names sort by time). */
export async function readMaildrop(dataDir: string): Promise<Mail[]> {
  const dir = join(dataDir, 'maildrop');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map(async (f) => toMail(await simpleParser(readFileSync(join(dir, f))))));
}

interface SmtpCatcher {
  url: string;
  received: Mail[];
  close(): Promise<void>;
}

/** A real SMTP peer on loopback that keeps every complete message it is given. */
export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const received: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push(toMail(parsed));
          callback();
        })
        .catch(callback);
    },
  });
  // Port 0, read back once bound: a port asked for first and bound later can be taken in between.
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Prepared {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  cli(...args: string[]): string;
  mails(): Promise<Mail[]>;
  waitForMail(to: string, subject?: string, timeoutMs?: number): Promise<Mail>;
  release(): Promise<void>;
}

// A fresh data folder, settings, known data and a mail reader: the part that web mode and
// Electron share, like mattermost's per-test user-data folder.
async function prepare(options: LaunchOptions, kioskId: string): Promise<Prepared> {
  const dataDir = mkdtempSync(join(tmpdir(), 'webdesk-test-'));
  const env: NodeJS.ProcessEnv = { ...process.env, WEBDESK_DATA_DIR: dataDir, WEBDESK_KIOSK_ID: kioskId, WEBDESK_LOG_LEVEL: 'info', ...options.env };
  const cli = (...args: string[]): string => {
    const result = spawnSync(process.execPath, [cliBundle, ...args], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`cli ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
  for (const [key, value] of Object.entries(options.settings ?? {})) cli('settings-set', key, JSON.stringify(value));
  if (options.seedAccounts) cli('seed', '--accounts', String(options.seedAccounts));
  if (options.importCsv) cli('import', options.importCsv);

  const smtp = options.smtp ? await startSmtpCatcher() : undefined;
  if (smtp) env.WEBDESK_SMTP_URL = smtp.url;
  const mails = async (): Promise<Mail[]> => (smtp ? [...smtp.received] : readMaildrop(dataDir));
  return {
    dataDir,
    env,
    cli,
    mails,
    waitForMail: (to, subject, timeoutMs = WAIT_BOUND_MS) =>
      waitFor(async () => (await mails()).filter((m) => m.to.includes(to) && (!subject || m.subject.includes(subject))).at(-1), {
        what: `a mail to ${to}${subject ? ` about "${subject}"` : ''}`,
        timeoutMs,
        intervalMs: 100,
      }),
    async release() {
      await smtp?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts web mode (`dist/main/web.cjs`) on a free loopback port with a fresh data folder and
 * resolves once it serves. `close()` stops it and removes the folder.
 */
interface WebProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `dist/main/web.cjs` on a port the OS gives it (`--port 0`), resolved once its start-up banner
 * is whole; the URL is read from the banner. A port asked for first and handed to the app
 * later can be taken in between by the other worker's app or any outgoing connection.
 */
async function startWebProcess(env: NodeJS.ProcessEnv): Promise<WebProcess> {
  const child: ChildProcess = spawn(process.execPath, [webBundle, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`web mode exited with ${child.exitCode}:\n${output}`);
        // 'data folder:' is the last start-up line, after the first admin's notice: the banner is whole.
        return output.includes('data folder:') ? true : undefined;
      },
      { what: 'web mode to start', timeoutMs: WAIT_BOUND_MS },
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const url = /\(web mode\) at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
  if (!url) {
    await stop();
    throw new Error(`web mode did not say where it listens:\n${output}`);
  }
  return { url, output: () => output, stop };
}

/**
 * Starts web mode (`dist/main/web.cjs`) on a free loopback port with a fresh data folder and
 * resolves once it serves. `close()` stops it and removes the folder.
 */
export async function launchWebApp(options: LaunchOptions = {}): Promise<WebApp> {
  const prepared = await prepare(options, 'e2e-kiosk');
  let web: WebProcess;
  let firstOutput = '';
  try {
    if (options.demoAccounts) {
      const { WEBDESK_MODE: _mode, ...staffEnv } = prepared.env;
      const first = await startWebProcess(staffEnv);
      firstOutput = first.output();
      await first.stop();
    }
    web = await startWebProcess(prepared.env);
  } catch (err) {
    await prepared.release();
    throw err;
  }
  return {
    url: web.url,
    dataDir: prepared.dataDir,
    mails: prepared.mails,
    waitForMail: prepared.waitForMail,
    cli: prepared.cli,
    output: () => firstOutput + web.output(),
    async close() {
      await web.stop();
      await prepared.release();
    },
  };
}

/** Where the Electron binary is, or why there is none (it is downloaded on first launch). */
export function electronBinary(): { path: string } | { missing: string } {
  // Not require('electron'): in electron 45 that call starts the download when the binary is
  // missing, which hangs or fails on an offline machine.
  const pkg = join(projectRoot, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const full = override ? join(override, relative || 'electron') : relative ? join(pkg, 'dist', relative) : undefined;
  if (full && existsSync(full)) return { path: full };
  return {
    missing: 'Electron binary not installed (it is downloaded on first launch; run `npx install-electron` on a connected machine)',
  };
}

/**
 * Starts the desktop app (`_electron.launch` on the built main) with a fresh data folder and
 * waits for its first window. Throws with the reason where the Electron binary is missing:
 * check `electronBinary()` first and skip.
 */
export async function launchElectronApp(options: LaunchOptions = {}): Promise<ElectronApp> {
  const binary = electronBinary();
  if ('missing' in binary) throw new Error(binary.missing);
  const prepared = await prepare(options, 'e2e-electron');
  let app: ElectronApplication;
  try {
    app = await _electron.launch({
      executablePath: binary.path,
      args: [electronMain, '--no-sandbox'],
      env: Object.fromEntries(Object.entries(prepared.env).filter((e): e is [string, string] => e[1] !== undefined)),
    });
  } catch (err) {
    await prepared.release();
    throw err;
  }
  const window = await app.firstWindow();
  await window.waitForLoadState('domcontentloaded');
  return {
    app,
    window,
    dataDir: prepared.dataDir,
    mails: prepared.mails,
    waitForMail: prepared.waitForMail,
    cli: prepared.cli,
    async close() {
      await app.close();
      await prepared.release();
    },
  };
}
