import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { App } from '../../../src-main/app/create-app';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { fullReset, startOpsApp, staff } from './ops-support';

const EMAIL = 'tanaka@example.co.jp';
const JSA_ID = '12345678901';

/** Every entry of a zip as text, read with a second, independent zip implementation. */
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

describe('support bundle', () => {
  let dir: TempDir;
  let app: App;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await app?.close();
    await dir.remove();
  });

  it('holds health, settings, the deployment view and the logs, and no code, password, address or JSA-ID', async () => {
    app = await startOpsApp({ dataDir: dir.path, logLevel: 'trace' });
    const password = 'bundle-check-パス-2026';
    const { code, token } = await fullReset(app, { jsaId: JSA_ID, email: EMAIL }, password);
    app.logger.flush();
    const answer = await staff(app, 'supervisor').ok('ops.supportBundle', {});
    expect(answer.fileName).toMatch(/^webdesk-support-.*\.zip$/);
    const files = await unzip(Buffer.from(answer.base64, 'base64'));
    expect([...files.keys()].sort()).toEqual(expect.arrayContaining(['deployment.json', 'health.json', 'settings.json', 'logs/main.log']));
    expect(JSON.parse(files.get('health.json')!)).toHaveProperty('versions');
    const everything = [...files.values()].join('\n');
    for (const secret of [code, token, password, EMAIL, JSA_ID]) expect(everything.includes(secret), secret).toBe(false);
  });

  it('is still written with a damaged secrets.json, naming it where the deployment view would be, and none of its contents', async () => {
    app = await startOpsApp({ dataDir: dir.path, logLevel: 'info' });
    const smtpPassword = 'Relay-Pw-in-a-broken-file-7731';
    await staff(app, 'admin').ok('ops.setup.save', { smtpUrl: 'smtp://relay@127.0.0.1:2525', smtpPassword });
    writeFileSync(join(dir.path, 'secrets.json'), `{"smtp-password":"${smtpPassword}"`);
    const answer = await staff(app, 'supervisor').ok('ops.supportBundle', {});
    const files = await unzip(Buffer.from(answer.base64, 'base64'));
    expect(JSON.parse(files.get('deployment.json')!)).toEqual({ unavailable: { code: 'UNAVAILABLE', reason: 'secrets-damaged', file: 'secrets.json' } });
    expect(JSON.parse(files.get('health.json')!)).toHaveProperty('versions');
    expect(JSON.parse(files.get('settings.json')!)).toHaveProperty('backupKeep');
    expect([...files.values()].join('\n')).not.toContain(smtpPassword);
  });

  it('is refused to an agent and to an anonymous window', async () => {
    app = await startOpsApp({ dataDir: dir.path });
    expect(await staff(app, 'agent').call('ops.supportBundle', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', params: { role: 'supervisor' } } });
    const session = app.sessions.create();
    expect(await app.dispatch('ops.supportBundle', {}, { session, transport: 'http', actor: 'kiosk' })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});
