import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../src-main/app/config';
import { createApp } from '../src-main/app/create-app';
import { createMailTransport } from '../src-main/services/mail/mail-transport';
import { queueMail } from '../src-main/services/mail/mail-outbox';
import type { BenchRow } from './stats';

/** A local SMTP peer that accepts and counts (no parsing: we measure the sender). */
async function startPeer(): Promise<{ url: string; port: number; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );
  return { url: `smtp://127.0.0.1:${port}`, port, received: () => received, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Mail outbox to a local SMTP peer (issue 8 goal: ≥ 200 mails/s): `mails` code mails queued,
 * then one drain of the real worker (claim a pass in one commit; per mail decrypt, render,
 * send, and one commit before its SMTP terminator that also marks the previous mail sent).
 * Baseline: the same rendered-size mail through the app's own transport without the outbox,
 * in the same run, so the ratio is the outbox's cost; a pooled transport shows what
 * connection reuse alone would give.
 */
export async function benchMailOutbox(options: { mails: number }): Promise<BenchRow[]> {
  const peer = await startPeer();
  const dataDir = mkdtempSync(join(tmpdir(), 'webdesk-bench-mail-'));
  const app = await createApp(loadConfig({ WEBDESK_DATA_DIR: dataDir, WEBDESK_LOG_LEVEL: 'silent', WEBDESK_SMTP_URL: peer.url }), {
    defaultLinkBase: 'web',
    firstStart: true,
    scrypt: { logN: 10, r: 8, p: 1 },
    startMailWorker: false,
  });
  const nowMs = app.clock.nowMs();
  await app.db.transaction(async (tx) => {
    for (let i = 0; i < options.mails; i += 1) {
      await queueMail(
        tx,
        app.box,
        {
          template: 'reset-code',
          locale: 'ja',
          to: `user${i}@example.jp`,
          params: { contactName: '田中 一郎', maskedJsaId: '•••••••8901', lifetimeMinutes: 30, supportEmail: 'webdesk@jisa.or.jp' },
          secrets: { code: 'ABCDE23456', url: `http://127.0.0.1/reset/${uuidv7()}` },
        },
        nowMs,
      );
    }
  });
  let started = performance.now();
  const sent = await app.mailWorker.drainOnce();
  const outboxPerSecond = (sent / (performance.now() - started)) * 1000;
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });

  const mail = (i: number) => ({
    from: 'JSA Webdesk <webdesk@jisa.or.jp>',
    to: `user${i}@example.jp`,
    subject: '【JSA Webdesk】パスワード変更権限コードのお知らせ',
    text: 'パスワード変更権限コード: ABCDE23456\n'.repeat(12),
    html: '<p>パスワード変更権限コード: ABCDE23456</p>'.repeat(12),
    messageId: `<${uuidv7()}@jsa-webdesk.local>`,
  });
  const direct = createMailTransport({ smtpUrl: peer.url, maildropDir: dataDir });
  started = performance.now();
  for (let i = 0; i < options.mails; i += 1) await direct.send(mail(i));
  const directPerSecond = (options.mails / (performance.now() - started)) * 1000;
  direct.close();

  const pooled = nodemailer.createTransport({ host: '127.0.0.1', port: peer.port, pool: true, maxConnections: 1 });
  started = performance.now();
  for (let i = 0; i < options.mails; i += 1) await pooled.sendMail({ ...mail(i), textEncoding: 'base64' });
  const pooledPerSecond = (options.mails / (performance.now() - started)) * 1000;
  pooled.close();
  await peer.close();

  return [
    { bench: 'mail-outbox', metric: `throughput (${sent} mails)`, value: outboxPerSecond, unit: 'mails/s', baseline: directPerSecond, ratio: outboxPerSecond / directPerSecond, goal: '>= 200/s', met: outboxPerSecond >= 200 },
    { bench: 'mail-outbox', metric: 'pooled SMTP, no outbox (reference)', value: pooledPerSecond, unit: 'mails/s' },
  ];
}
