// One app per test: fresh data folder, real SQLite, the real SMTP peer, a manual clock.
import type { App } from '../../../src-main/app/create-app';
import { DEMO_PASSWORD } from '../../../src-main/app/demo-data';
import type { AccountRow } from '../../../src-main/store/accounts-repo';
import { startMailbox, type Mailbox, type ReceivedMail } from '../../support/mailbox';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { kiosk, manualClock, startTestApp, type Kiosk, type ManualClock } from '../support/test-app';

export const DEMO = { jsaId: '12345678901', email: 'tanaka@example.co.jp', password: DEMO_PASSWORD } as const;

export interface Harness {
  app: App;
  mailbox: Mailbox;
  clock: ManualClock;
  dir: TempDir;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = await makeTempDir('webdesk-mypage-');
  const mailbox = await startMailbox();
  const clock = manualClock();
  const app = await startTestApp({ dataDir: dir.path, smtpUrl: mailbox.url, clock });
  return {
    app,
    mailbox,
    clock,
    dir,
    async close() {
      await app.close();
      await mailbox.close();
      await dir.remove();
    },
  };
}

export async function loggedIn(app: App, jsaId: string = DEMO.jsaId, password: string = DEMO.password): Promise<Kiosk> {
  const k = kiosk(app);
  await k.ok('account.login', { jsaId, password });
  return k;
}

export const accountRow = async (app: App, jsaId: string = DEMO.jsaId) => (await app.db<AccountRow>('accounts').where({ jsa_id: jsaId }).first())!;

export const mailTo = (mailbox: Mailbox, address: string, subject: RegExp): Promise<ReceivedMail> =>
  mailbox.next((m) => m.envelopeTo.includes(address) && subject.test(m.subject), `mail to ${address} about ${subject}`);

export const codeFrom = (mail: ReceivedMail, label: RegExp): string => {
  const code = new RegExp(`${label.source}: ([0-9A-Z]{10})`).exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in the mail:\n${mail.text}`);
  return code;
};

export async function auditActions(app: App, subject?: string): Promise<string[]> {
  const q = app.db('audit_log').orderBy('seq');
  if (subject) q.where({ subject });
  return ((await q.select('action')) as Array<{ action: string }>).map((r) => r.action);
}

/** The session as the HTTP transport sees it on the next request: idle logins removed. */
export async function touch(app: App, k: Kiosk): Promise<void> {
  const s = await app.settings.get();
  app.sessions.find(k.session.id, { customerMinutes: s.customerSessionMinutes, staffMinutes: s.staffSessionMinutes });
}
