// DESIGN §7: "TLS with certificate check when central is not on the same host". A real
// PostgreSQL with TLS on, a certificate signed by a test CA made here with openssl, and a
// second CA that signed nothing of ours. 127.0.0.2 stands in for another host: it is not one
// of the names the kiosk treats as "this host", so the kiosk's default applies to it.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { centralFailureKind } from '../../../src-main/contract/central-failures';
import { centralClientConfig, connectCentral } from '../../../src-main/services/sync/central-connection';
import { migrateCentral, pruneCentral } from '../../../src-main/store/central-migrations';
import { rotateCentralKey } from '../../../src-main/store/central-keys';
import { testCentralDatabase } from '../../../src-main/services/ops/probes';
import { kiosk } from '../support/test-app';
import { startKiosk, waitOnline, waitPushed } from '../support/sync-kiosk';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

function openssl(cwd: string, args: string[]): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
}

/** A CA, a server certificate it signed for localhost / 127.0.0.1 / 127.0.0.2, and a stranger CA. */
function makeCertificates(dir: string): { ca: string; strangerCa: string; cert: string; key: string } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=webdesk test CA']);
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'stranger.key', '-out', 'stranger.pem', '-days', '2', '-subj', '/CN=stranger CA']);
  openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2\n');
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf']);
  // The server runs as `postgres` and refuses a key others can read.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'server.key'), 0o600);
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    for (const f of ['server.key', 'server.crt']) chownSync(join(dir, f), id('-u'), id('-g'));
  }
  return { ca: join(dir, 'ca.pem'), strangerCa: join(dir, 'stranger.pem'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

async function sslInUse(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
  return rows[0]!.ssl;
}

describe('central over TLS', () => {
  let certDir: TempDir;
  let dataDir: TempDir;
  let server: PostgresServer;
  let certs: ReturnType<typeof makeCertificates>;
  let app: App | undefined;

  beforeAll(async () => {
    certDir = await makeTempDir('webdesk-tls-');
    dataDir = await makeTempDir('webdesk-tls-kiosk-');
    certs = makeCertificates(certDir.path);
    server = await startPostgres(['-c', 'ssl=on', '-c', `ssl_cert_file=${certs.cert}`, '-c', `ssl_key_file=${certs.key}`, '-c', 'listen_addresses=127.0.0.1,127.0.0.2']);
    await migrateCentral(server.url);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE ROLE kiosk_tls LOGIN IN ROLE webdesk_kiosk');
    await admin.query(
      `INSERT INTO accounts (id, jsa_id, email, email_norm, contact_name, company, version, created_at, updated_at)
       VALUES ('0190a000-0000-7000-8000-0000000071a1', '71717171717', 'tls@example.co.jp', 'tls@example.co.jp', '暗号 太郎', '株式会社テスト', 1, $1, $1)`,
      ['2026-01-01T00:00:00.000Z'],
    );
    await admin.end();
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    await certDir?.remove();
    await dataDir?.remove();
  });

  it('asks for TLS with a certificate check for a central that is not on this host, and keeps loopback plain', () => {
    expect(centralClientConfig('postgres://k@db.example.jp/webdesk', 'push', 'k1').ssl).toEqual({ rejectUnauthorized: true });
    expect(centralClientConfig('postgres://k@127.0.0.2/webdesk', 'push', 'k1').ssl).toEqual({ rejectUnauthorized: true });
    expect(centralClientConfig('postgres://k@127.0.0.1/webdesk', 'push', 'k1').ssl).toBeUndefined();
  });

  it('refuses a central on another host whose certificate no trusted CA signed', async () => {
    await expect(connectCentral(`postgres://postgres@127.0.0.2:${server.port}/postgres`, 'listen', 'k1')).rejects.toThrow(/certificate/i);
    // The same server, told not to use TLS, lets the session in: the refusal above is the check.
    const plain = await connectCentral(`postgres://postgres@127.0.0.2:${server.port}/postgres?sslmode=disable`, 'listen', 'k1');
    expect(await sslInUse(plain)).toBe(false);
    await plain.end();
  });

  it('asks the same of the operator’s commands (migrate, prune, rotate the code key): their owner login never goes in the clear off this host', async () => {
    const offHost = `postgres://postgres@127.0.0.2:${server.port}/postgres`;
    await expect(migrateCentral(offHost)).rejects.toThrow(/certificate/i);
    await expect(pruneCentral(offHost, { silentDays: 7 })).rejects.toThrow(/certificate/i);
    await expect(rotateCentralKey(offHost)).rejects.toThrow(/certificate/i);
    // Named CA: the same commands go through, over TLS.
    const result = await pruneCentral(`${offHost}?sslmode=verify-ca&sslrootcert=${certs.ca}`, { silentDays: 7 });
    expect(result.left).toBeGreaterThanOrEqual(0);
  });

  it('asks the same of 初期設定’s 接続テスト, whose password was typed on the screen', async () => {
    const refused = await testCentralDatabase(`postgres://postgres:typed-secret@127.0.0.2:${server.port}/postgres`);
    expect(refused).toMatchObject({ ok: false });
    expect(centralFailureKind(refused.error?.code)).toBe('tls');
    const trusted = await testCentralDatabase(`postgres://postgres@127.0.0.2:${server.port}/postgres?sslmode=verify-ca&sslrootcert=${certs.ca}`);
    expect(trusted).toMatchObject({ ok: true, tls: true });
  });

  it('connects over TLS when the URL names the CA, and refuses a certificate from another CA', async () => {
    const trusted = await connectCentral(`postgres://postgres@localhost:${server.port}/postgres?sslmode=verify-full&sslrootcert=${certs.ca}`, 'listen', 'k1');
    expect(await sslInUse(trusted)).toBe(true);
    await trusted.end();
    await expect(
      connectCentral(`postgres://postgres@localhost:${server.port}/postgres?sslmode=verify-full&sslrootcert=${certs.strangerCa}`, 'listen', 'k1'),
    ).rejects.toThrow(/certificate/i);
  });

  it('syncs a kiosk over TLS, and a kiosk pointed at a server it cannot trust stays offline but serves', async () => {
    const stranger = await startKiosk({
      dataDir: join(dataDir.path, 'stranger'),
      kioskId: 'kiosk-stranger',
      centralUrl: `postgres://kiosk_tls@127.0.0.2:${server.port}/postgres`,
    });
    try {
      const status = await waitFor(async () => {
        const s = await stranger.sync!.status();
        return s.state === 'offline' && s.lastError ? s : undefined;
      }, { what: 'kiosk offline with the certificate error' });
      expect(status.lastError).toMatch(/certificate/i);
      // Worded for the clerk by its code (同期の状態), not by the driver's English.
      expect(centralFailureKind(status.lastErrorCode)).toBe('tls');
      // Offline first: the counter takes the request; it waits in the outbox.
      await kiosk(stranger).ok('reset.request', { jsaId: '99999999999', email: 'nobody@example.co.jp', locale: 'ja' });
    } finally {
      await stranger.close();
    }

    app = await startKiosk({
      dataDir: join(dataDir.path, 'trusted'),
      kioskId: 'kiosk-tls',
      centralUrl: `postgres://kiosk_tls@localhost:${server.port}/postgres?sslmode=verify-full&sslrootcert=${certs.ca}`,
    });
    await waitOnline(app);
    expect(await app.db('accounts').where({ jsa_id: '71717171717' }).first('contact_name')).toEqual({ contact_name: '暗号 太郎' });
    await kiosk(app).ok('reset.request', { jsaId: '71717171717', email: 'tls@example.co.jp', locale: 'ja' });
    await waitPushed(app);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM reset_requests WHERE account_id = '0190a000-0000-7000-8000-0000000071a1'`);
      expect(Number(rows[0]!.n)).toBe(1);
      // Every session the kiosk holds (LISTEN, and the push pool while it pushed) was encrypted.
      const sessions = await admin.query<{ ssl: boolean; application_name: string }>(
        `SELECT s.ssl, a.application_name FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'kiosk_tls'`,
      );
      expect(sessions.rows.length).toBeGreaterThan(0);
      expect(sessions.rows.every((r) => r.ssl)).toBe(true);
    } finally {
      await admin.end();
    }
  });
});
