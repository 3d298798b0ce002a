// Helpers for the ops suite (issue 7): the real composition root in a temp data folder,
// staff sessions for ops.* calls, and a whole reset driven through app.dispatch with the
// code read from the maildrop .eml, as a customer would read it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../../src-main/app/config';
import { createApp, type App, type CreateAppOptions } from '../../../src-main/app/create-app';
import type { StaffRole } from '../../../src-main/contract/roles';
import type { Clock } from '../../../src-main/services/clock';
import { codeAndTokenFrom } from '../../support/mailbox';
import { kiosk, loginTestStaff, TEST_SCRYPT, type Kiosk } from '../support/test-app';
import { waitFor } from '../../support/wait';

export interface OpsAppOptions {
  dataDir: string;
  logLevel?: string;
  clock?: Clock;
  env?: Record<string, string>;
  app?: Partial<CreateAppOptions>;
}

export function startOpsApp(options: OpsAppOptions): Promise<App> {
  const config = loadConfig({ WEBDESK_DATA_DIR: options.dataDir, WEBDESK_LOG_LEVEL: options.logLevel ?? 'silent', ...options.env });
  return createApp(config, {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { ...TEST_SCRYPT },
    clock: options.clock,
    maintenance: false,
    ...options.app,
  });
}

/** A window where a staff member of `role` is logged in (staff login itself is issue 5's). */
export function staff(app: App, role: StaffRole): Kiosk {
  const k = kiosk(app);
  const loggedIn = loginTestStaff(app, k.session, `test-${role}`, role);
  const call: Kiosk['call'] = async (name, input) => {
    await loggedIn;
    return (await app.dispatch(name, input, { session: k.session, transport: 'ipc', actor: `staff:test-${role}` })) as never;
  };
  return {
    session: k.session,
    call,
    async ok(name, input) {
      const result = await call(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
      return result.value;
    },
  };
}

/** The newest code mail to `to` in DATA_DIR/maildrop that `taken` does not hold yet. */
export async function codeMailFromMaildrop(dataDir: string, to: string, taken: Set<string>): Promise<{ code: string; token: string }> {
  const dir = join(dataDir, 'maildrop');
  return waitFor(
    async () => {
      if (!existsSync(dir)) return undefined;
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort().reverse()) {
        if (taken.has(name)) continue;
        const parsed = await simpleParser(readFileSync(join(dir, name)));
        const rcpt = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value.map((v) => v.address));
        if (!rcpt.includes(to) || !/権限コード|authorization code/.test(parsed.subject ?? '')) continue;
        taken.add(name);
        return codeAndTokenFrom({ text: parsed.text ?? '' });
      }
      return undefined;
    },
    { what: `a code mail to ${to} in the maildrop`, timeoutMs: 15_000 },
  );
}

/**
 * 「サポートメール依頼」 → the code from the .eml → 「確認」 → パスワード登録, all through
 * app.dispatch. Returns what a leak check needs to look for.
 */
export async function fullReset(app: App, account: { jsaId: string; email: string }, password: string, taken = new Set<string>()) {
  const k = kiosk(app);
  await k.ok('reset.request', { jsaId: account.jsaId, email: account.email });
  const { code, token } = await codeMailFromMaildrop(app.config.dataDir, account.email, taken);
  const verified = await k.ok('reset.verifyCode', { token, code });
  await k.ok('reset.checkPassword', { grant: verified.grant, password });
  await k.ok('reset.complete', { grant: verified.grant, password, confirm: password });
  return { code, token, grant: verified.grant };
}
