// The deployment's code key lives at central (issue 14): counters started without
// WEBDESK_SECRET receive it over their own login, a rotation reaches a counter that was offline
// when it returns, a counter whose key disagrees says so and sends the customer to staff, and a
// standalone counter that joins keeps its open requests. Real PostgreSQL, real SQLite stores.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/app/config';
import { createApp, type App } from '../../../src-main/app/create-app';
import { codeKeyId, rotateCentralKey } from '../../../src-main/store/central-keys';
import { insertAccount } from '../../../src-main/store/accounts-repo';
import { kiosk, TEST_SCRYPT } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { codeFromMaildrop, startKiosk, startKioskPair, waitOnline, waitPushed, type KioskPair } from '../support/sync-kiosk';
import { runCli } from '../../support/cli-bundle';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { waitForLogLine } from '../../support/log-lines';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

const NOW = '2026-01-01T00:00:00.000Z';
const PASSWORD = 'kawasemi-no-sora-2031';

/** Accounts n = 1..count at central: JSA-ID 5555555555n, key<n>@example.co.jp. */
async function seedAccounts(central: Central, count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) {
    await central.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       VALUES ($1, $2, $3, $3, $4, '株式会社テスト', 1, $5, $5)`,
      [accountId(n), jsaId(n), email(n), `鍵 ${n}`, NOW],
    );
  }
}
const accountId = (n: number) => `0190a000-0000-7000-8000-0000000c${String(n).padStart(4, '0')}`;
const jsaId = (n: number) => `5555555555${n}`;
const email = (n: number) => `key${n}@example.co.jp`;

async function currentKey(central: Central): Promise<string> {
  const [row] = await central.query<{ id: string }>(`SELECT id FROM code_keys WHERE superseded_at IS NULL`);
  return row!.id;
}

async function requestCode(app: App, n: number, seen: Set<string>): Promise<{ code: string; requestId: string }> {
  await kiosk(app).ok('reset.request', { jsaId: jsaId(n), email: email(n), locale: 'ja' });
  const { code } = await codeFromMaildrop(app, email(n), seen);
  const row = (await app.db('reset_requests').where({ account_id: accountId(n) }).orderBy('id', 'desc').first('id')) as { id: string };
  return { code, requestId: row.id };
}

async function finish(app: App, n: number, code: string): Promise<void> {
  const verified = await kiosk(app).ok('reset.verifyCode', { identifier: jsaId(n), code });
  await kiosk(app).ok('reset.complete', { grant: verified.grant, password: PASSWORD, confirm: PASSWORD });
}

async function keyIdOf(db: App['db'], requestId: string): Promise<string | null | undefined> {
  return ((await db('reset_requests').where({ id: requestId }).first('key_id')) as { key_id: string | null } | undefined)?.key_id;
}

const waitRow = (app: App, requestId: string) =>
  waitFor(async () => ((await app.db('reset_requests').where({ id: requestId }).first()) ? true : undefined), { what: `request ${requestId} at ${app.config.kioskId}` });

describe('two counters without WEBDESK_SECRET', () => {
  let central: Central;
  let pair: KioskPair;

  beforeAll(async () => {
    central = await startCentral();
    await seedAccounts(central, 1);
    pair = await startKioskPair(central);
  });
  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  it('receive the deployment key over their own login, and a code asked at A is finished at B', async () => {
    const { a, b } = pair;
    const key = await currentKey(central);
    for (const app of [a, b]) {
      expect(app.config.secret).toBeUndefined();
      const status = await app.sync!.status();
      expect(status.codeKey).toMatchObject({ state: 'deployment', currentKeyId: key, previousKeyIds: [], mismatch: null });
      // Kept as the other secrets are: the 0600 file of the SecretStore, never in the database.
      expect(statSync(join(app.config.dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    }
    const { code, requestId } = await requestCode(pair.a, 1, new Set());
    expect(await keyIdOf(a.db, requestId)).toBe(key);
    await waitRow(b, requestId);
    await finish(b, 1, code);
    await waitPushed(b);
    expect(await central.query(`SELECT key_id, status FROM reset_requests WHERE id = $1`, [requestId])).toEqual([{ key_id: key, status: 'used' }]);
  });

  it('keeps the key table closed to kiosk roles: they get the set only through sync_code_keys()', async () => {
    const client = new pg.Client({ connectionString: await central.kioskUrl('kiosk_a') });
    await client.connect();
    try {
      await expect(client.query('SELECT secret FROM code_keys')).rejects.toThrow(/permission denied/);
      await expect(client.query(`SELECT sync_rotate_code_key('k-000000000000', 'x')`)).rejects.toThrow(/permission denied/);
      expect((await client.query('SELECT id FROM sync_code_keys()')).rows).toEqual([{ id: await currentKey(central) }]);
    } finally {
      await client.end();
    }
  });
});

describe('a key rotation while counter B is offline', () => {
  let central: Central;
  let pair: KioskPair;

  beforeAll(async () => {
    central = await startCentral();
    await seedAccounts(central, 6);
    pair = await startKioskPair(central);
  });
  afterAll(async () => {
    await pair?.close();
    await central?.stop();
  });

  it("lets B's customers finish with codes from before, gives new codes the new key, and retires the old key once its codes are done", async () => {
    const { a, b } = pair;
    const seenA = new Set<string>();
    const seenB = new Set<string>();
    const k1 = await currentKey(central);
    const early = await requestCode(b, 1, seenB);
    await waitPushed(b);

    await b.sync!.stop();
    const rotated = await rotateCentralKey(central.url);
    expect(rotated.previous).toBe(k1);
    const k2 = rotated.current;
    expect(k2).not.toBe(k1);
    // A takes the new key with its next pull.
    await waitFor(async () => ((await a.sync!.status()).codeKey.currentKeyId === k2 ? true : undefined), { what: 'A on the new key' });
    expect((await a.sync!.status()).codeKey.previousKeyIds).toEqual([k1]);
    const atA = await requestCode(a, 2, seenA);
    expect(await keyIdOf(a.db, atA.requestId)).toBe(k2);

    // B, offline, still serves: a new code under the key it has, and a customer from before finishes.
    const offline = await requestCode(b, 3, seenB);
    expect(await keyIdOf(b.db, offline.requestId)).toBe(k1);
    await finish(b, 1, early.code);
    // Not retired while a code made under it may still be used (B's offline request is open at B).
    expect(await central.query(`SELECT sync_retire_code_keys(interval '0')`)).toEqual([]);

    b.sync!.start();
    await waitOnline(b);
    await waitFor(async () => ((await b.sync!.status()).codeKey.currentKeyId === k2 ? true : undefined), { what: 'B caught up with the rotation' });
    expect((await b.sync!.status()).codeKey.previousKeyIds).toEqual([k1]);
    // A's code under the new key finishes at B; B's offline code under the old one at A.
    await waitRow(b, atA.requestId);
    await finish(b, 2, atA.code);
    await waitPushed(b);
    await waitRow(a, offline.requestId);
    await finish(a, 3, offline.code);
    await waitPushed(a);
    const after = await requestCode(b, 4, seenB);
    expect(await keyIdOf(b.db, after.requestId)).toBe(k2);
    await waitPushed(b);

    // Every code under k1 is used: the key is retired (its secret erased) and both counters drop it.
    expect(await central.query(`SELECT sync_retire_code_keys(interval '0') AS id`)).toEqual([{ id: k1 }]);
    expect(await central.query(`SELECT secret, retired_at IS NOT NULL AS retired FROM code_keys WHERE id = $1`, [k1])).toEqual([{ secret: null, retired: true }]);
    for (const app of [a, b]) {
      await waitFor(async () => ((await app.sync!.status()).codeKey.previousKeyIds.length === 0 ? true : undefined), { what: `${app.config.kioskId} dropped ${k1}` });
      expect(readFileSync(join(app.config.dataDir, 'secrets.json'), 'utf8')).not.toContain(k1);
    }
    expect(await central.query(`SELECT count(*)::int AS n FROM sync_conflicts`)).toEqual([{ n: 0 }]);
  });
});

describe('a counter whose key disagrees with the deployment', () => {
  let central: Central;
  let pair: KioskPair;
  let dir: TempDir;
  let c: App | undefined;
  const WRONG = 'a-secret-copied-wrongly-onto-counter-c-0123';

  beforeAll(async () => {
    central = await startCentral();
    await seedAccounts(central, 3);
    pair = await startKioskPair(central);
    dir = await makeTempDir('webdesk-sync-c-');
  });
  afterAll(async () => {
    await c?.close();
    await pair?.close();
    await dir?.remove();
    await central?.stop();
  });

  it('with a wrong explicit WEBDESK_SECRET: refuses to sync with one line, sends the customer to staff and writes nothing', async () => {
    const { code } = await requestCode(pair.a, 1, new Set());
    await waitPushed(pair.a);
    const key = await currentKey(central);
    const centralBefore = await central.query(`SELECT (SELECT count(*) FROM reset_requests)::int AS r, (SELECT count(*) FROM kiosks)::int AS k`);

    c = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-c', centralUrl: await central.kioskUrl('kiosk_c'), secret: WRONG, logLevel: 'info' });
    await waitFor(async () => ((await c!.sync!.status()).state === 'refused' ? true : undefined), { what: 'C refused' });
    const status = await c.sync!.status();
    expect(status.codeKey.state).toBe('mismatch');
    expect(status.codeKey.mismatchKind).toBe('explicit-secret');
    expect(status.codeKey.mismatchKeyId).toBe(c.keys.localKeyId);
    expect(status.codeKey.mismatch).toMatch(new RegExp(`^code key mismatch: WEBDESK_SECRET here \\(key ${c.keys.localKeyId}\\) is not the deployment's \\(current ${key}\\); not syncing, customers are sent to staff`));
    expect(status.lastError).toBe(status.codeKey.mismatch);
    const health = await c.health();
    expect(health.problems).toContain('code-key-mismatch');
    expect(health.sync.codeKey.mismatch).toBe(status.codeKey.mismatch);

    const auditBefore = await c.db('audit_log').count({ n: '*' });
    for (const [name, input] of [
      ['reset.request', { jsaId: jsaId(2), email: email(2), locale: 'ja' }],
      ['reset.verifyCode', { identifier: jsaId(1), code }],
    ] as const) {
      const answer = await kiosk(c).call(name, input as never);
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.code).toBe('ASK_STAFF');
    }
    // Nothing written, here or at central: C never registered, pushed or pulled.
    expect(await c.db('audit_log').count({ n: '*' })).toEqual(auditBefore);
    for (const table of ['reset_requests', 'limit_events', 'sync_outbox', 'accounts', 'mail_outbox']) expect(await c.db(table).count({ n: '*' }), table).toEqual([{ n: 0 }]);
    expect(await central.query(`SELECT (SELECT count(*) FROM reset_requests)::int AS r, (SELECT count(*) FROM kiosks)::int AS k`)).toEqual(centralBefore);

    // In the log once, with the key ids only.
    const mismatch = (line: string) => line.includes('code key mismatch');
    const { text: log } = await waitForLogLine(join(dir.path, 'logs', 'main.log'), mismatch, 'the code key mismatch');
    expect(log.split('\n').filter(mismatch)).toHaveLength(1);
    expect(log).not.toContain(WRONG);
    const [deployment] = await central.query<{ secret: string }>(`SELECT secret FROM code_keys WHERE id = $1`, [key]);
    expect(log).not.toContain(deployment!.secret);

    // Started again: said at start-up, before central is reached.
    await c.close();
    const restartedMs = Date.now();
    c = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-c', centralUrl: await central.kioskUrl('kiosk_c'), secret: WRONG, logLevel: 'info', startSync: false });
    expect((await c.health()).sync.codeKey.state).toBe('mismatch');
    const { text: again } = await waitForLogLine(join(dir.path, 'logs', 'main.log'), (l) => mismatch(l) && (JSON.parse(l) as { time: number }).time >= restartedMs, 'the mismatch said at the restart');
    expect(again.split('\n').filter(mismatch)).toHaveLength(2);
  });

  it('when central holds a request under a key this counter lacks: the customer is sent to staff, not told the code is wrong, and nothing is counted', async () => {
    const { b } = pair;
    const unknownKey = 'k-00000000beef';
    await central.query(
      `INSERT INTO reset_requests (id, account_id, channel, code_hmac, token_hmac, status, attempts, locale, kiosk_id, created_at, expires_at, key_id)
       VALUES ('0190a000-0000-7000-8000-0000000d0001', $1, 'jsa_id', 'aa', 'bb', 'pending', 0, 'ja', 'kiosk-x', sync_now_iso(), to_char((now() + interval '30 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), $2)`,
      [accountId(3), unknownKey],
    );
    await waitRow(b, '0190a000-0000-7000-8000-0000000d0001');
    const answer = await kiosk(b).call('reset.verifyCode', { identifier: jsaId(3), code: 'ABCDEFGHJK' });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe('ASK_STAFF');
    expect(await b.db('reset_requests').where({ id: '0190a000-0000-7000-8000-0000000d0001' }).first('attempts')).toEqual({ attempts: 0 });
    const status = await b.sync!.status();
    expect(status.codeKey).toMatchObject({ state: 'mismatch', mismatchKind: 'unknown-key', mismatchKeyId: unknownKey });
    expect((await b.health()).problems).toContain('code-key-mismatch');
    // Only that customer: another one at B is served as usual.
    expect((await kiosk(b).call('reset.request', { jsaId: jsaId(2), email: email(2), locale: 'ja' })).ok).toBe(true);
    // A link no key here matches, while that request is open, is said the same way.
    const link = await kiosk(b).call('reset.verifyCode', { token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', code: 'ABCDEFGHJK' });
    expect(link.ok).toBe(false);
    if (!link.ok) expect(link.error.code).toBe('ASK_STAFF');
  });
});

describe('a standalone counter connected to central later', () => {
  let central: Central;
  let dir: TempDir;
  let app: App | undefined;

  beforeAll(async () => {
    central = await startCentral();
    await seedAccounts(central, 2);
    dir = await makeTempDir('webdesk-standalone-');
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
    await central?.stop();
  });

  it('keeps its open requests verifiable under its old key, which stays as a retired key id, while new codes use the deployment key', async () => {
    const config = loadConfig({ WEBDESK_DATA_DIR: dir.path, WEBDESK_LOG_LEVEL: 'silent', WEBDESK_KIOSK_ID: 'kiosk-s' });
    app = await createApp(config, { defaultLinkBase: 'web', scrypt: { ...TEST_SCRYPT } });
    for (const n of [1, 2]) {
      await insertAccount(app.db, { id: accountId(n), jsa_id: jsaId(n), email: email(n), email_norm: email(n), contact_name: `鍵 ${n}`, company: '株式会社テスト', department: '総務部', address: '東京都千代田区1-1', phone: '03-0000-0000', password_hash: null }, NOW);
    }
    const localKey = app.keys.localKeyId;
    const seen = new Set<string>();
    const open = await requestCode(app, 1, seen);
    expect(await keyIdOf(app.db, open.requestId)).toBe(localKey);
    await app.close();

    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-s', centralUrl: await central.kioskUrl('kiosk_s') });
    await waitOnline(app);
    const key = await currentKey(central);
    expect((await app.sync!.status()).codeKey).toMatchObject({ state: 'deployment', currentKeyId: key, retiredLocalKeyId: localKey, mismatch: null });

    await finish(app, 1, open.code);
    await waitPushed(app);
    // The request never left the counter (central could not check it); the new password did.
    expect(await central.query(`SELECT count(*)::int AS n FROM reset_requests WHERE id = $1`, [open.requestId])).toEqual([{ n: 0 }]);
    const [centralAccount] = await central.query<{ password_hash: string | null }>(`SELECT password_hash FROM accounts WHERE id = $1`, [accountId(1)]);
    expect(centralAccount!.password_hash).toMatch(/^\$scrypt\$/);
    expect(await central.query(`SELECT count(*)::int AS n FROM sync_conflicts`)).toEqual([{ n: 0 }]);

    const fresh = await requestCode(app, 2, seen);
    expect(await keyIdOf(app.db, fresh.requestId)).toBe(key);
    await waitPushed(app);
    expect(await central.query(`SELECT key_id FROM reset_requests WHERE id = $1`, [fresh.requestId])).toEqual([{ key_id: key }]);
  });
});

describe('npm run central:migrate and central:rotate-key', () => {
  let server: PostgresServer;
  let dir: TempDir;
  const SHARED = 'the-secret-this-fleet-shared-by-hand-0123456789';

  beforeAll(async () => {
    server = await startPostgres();
    dir = await makeTempDir('webdesk-central-cli-');
  });
  afterAll(async () => {
    await dir?.remove();
    await server?.stop();
  });

  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const run = await runCli(args, { WEBDESK_DATA_DIR: dir.path, WEBDESK_LOG_LEVEL: 'silent', WEBDESK_CENTRAL_URL: server.url, ...env });
    const { code } = await run.exited;
    return { code, output: run.output() };
  };
  const keys = async () => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      return (await c.query<{ id: string; current: boolean; has_secret: boolean }>(`SELECT id, superseded_at IS NULL AS current, secret IS NOT NULL AS has_secret FROM code_keys ORDER BY created_at`)).rows;
    } finally {
      await c.end();
    }
  };

  it('adopts the WEBDESK_SECRET a fleet shared, keeps it on a second run, and rotates to a new random key', async () => {
    const adopted = codeKeyId(SHARED);
    const first = await cli(['central-migrate'], { WEBDESK_SECRET: SHARED });
    expect(first.code).toBe(0);
    expect(first.output).toContain(`code key: ${adopted} adopted from WEBDESK_SECRET`);
    expect(first.output).not.toContain(SHARED);

    const again = await cli(['central-migrate'], { WEBDESK_SECRET: 'another-secret-not-the-deployments-0123456789' });
    expect(again.code).toBe(0);
    expect(again.output).toContain(`code key: ${adopted} kept`);
    expect(again.output).toMatch(/WEBDESK_SECRET \(key k-[0-9a-f]{12}\) was not adopted: the deployment already has key/);
    expect(await keys()).toEqual([{ id: adopted, current: true, has_secret: true }]);

    const rotated = await cli(['central-rotate-key']);
    expect(rotated.code).toBe(0);
    const [previous, current] = await keys();
    expect(previous).toEqual({ id: adopted, current: false, has_secret: true });
    expect(current!.current).toBe(true);
    expect(rotated.output).toContain(`central-rotate-key: code key ${current!.id} is current; counters take it with their next pull. ${adopted} verifies codes made before until they expire`);
  });

  it('on adopting, names the adopted key on the open requests from before key ids, so counters without WEBDESK_SECRET check them', async () => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      // A deployment upgraded from before key ids: rows with NULL key_id, no key yet.
      await c.query('DELETE FROM code_keys');
      await c.query(`INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at) VALUES ($1, $2, $3, $3, '鍵', '株式会社テスト', 1, $4, $4)`, [accountId(9), jsaId(9), email(9), NOW]);
      for (const [id, status] of [['0190a000-0000-7000-8000-0000000e0001', 'used'], ['0190a000-0000-7000-8000-0000000e0002', 'pending']] as const) {
        await c.query(
          `INSERT INTO reset_requests (id, account_id, channel, code_hmac, token_hmac, status, attempts, locale, kiosk_id, created_at, expires_at) VALUES ($1, $2, 'jsa_id', $1, $1, $3, 0, 'ja', 'kiosk-a', $4, '2099-01-01T00:00:00.000Z')`,
          [id, accountId(9), status, NOW],
        );
      }
      const migrated = await cli(['central-migrate'], { WEBDESK_SECRET: SHARED });
      expect(migrated.output).toContain(`code key: ${codeKeyId(SHARED)} adopted from WEBDESK_SECRET`);
      expect((await c.query(`SELECT status, key_id FROM reset_requests WHERE account_id = $1 ORDER BY id`, [accountId(9)])).rows).toEqual([
        { status: 'used', key_id: null },
        { status: 'pending', key_id: codeKeyId(SHARED) },
      ]);
    } finally {
      await c.end();
    }
  });
});
