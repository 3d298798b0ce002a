// A store a newer version of the app has migrated (the counter was downgraded, or a newer
// counter's backup was copied in by hand), as an operator meets it on the command line: one
// line saying so and what to do, exit 1, and the store left exactly as it was.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeFile } from '../../../src-main/app/data-dir';
import { openDatabase } from '../../../src-main/store/database';
import { migrateLocal } from '../../../src-main/store/migrations';
import { runCli } from '../../support/cli-bundle';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

describe('commands on a store from a newer version', () => {
  let dir: TempDir;
  let data: string;
  beforeEach(async () => {
    dir = await makeTempDir('webdesk-cli-newer-');
    data = join(dir.path, 'data');
    await mkdir(data, { recursive: true, mode: 0o700 });
    const db = openDatabase(storeFile(data));
    try {
      await migrateLocal(db);
      // What the newer version's next migration leaves behind.
      await db('knex_migrations').insert({ name: '0099_from_a_newer_version', batch: 99, migration_time: new Date().toISOString() });
    } finally {
      await db.destroy();
    }
  });
  afterEach(() => dir.remove());

  const migrations = async () => {
    const db = openDatabase(storeFile(data));
    try {
      return ((await db('knex_migrations').orderBy('id').select('name')) as Array<{ name: string }>).map((r) => r.name);
    } finally {
      await db.destroy();
    }
  };

  it('refuses in one line saying the store is newer and what to do, not knex\'s "The migration directory is corrupt"', async () => {
    const before = await migrations();
    for (const args of [['migrate'], ['seed', '--accounts', '1'], ['settings-show']]) {
      const cli = await runCli(args, { WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' });
      expect((await cli.exited).code, cli.output()).toBe(1);
      expect(cli.output()).toBe(
        'webdesk: ローカルのデータはこの版より新しい版のものです / the local store comes from a newer version of the app (migrations this version does not know: 0099_from_a_newer_version); ' +
          'run that version, or restore a backup this version made (npm run restore -- FILE); nothing was changed\n',
      );
    }
    expect(await migrations()).toEqual(before);
  }, 120_000);
});
