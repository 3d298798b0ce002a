// A real SMTP peer (DESIGN §8): smtp-server accepts what the app's nodemailer sends and
// mailparser decodes it, so tests read codes and links the way a customer's mail client would.
import type { Socket } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait';

export interface ReceivedMail {
  /** RCPT TO of the SMTP envelope. */
  envelopeTo: string[];
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface Mailbox {
  port: number;
  /** smtp://127.0.0.1:PORT, for WEBDESK_SMTP_URL. */
  url: string;
  /** Every mail received, in arrival order: only messages whose DATA ended with CRLF.CRLF. */
  mails: ReceivedMail[];
  /**
   * Every RCPT TO address as the client wrote it on the wire: smtp-server hands onRcptTo an
   * address with its domain decoded from punycode (xn--… → Unicode).
   */
  rcptToOnWire: string[];
  /** Messages whose connection closed before their DATA ended; smtp-server never completes them. */
  incomplete(): number;
  /** Waits (bounded, 10 s by default) for the first mail that matches and has not been taken yet. */
  next(match: (mail: ReceivedMail) => boolean, what: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));

export interface MailboxOptions {
  /** Listen there (a peer that comes back where it was); 0 or absent: a free port. */
  port?: number;
  /**
   * Runs once a message is complete (terminator received), before the answer. 'drop': the
   * peer keeps the mail but the connection dies before its 250, as when the network or the
   * peer fails at exactly that moment.
   */
  onComplete?: (mail: ReceivedMail) => Promise<'accept' | 'drop'> | 'accept' | 'drop';
  /** Recipients the peer refuses at RCPT TO with 550 (the peer's own verdict on one mail). */
  refuse?: (address: string) => boolean;
}

export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const mails: ReceivedMail[] = [];
  const rcptToOnWire: string[] = [];
  const taken = new Set<ReceivedMail>();
  let incomplete = 0;
  // By the client's port, so onComplete can drop the very connection a message came on.
  const sockets = new Map<number, Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    // No reverse DNS of 127.0.0.1 per connection: it costs a resolver round trip per mail.
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address.toLowerCase())) {
        const error = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      // smtp-server destroys this stream with ECONNECTION when the client goes away before the
      // terminator; simpleParser listens for that error, so such a message never gets here.
      simpleParser(stream).then(
        async (parsed) => {
          const mail: ReceivedMail = {
            envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            to: addresses(parsed.to),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
          };
          mails.push(mail);
          if ((await options.onComplete?.(mail)) === 'drop') {
            sockets.get(session.remotePort)?.destroy();
            return;
          }
          callback();
        },
        (error: Error) => {
          incomplete += 1;
          callback(error);
        },
      );
    },
  });
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      // Command lines only matter here; DATA bodies never start a line with RCPT TO:<.
      const lines = (pending + chunk.toString('latin1')).split('\r\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const rcpt = /^RCPT TO:<([^>]*)>/i.exec(line);
        if (rcpt) rcptToOnWire.push(Buffer.from(rcpt[1]!, 'latin1').toString('utf8'));
      }
    });
    socket.once('close', () => sockets.delete(port));
  });
  // A client that dies mid-conversation (the crash tests SIGKILL the app) resets its socket;
  // the peer logs nothing and keeps serving, as a real MTA would.
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    rcptToOnWire,
    incomplete: () => incomplete,
    async next(match, what, timeoutMs) {
      const mail = await waitFor(() => mails.find((m) => !taken.has(m) && match(m)), { what, timeoutMs });
      taken.add(mail);
      return mail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The code and the link token from a code mail's text (either locale). */
export function codeAndTokenFrom(mail: Pick<ReceivedMail, 'text'>): { code: string; token: string } {
  const code = /(?:パスワード変更権限コード|authorization code): ([0-9A-Z]{10})/.exec(mail.text)?.[1];
  const token = /\/reset\/([A-Za-z0-9_-]{16,128})/.exec(mail.text)?.[1];
  if (!code || !token) throw new Error(`no code or link in the mail:\n${mail.text}`);
  return { code, token };
}
