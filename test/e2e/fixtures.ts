// Playwright fixtures: every test gets its own web-mode app (fresh WEBDESK_DATA_DIR, free
// port), like mattermost's per-test user-data folder. Mail is read where a customer would
// find it: the maildrop folder, or a real SMTP peer when a test asks for one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../support/net';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'main', 'cli.cjs');
const web = join(root, 'dist', 'main', 'web.cjs');

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface WebApp {
  url: string;
  dataDir: string;
  /** Every mail delivered so far, oldest first. */
  mails(): Promise<Mail[]>;
  /** Waits (bounded) until a mail to `to` arrives whose subject contains `subject`; returns the newest. */
  waitForMail(to: string, subject?: string): Promise<Mail>;
  /** Runs `node dist/main/cli.cjs …` against this app's data folder. */
  cli(...args: string[]): string;
  /** What the web-mode process wrote to stdout and stderr so far (start-up lines, warnings). */
  output(): string;
}

interface Options {
  /** Run-time settings written before the app starts (settings-set KEY JSON). */
  settings: Record<string, unknown>;
  /** true: deliver mail to a real SMTP peer in the test process instead of the maildrop. */
  smtp: boolean;
  /** Extra environment for the app (WEBDESK_CENTRAL_URL …); a spec may compute it in a fixture function. */
  env: Record<string, string>;
}

function parseCode(text: string): string | undefined {
  return /パスワード変更権限コード:\s*([0-9A-Z]{10})|authorisation code:\s*([0-9A-Z]{10})/.exec(text)?.slice(1).find(Boolean);
}

export function codeFrom(mail: Mail): string {
  const code = parseCode(mail.text);
  if (!code) throw new Error(`no code in mail "${mail.subject}"`);
  return code;
}

export function linkFrom(mail: Mail): string {
  const link = /(https?:\/\/\S+\/reset\/[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!link) throw new Error(`no reset link in mail "${mail.subject}"`);
  return link;
}

const toMail = (parsed: ParsedMail): Mail => ({
  to: Array.isArray(parsed.to) ? parsed.to.map((t) => t.text).join(', ') : (parsed.to?.text ?? ''),
  subject: parsed.subject ?? '',
  text: parsed.text ?? '',
});

export const test = base.extend<Options & { webApp: WebApp }>({
  settings: [{}, { option: true }],
  smtp: [false, { option: true }],
  env: [{}, { option: true }],
  webApp: async ({ settings, smtp, env: extraEnv }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'webdesk-e2e-'));
    const env = { ...process.env, WEBDESK_DATA_DIR: dataDir, WEBDESK_KIOSK_ID: 'e2e-kiosk', WEBDESK_LOG_LEVEL: 'info', ...extraEnv };
    const runCli = (...args: string[]) => {
      const result = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`cli ${args.join(' ')} failed: ${result.stderr}`);
      return result.stdout;
    };
    for (const [key, value] of Object.entries(settings)) runCli('settings-set', key, JSON.stringify(value));

    const received: Mail[] = [];
    let smtpServer: SMTPServer | undefined;
    if (smtp) {
      const smtpPort = await freePort();
      smtpServer = new SMTPServer({
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
      await new Promise<void>((resolve) => smtpServer!.listen(smtpPort, '127.0.0.1', resolve));
      Object.assign(env, { WEBDESK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
    }

    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [web, '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await expect.poll(() => output, { timeout: 20_000, message: 'web mode did not start' }).toContain('web mode) at');

    const mails = async (): Promise<Mail[]> => {
      if (smtp) return [...received];
      const dir = join(dataDir, 'maildrop');
      let files: string[];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
      } catch {
        return [];
      }
      return Promise.all(files.map(async (f) => toMail(await simpleParser(readFileSync(join(dir, f))))));
    };

    await use({
      url: `http://127.0.0.1:${port}`,
      dataDir,
      mails,
      async waitForMail(to, subject) {
        let found: Mail | undefined;
        await expect
          .poll(
            async () => {
              found = (await mails()).filter((m) => m.to.includes(to) && (!subject || m.subject.includes(subject))).at(-1);
              return found !== undefined;
            },
            { timeout: 15_000, message: `no mail to ${to}${subject ? ` about "${subject}"` : ''}` },
          )
          .toBe(true);
        return found!;
      },
      cli: runCli,
      output: () => output,
    });

    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (smtpServer) await new Promise<void>((resolve) => smtpServer!.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
