// A command the disk fills under, as an operator meets it: one line in Japanese and English
// naming the data folder and the cause, exit 1, and the store as it was (its transaction rolled
// back), never the driver's "COMMIT; - SQLITE_FULL: database or disk is full".
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../../src-main/app/data-dir';
import { integrityCheck, openDatabase } from '../../../src-main/store/database';
import { runCli } from '../../support/cli-bundle';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { mountTmpfs, tmpfsSkipReason } from '../../support/tmpfs';

const skipReason = tmpfsSkipReason();

describe.skipIf(skipReason !== undefined)(`commands on a data folder whose disk fills${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir: TempDir;
  let unmount: () => void;
  let data: string;
  beforeAll(async () => {
    dir = await makeTempDir('webdesk-cli-full-');
    // Room for the store and its first migrations, not for 50,000 accounts.
    unmount = mountTmpfs(dir.path, '3m');
    data = join(dir.path, 'data');
  });
  afterAll(async () => {
    unmount?.();
    await dir?.remove();
  });

  const run = async (...args: string[]) => {
    const cli = await runCli(args, { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
    return { code: (await cli.exited).code, output: cli.output() };
  };

  it('ends `seed` on a full disk in one worded line naming the folder, and leaves the store whole', async () => {
    expect((await run('migrate')).code).toBe(0);
    const seeded = await run('seed', '--accounts', '50000');
    expect(seeded.code, seeded.output).toBe(1);
    const lines = seeded.output.split(/[\r\n]+/).filter(Boolean);
    expect(lines.at(-1)).toBe(
      `seed: データフォルダのディスクがいっぱいです / the disk of the data folder ${data} is full (SQLITE_FULL); free space there and run it again; what it had committed stays`,
    );
    expect(seeded.output).not.toMatch(/COMMIT|database or disk is full/);
    const db = openDatabase(storeFile(data));
    try {
      expect(await integrityCheck(db)).toBe('ok');
      // One transaction: none of the 50,000 went in.
      expect(Number((await db('accounts').count({ n: '*' }))[0]!.n)).toBe(0);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
