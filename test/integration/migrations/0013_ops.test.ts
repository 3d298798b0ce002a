import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../../src-main/store/audit-repo';
import { openDatabase, type Db } from '../../../src-main/store/database';
import { migrateLocal } from '../../../src-main/store/migrations';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

describe('migration 0013_ops', () => {
  let dir: TempDir;
  let db: Db;
  beforeEach(async () => {
    dir = await makeTempDir();
    db = openDatabase(join(dir.path, 'store.sqlite3'));
  });
  afterEach(async () => {
    await db.destroy();
    await dir.remove();
  });

  it('keeps an existing audit chain intact and append-only, and lets a delete through only with a permit', async () => {
    await migrateLocal(db, { to: '0007_inquiries' });
    for (let i = 0; i < 4; i += 1) await appendAudit(db, { actor: 'test', action: 'reset.requested', subject: '12345678901' }, new Date(Date.UTC(2026, 0, 1 + i)).toISOString());
    await migrateLocal(db);
    expect(await verifyAuditChain(db)).toEqual({ checked: 4 });
    await expect(db('audit_log').where('seq', 1).delete()).rejects.toThrow(/append-only/);
    await expect(db('audit_log').update({ actor: 'x' })).rejects.toThrow(/append-only/);
    await db.transaction(async (tx) => {
      await tx('audit_purge_permit').insert({ through_seq: 1 });
      await expect(tx('audit_log').where('seq', 2).delete()).rejects.toThrow(/append-only/);
      expect(await tx('audit_log').where('seq', 1).delete()).toBe(1);
      await tx('audit_purge_permit').delete();
    });
    expect(await db('audit_log').count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 3 }]);
  });
});
