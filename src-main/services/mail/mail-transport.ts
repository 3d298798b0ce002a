import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'maildrop';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP when WEBDESK_SMTP_URL is set; otherwise RFC 822 files in DATA_DIR/maildrop (DESIGN §5). */
export function createMailTransport(options: { smtpUrl?: string; maildropDir: string }): MailTransport {
  if (options.smtpUrl) {
    // One kept-open connection: a new SMTP connection per mail costs a connect and greeting
    // each (smtp-server alone holds the greeting 100 ms), which kept the outbox near 9 mails/s
    // against the 200/s goal (bench/mail-outbox.bench.ts). The pool reconnects by itself.
    const transporter = nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: 1 });
    return {
      kind: 'smtp',
      async send(mail) {
        await transporter.sendMail({ ...mail, textEncoding: 'base64' });
      },
      close: () => transporter.close(),
    };
  }
  const streamer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'maildrop',
    async send(mail) {
      const info = await streamer.sendMail({ ...mail, textEncoding: 'base64' });
      await mkdir(options.maildropDir, { recursive: true });
      // Named by the outbox id (a UUIDv7, so files sort by age); a resend overwrites, never duplicates.
      const name = `${mail.messageId.replace(/^<|@.*$/g, '')}.eml`;
      const tmp = join(options.maildropDir, `.${name}.tmp`);
      await writeFile(tmp, info.message as Buffer, { mode: 0o600 });
      await rename(tmp, join(options.maildropDir, name));
    },
    close: () => streamer.close(),
  };
}
