import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecret, secretFault } from '../../../src-main/app/deployment-secret';

describe('the deployment secret (DATA_DIR/secret.key)', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'webdesk-secret-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** The message loadOrCreateSecret stops with, and the file as it was after. */
  const refusal = (d: string): string => {
    try {
      loadOrCreateSecret(d);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('makes a 0600 key at the first start, keeps no temporary file, and reads the same key after', () => {
    const d = dir();
    const secret = loadOrCreateSecret(d);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(d, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['secret.key']);
    expect(loadOrCreateSecret(d)).toBe(secret);
    expect(secretFault(secret)).toBeUndefined();
  });

  it.each([
    ['empty (a disk-full first start)', '', /is empty \(a first start that ran out of disk space leaves it so\)/],
    ['a newline only', '\n', /is empty/],
    ['spaces only', `${' '.repeat(40)}\n`, /is empty/],
    ['too short', 'abc123\n', /is not a key this counter wrote \(expected at least 32 characters/],
    ['NUL bytes (a power cut)', '\0'.repeat(44), /is not a key this counter wrote \(expected printable characters only/],
    ['bytes that are not text', Buffer.concat([Buffer.from('k'.repeat(40)), Buffer.from([0xff, 0xfe])]), /expected printable characters only/],
  ])('refuses a secret.key that is %s, naming it, and changes nothing', (_what, content, reason) => {
    const d = dir();
    const file = join(d, 'secret.key');
    writeFileSync(file, content, { mode: 0o600 });
    const before = readFileSync(file);
    const message = refusal(d);
    expect(message).toMatch(reason);
    expect(message.startsWith(`secret.key ${file} `)).toBe(true);
    expect(message).toContain('nothing was changed. Move the file aside (keep it) and start again to have a new key made');
    expect(message).not.toContain('\n');
    expect(readFileSync(file)).toEqual(before);
    expect(readdirSync(d)).toEqual(['secret.key']);
  });

  it('says that the store holds what was sealed under the refused key', () => {
    const d = dir();
    writeFileSync(join(d, 'secret.key'), '');
    writeFileSync(join(d, 'webdesk.sqlite3'), 'a store');
    expect(refusal(d)).toMatch(new RegExp(`; the pending codes, links and queued mail in ${join(d, 'webdesk.sqlite3')} were sealed under it and will have to be asked for again$`));
  });

  it('says a secret.key it cannot read is unreadable (it said EEXIST: file already exists)', () => {
    const d = dir();
    mkdirSync(join(d, 'secret.key'));
    expect(refusal(d)).toBe(`secret.key ${join(d, 'secret.key')} is a folder, not a file (EISDIR); move it aside and start again to have a new key made (nothing was changed)`);
  });

  it('leaves no secret.key behind when the new key cannot be written', () => {
    const d = dir();
    // The temporary file's name leads nowhere: the write fails before anything is in place.
    symlinkSync(join(d, 'no-such-folder', 'x'), join(d, `secret.key.${process.pid}.tmp`));
    expect(refusal(d)).toMatch(/^secret\.key .* could not be written \(ENOENT\); .* \(no key was kept\)$/);
    expect(readdirSync(d)).toEqual([]);
  });
});
