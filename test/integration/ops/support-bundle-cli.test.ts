// `npm run support-bundle` on a counter that cannot start (the built CLI): support gets the one
// line that stops it and the masked logs, not only the line on the admin's screen.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const cli = join(__dirname, '..', '..', '..', 'dist', 'main', 'cli.cjs');

function unzip(buffer: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const files = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

describe.skipIf(!existsSync(cli))('support-bundle on a counter that cannot start (built CLI)', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await makeTempDir('webdesk-bundle-cli-');
  });
  afterEach(() => dir.remove());

  it('writes the start-up line and the masked logs, and nothing of the damaged secrets file', async () => {
    const data = join(dir.path, 'data');
    mkdirSync(join(data, 'logs'), { recursive: true, mode: 0o700 });
    writeFileSync(join(data, 'logs', 'main.log'), '{"level":30,"msg":"mail sent to tanaka@example.co.jp"}\n');
    const password = 'Relay-Pw-in-a-broken-file-2291';
    writeFileSync(join(data, 'secrets.json'), `{"smtp-password":"${password}"`);
    const target = join(dir.path, 'bundle.zip');
    const result = spawnSync(process.execPath, [cli, 'support-bundle', target], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: data, HOME: dir.path }, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toContain(`webdesk: secrets.json ${join(data, 'secrets.json')} is damaged`);
    expect(result.stdout).toContain(`support bundle: ${target}`);
    expect(result.status).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const files = await unzip(readFileSync(target));
    expect(files.get('startup-failure.txt')).toContain(`secrets.json ${join(data, 'secrets.json')} is damaged (not the JSON this counter writes)`);
    expect(files.get('logs/main.log')).toContain('mail sent to t***@example.co.jp');
    const everything = [...files.values()].join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('tanaka@');
  });

  it('refuses to overwrite an existing file, on a counter that starts and on one that cannot, as backup does', () => {
    const data = join(dir.path, 'data');
    const target = join(dir.path, 'bundle.zip');
    writeFileSync(target, 'the admin\'s earlier file', { mode: 0o644 });
    const run = () => spawnSync(process.execPath, [cli, 'support-bundle', target], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: data, HOME: dir.path }, encoding: 'utf8', timeout: 30_000 });
    const starts = run();
    expect(starts.stderr).toContain(`support-bundle: ${target} exists; choose a new name (bundles are never overwritten)`);
    expect(starts.status).toBe(2);
    writeFileSync(join(data, 'secrets.json'), '{"smtp-password":');
    const cannotStart = run();
    expect(cannotStart.stderr).toContain(`support-bundle: ${target} exists; choose a new name (bundles are never overwritten)`);
    expect(cannotStart.status).toBe(2);
    expect(readFileSync(target, 'utf8')).toBe('the admin\'s earlier file');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('names a folder that is not there in one line, as backup does, not with Node\'s error', () => {
    const data = join(dir.path, 'data');
    const missing = join(dir.path, 'no-such-folder');
    const result = spawnSync(process.execPath, [cli, 'support-bundle', join(missing, 'bundle.zip')], { env: { PATH: process.env.PATH ?? '', WEBDESK_DATA_DIR: data, HOME: dir.path }, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe(`support-bundle: the folder ${missing} does not exist (ENOENT); make it or name a file in another folder (nothing was written; the store is unchanged)\n`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
  });
});
