import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface SendOptions {
  /**
   * Runs after the whole message has been handed to the connection and before the end-of-data
   * terminator (CRLF.CRLF) is written; the terminator waits for it, and a rejection aborts the
   * connection without it. The outbox commits `committing` here (mail-outbox.ts).
   */
  beforeTerminator?: () => Promise<void>;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'maildrop';
  send(mail: OutgoingMail, options?: SendOptions): Promise<void>;
  close(): void;
}

/**
 * The last stage of the message stream nodemailer hands to smtp-connection. smtp-connection
 * pipes the message through its DataStream, which writes CRLF.CRLF only when its source ends
 * (DataStream._flush): holding back our end holds back the terminator, and an SMTP server
 * drops a message whose DATA never ended (smtp-server destroys the stream it gave onData).
 *
 * The commit waits for the reader, not for the writer: nodemailer composes the whole message
 * into this stream before MAIL FROM, and a Transform's own _flush runs as soon as its input
 * ends, so a commit there said "handed over" for a mail the peer then refused at RCPT TO or
 * never heard of (送信結果不明 for a mail that could safely go again). smtp-connection reads
 * this stream only after the peer's 354; with no readable buffer, the last chunk is taken
 * only by that reader, and the commit runs when it asks for more after it.
 */
export class TerminatorGate extends Transform {
  private ending: TransformCallback | null = null;
  /** The reader asked for more and nothing has been pushed since. */
  private wanted = false;

  constructor(private readonly before: () => Promise<void>) {
    super({ readableHighWaterMark: 0 });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.wanted = false;
    done(null, chunk);
  }
  override _read(size: number): void {
    this.wanted = true;
    // Transform's own _read lets the next chunk in (which clears `wanted` if one comes).
    super._read(size);
    this.commitWhenRead();
  }
  override _flush(done: TransformCallback): void {
    this.ending = done;
    this.commitWhenRead();
  }
  private commitWhenRead(): void {
    const done = this.ending;
    if (!done || !this.wanted || this.readableLength > 0) return;
    this.ending = null;
    this.before().then(
      () => done(),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

const gateKey = 'webdeskBeforeTerminator';

/**
 * The stored address as one address: given as a string, nodemailer parses it as a header
 * would, so `x;a@evil.com` went to a@evil.com and `a(c)@evil.com` to a@evil.com. Stored
 * addresses pass the address rule (domain/email.ts) first; this is the second line.
 */
const asAddress = (address: string) => ({ address, name: '' });

/**
 * How long the outbox waits on a peer, in ms. nodemailer's own socket timeout is ten minutes
 * (RFC 5321's for the final reply): one relay that stopped answering held every mail behind it
 * that long, a third of a code's 30-minute life. A relay that takes a minute to answer the
 * terminator is rare; the mail then becomes 送信結果不明 for staff rather than late for everyone.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };
export type SmtpTimeouts = typeof SMTP_TIMEOUTS;

/** SMTP when WEBDESK_SMTP_URL is set; otherwise RFC 822 files in DATA_DIR/maildrop (DESIGN §5). */
export function createMailTransport(options: { smtpUrl?: string; maildropDir: string; timeouts?: SmtpTimeouts }): MailTransport {
  if (options.smtpUrl) {
    // One kept-open connection: a new SMTP connection per mail costs a connect and greeting
    // each (smtp-server alone holds the greeting 100 ms), which kept the outbox near 9 mails/s
    // against the 200/s goal (bench/mail-outbox.bench.ts). The pool reconnects by itself.
    // One connection also keeps delivery in the order the outbox hands mail over.
    const transporter = nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: 1, ...(options.timeouts ?? SMTP_TIMEOUTS) });
    // A 'stream' plugin sees each message after it is composed; a transform added there is
    // created anew for each read of the message, so a pool retry gets its own gate.
    transporter.use('stream', (mail, done) => {
      const before = (mail.data as Record<string, unknown>)[gateKey] as (() => Promise<void>) | undefined;
      if (before) mail.message.transform(() => new TerminatorGate(before));
      done();
    });
    return {
      kind: 'smtp',
      async send(mail, sendOptions) {
        await transporter.sendMail({ ...mail, to: asAddress(mail.to), textEncoding: 'base64', ...(sendOptions?.beforeTerminator ? { [gateKey]: sendOptions.beforeTerminator } : {}) });
      },
      close: () => transporter.close(),
    };
  }
  const streamer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'maildrop',
    // No beforeTerminator here: the file is named by the outbox id and renamed into place, so
    // sending again replaces it and a mail can never be there twice.
    async send(mail) {
      const info = await streamer.sendMail({ ...mail, to: asAddress(mail.to), textEncoding: 'base64' });
      // 0700 like every folder of the data folder: the mails hold codes, links and addresses
      // (each file is 0600 too), and a copy of the data folder keeps the modes (it was 0755).
      await mkdir(options.maildropDir, { recursive: true, mode: 0o700 });
      // Named by the outbox id (a UUIDv7, so files sort by age); a resend overwrites, never duplicates.
      const name = `${mail.messageId.replace(/^<|@.*$/g, '')}.eml`;
      const tmp = join(options.maildropDir, `.${name}.tmp`);
      await writeFile(tmp, info.message as Buffer, { mode: 0o600 });
      await rename(tmp, join(options.maildropDir, name));
    },
    close: () => streamer.close(),
  };
}
