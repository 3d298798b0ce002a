import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { integrityCheck, openDatabase, type Db } from '../../../src-main/store/database';
import { localMigrations, localSchemaVersion, migrateLocal } from '../../../src-main/store/migrations';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

let dir: TempDir;
let db: Db;
afterEach(async () => {
  await db?.destroy();
  await dir?.remove();
});

/** The single value a PRAGMA answers (SQLite names the column after the pragma, or `timeout`). */
async function pragma(name: string): Promise<unknown> {
  const rows = (await db.raw(`PRAGMA ${name}`)) as Array<Record<string, unknown>>;
  return Object.values(rows[0] ?? {})[0];
}

describe('openDatabase', () => {
  it('opens SQLite in WAL with synchronous=FULL and foreign keys on (DESIGN §7)', async () => {
    dir = await makeTempDir();
    db = openDatabase(join(dir.path, 'webdesk.sqlite3'));
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });

  it('keeps WAL when the file is opened again', async () => {
    dir = await makeTempDir();
    const file = join(dir.path, 'webdesk.sqlite3');
    db = openDatabase(file);
    await migrateLocal(db);
    await db.destroy();
    db = openDatabase(file);
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await localSchemaVersion(db)).toBe(localMigrations.at(-1)![0]);
    expect(await integrityCheck(db)).toBe('ok');
  });
});

describe('migrateLocal', () => {
  it('has a test with data for every local migration (STYLE.md)', () => {
    for (const [name] of localMigrations) expect(existsSync(join(__dirname, `${name}.test.ts`)), `${name}.test.ts`).toBe(true);
  });

  it('runs again on a migrated store without changing anything', async () => {
    dir = await makeTempDir();
    db = openDatabase(join(dir.path, 'webdesk.sqlite3'));
    expect(await localSchemaVersion(db)).toBeUndefined();
    await migrateLocal(db);
    await migrateLocal(db);
    expect(await db('knex_migrations').count({ n: '*' })).toEqual([{ n: localMigrations.length }]);
  });

  it('refuses a target that is not a migration instead of silently doing nothing', async () => {
    dir = await makeTempDir();
    db = openDatabase(join(dir.path, 'webdesk.sqlite3'));
    await expect(migrateLocal(db, { to: '0003_limits' })).rejects.toThrow(/0003_limits/);
  });
});
