// The handover commit waits for the reader (smtp-connection reads the message only after the
// peer's 354), not for the message to be composed: nodemailer composes it before MAIL FROM.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminatorGate } from '../../../src-main/services/mail/mail-transport';

/** Every nextTick and promise queued by in-memory streams has run once this resolves. */
const settled = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

function composed(before: () => Promise<void>) {
  const gate = new TerminatorGate(before);
  // The whole message, smaller than any stream buffer, as a composed mail is.
  Readable.from([Buffer.from('Subject: x\r\n\r\n'), Buffer.from('パスワード変更権限コード\r\n')]).pipe(gate);
  return gate;
}

describe('TerminatorGate', () => {
  it('does not commit while nobody reads the message, however long it waits', async () => {
    let commits = 0;
    const gate = composed(async () => void (commits += 1));
    await settled();
    await settled();
    expect(commits).toBe(0);
    expect(gate.writableFinished).toBe(false);
  });

  it('commits after the reader took the last byte, before the stream ends', async () => {
    const events: string[] = [];
    const gate = composed(async () => void events.push('commit'));
    await settled();
    const reader = new PassThrough();
    let bytes = 0;
    reader.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      events.push('data');
    });
    const ended = new Promise<void>((resolve) =>
      gate.once('end', () => {
        events.push('end');
        resolve();
      }),
    );
    gate.pipe(reader);
    await ended;
    expect(bytes).toBe(Buffer.byteLength('Subject: x\r\n\r\nパスワード変更権限コード\r\n'));
    expect(events).toEqual(['data', 'data', 'commit', 'end']);
  });

  it('ends with the commit’s error and never ends cleanly when the commit fails', async () => {
    const gate = composed(() => Promise.reject(new Error('store refused')));
    const failed = new Promise<Error>((resolve) => gate.once('error', resolve));
    gate.resume();
    expect((await failed).message).toBe('store refused');
    expect(gate.readableEnded).toBe(false);
  });
});
