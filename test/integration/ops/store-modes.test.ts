// The store and every copy of it hold all accounts: readable by the counter's user only,
// from the first byte, in whatever folder an installer made (mode bits: POSIX only).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/app/config';
import type { App } from '../../../src-main/app/create-app';
import { storeFile } from '../../../src-main/app/data-dir';
import { backupCommand } from '../../../src-main/app/store-commands';
import { addSyntheticAccounts } from '../../../src-main/services/synthetic-accounts';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { kiosk } from '../support/test-app';
import { startOpsApp } from './ops-support';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(process.platform === 'win32')('store files are private', () => {
  let dir: TempDir;
  let app: App | undefined;
  beforeEach(async () => {
    dir = await makeTempDir();
    app = undefined;
  });
  afterEach(async () => {
    await app?.close();
    await dir.remove();
  });

  it('makes the store and its WAL files 0600 and the data folder 0700, though an installer made it 0755', async () => {
    const data = join(dir.path, 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    app = await startOpsApp({ dataDir: data });
    expect(modeOf(data)).toBe(0o700);
    const store = storeFile(data);
    for (const f of [store, `${store}-wal`, `${store}-shm`]) expect([f, modeOf(f)]).toEqual([f, 0o600]);
    // The maildrop (codes, links, addresses) is the counter's user's alone too.
    await kiosk(app).ok('reset.request', { jsaId: '12345678901', email: 'tanaka@example.co.jp' });
    const maildrop = join(data, 'maildrop');
    await waitFor(() => (existsSync(maildrop) && readdirSync(maildrop).some((n) => n.endsWith('.eml')) ? true : undefined), { what: 'the code mail in the maildrop' });
    expect(modeOf(maildrop)).toBe(0o700);
    await app.close();

    // Made wide by an older version: narrowed at the next start.
    chmodSync(store, 0o644);
    app = await startOpsApp({ dataDir: data });
    expect(modeOf(store)).toBe(0o600);
  });

  it('writes a backup’s copy 0600 from its first byte and removes what killed backups left', async () => {
    const data = join(dir.path, 'data');
    app = await startOpsApp({ dataDir: data });
    await addSyntheticAccounts(app.db, app.clock, 20_000);
    const out = join(dir.path, 'usb');
    mkdirSync(out);
    const dead = spawnSync('true').pid;
    const live = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const stale = [`.1700000000000-${dead}.backup-tmp`, `.1700000000000-${dead}.backup-tmp-journal`];
      const running = `.${Date.now()}-${live.pid}.backup-tmp`;
      for (const name of [...stale, running]) writeFileSync(join(out, name), 'half a copy', { mode: 0o600 });

      // Every mode the copy in progress shows while the backup runs.
      const seen = new Set<number>();
      let polling = true;
      const poll = async () => {
        while (polling) {
          for (const name of readdirSync(out)) {
            if (name.startsWith(`.`) && name.includes(`-${process.pid}.backup-tmp`)) {
              try {
                seen.add(modeOf(join(out, name)));
              } catch {
                // renamed meanwhile
              }
            }
          }
          await new Promise((r) => setImmediate(r));
        }
      };
      const watching = poll();
      expect(await backupCommand(loadConfig({ WEBDESK_DATA_DIR: data }), [join(out, 'b.sqlite3')])).toBe(0);
      polling = false;
      await watching;
      expect([...seen]).toEqual([0o600]);
      for (const name of stale) expect(existsSync(join(out, name)), name).toBe(false);
      expect(existsSync(join(out, running))).toBe(true);
      expect(modeOf(join(out, 'b.sqlite3'))).toBe(0o600);
    } finally {
      live.kill();
    }
  });
});
