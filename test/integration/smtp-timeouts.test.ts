// A relay that stops answering holds nothing for long: the outbox's connection and
// 「テストメール送信」 both give up after their bounds (nodemailer's own are ten minutes).
import { createServer, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailTransport } from '../../src-main/services/mail/mail-transport';
import { sendTestMail } from '../../src-main/services/ops/probes';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A relay that takes the whole message and then never answers it. */
async function silentAfterData(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream) {
      stream.resume();
    },
  });
  server.server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.server.address() as { port: number }).port;
}

/** A peer that accepts the connection and never greets. */
async function neverGreets(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as { port: number }).port;
}

const mail = { from: 'webdesk@jisa.or.jp', to: 'tanaka@example.co.jp', subject: 't', text: 't', html: '<p>t</p>', messageId: '<timeout-test@jsa-webdesk.local>' };

describe('a relay that stops answering', () => {
  it('fails the outbox’s send after the socket bound, once the message was handed over', async () => {
    const port = await silentAfterData();
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, maildropDir: '/nonexistent', timeouts: { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 300 } });
    closers.push(async () => transport.close());
    let handedOver = false;
    await expect(transport.send(mail, { beforeTerminator: async () => void (handedOver = true) })).rejects.toMatchObject({ code: expect.stringMatching(/ETIMEDOUT|ESOCKET|ECONNECTION/) as unknown });
    expect(handedOver).toBe(true);
  });

  it('fails 「テストメール送信」 with a code when the peer never greets or never answers the message', async () => {
    const nowIso = new Date().toISOString();
    for (const port of [await neverGreets(), await silentAfterData()]) {
      const result = await sendTestMail({ smtpUrl: `smtp://127.0.0.1:${port}`, from: mail.from, to: mail.to, kioskId: 'k1', nowIso, timeoutMs: 300 });
      expect(result).toMatchObject({ ok: false, error: { code: expect.stringMatching(/ETIMEDOUT|ESOCKET|ECONNECTION/) as unknown } });
    }
  });
});
