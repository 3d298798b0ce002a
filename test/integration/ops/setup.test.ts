import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailFailureKind } from '../../../src-main/contract';
import { loadConfig } from '../../../src-main/app/config';
import type { App } from '../../../src-main/app/create-app';
import { freePort } from '../../support/net';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { startOpsApp, staff } from './ops-support';

const SMTP_USER = 'webdesk-relay';
const SMTP_PASSWORD = 'Relay-Pw-5521-secret';

interface Peer {
  url: string;
  port: number;
  mails: Array<{ to: string[]; subject: string; text: string; user?: string }>;
  logins: Array<{ user: string; password: string }>;
  close(): Promise<void>;
}

/** A real SMTP peer that insists on AUTH PLAIN with one user and password. */
async function startAuthPeer(): Promise<Peer> {
  const mails: Peer['mails'] = [];
  const logins: Peer['logins'] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((parsed) => {
        const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
        mails.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', user: session.user as string | undefined });
        cb();
      }, cb);
    },
  });
  // Port 0, read back once bound: a port asked for first and bound later can be taken in between.
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, port, mails, logins, close: () => new Promise((r) => server.close(() => r())) };
}

describe('first-run setup', () => {
  let dir: TempDir;
  let app: App;
  let peer: Peer;
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  beforeEach(async () => {
    dir = await makeTempDir();
    peer = await startAuthPeer();
    app = await startOpsApp({ dataDir: dir.path });
  });
  afterEach(async () => {
    await app.close();
    await peer.close();
    await dir.remove();
  });

  it('saves deployment settings to a 0600 file, keeps the password out of it and out of every answer', async () => {
    const admin = staff(app, 'admin');
    const first = await admin.ok('ops.setup.get', {});
    expect(first).toMatchObject({ configured: false, secretStore: 'file', smtpPasswordSet: false, restartRequired: false });
    expect(first.smtpUrl).toEqual({ value: null, source: 'default' });

    const smtpUrl = `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${peer.port}`;
    const saved = await admin.ok('ops.setup.save', {
      kioskId: 'counter-01',
      mode: 'kiosk',
      supportEmail: 'support@example.jp',
      publicUrl: 'https://webdesk.example.jp/',
      smtpUrl,
      centralUrl: `postgres://kiosk01:Central-Pw-77@127.0.0.1:${postgres.port}/postgres`,
    });
    expect(saved).toMatchObject({
      configured: true,
      restartRequired: true,
      kioskId: { value: 'counter-01', source: 'file' },
      mode: { value: 'kiosk', source: 'file' },
      supportEmail: 'support@example.jp',
      publicUrl: { value: 'https://webdesk.example.jp', source: 'file' },
      smtpUrl: { value: `smtp://${SMTP_USER}@127.0.0.1:${peer.port}`, source: 'file' },
      smtpPasswordSet: true,
      centralPasswordSet: true,
    });
    const answer = JSON.stringify(saved);
    expect(answer).not.toContain(SMTP_PASSWORD);
    expect(answer).not.toContain('Central-Pw-77');

    const deployment = join(dir.path, 'deployment.json');
    const secrets = join(dir.path, 'secrets.json');
    expect(statSync(deployment).mode & 0o777).toBe(0o600);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(readFileSync(deployment, 'utf8')).not.toContain(SMTP_PASSWORD);
    expect(readFileSync(deployment, 'utf8')).not.toContain('Central-Pw-77');
    expect(readFileSync(secrets, 'utf8')).toContain(SMTP_PASSWORD);

    // Next start: the file fills in what the environment leaves unset; the environment wins.
    const merged = loadConfig({ WEBDESK_DATA_DIR: dir.path, WEBDESK_MODE: 'staff' });
    expect(merged).toMatchObject({ kioskId: 'counter-01', mode: 'staff', publicUrl: 'https://webdesk.example.jp' });
    expect(merged.sources).toMatchObject({ kioskId: 'file', mode: 'env', smtpUrl: 'file', centralUrl: 'file', mailFrom: 'default' });
    expect(merged.smtpUrl).toBe(`smtp://${SMTP_USER}@127.0.0.1:${peer.port}`);
    await app.close();
    app = await startOpsApp({ dataDir: dir.path, env: { WEBDESK_MODE: 'staff' } });
    // createApp put the stored password back into the URL it runs with.
    expect(new URL(app.config.smtpUrl!).password).toBe(SMTP_PASSWORD);
    expect(app.config.kioskId).toBe('counter-01');
    const view = await staff(app, 'admin').ok('ops.setup.get', {});
    expect(view).toMatchObject({ restartRequired: false, mode: { value: 'staff', source: 'env' } });

    // Clearing a URL clears its password too.
    const cleared = await staff(app, 'admin').ok('ops.setup.save', { centralUrl: null });
    expect(cleared).toMatchObject({ centralUrl: { value: null }, centralPasswordSet: false, restartRequired: true });
    // Only admins.
    const sup = await staff(app, 'supervisor').call('ops.setup.save', { kioskId: 'x' });
    expect(sup.ok ? 'ok' : sup.error.code).toBe('FORBIDDEN');
    const bad = await staff(app, 'admin').call('ops.setup.save', { smtpUrl: 'http://not-smtp' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('INVALID_INPUT');
    // What start-up would refuse from deployment.json is not saved: no host, port 0.
    for (const input of [{ smtpUrl: 'smtp://' }, { smtpUrl: 'smtp://mail.example.jp:0' }, { centralUrl: 'postgres://' }]) {
      const refused = await staff(app, 'admin').call('ops.setup.save', input);
      expect(refused.ok ? 'ok' : refused.error.code).toBe('INVALID_INPUT');
    }
  });

  it('a secrets.json damaged under a running counter: the save is refused naming the file, and nothing is written', async () => {
    const admin = staff(app, 'admin');
    await admin.ok('ops.setup.save', { kioskId: 'counter-01', smtpUrl: `smtp://${SMTP_USER}@127.0.0.1:${peer.port}`, smtpPassword: SMTP_PASSWORD });
    const deployment = join(dir.path, 'deployment.json');
    const secrets = join(dir.path, 'secrets.json');
    const deploymentBefore = readFileSync(deployment, 'utf8');
    const damaged = `{"smtp-password":"${SMTP_PASSWORD}"`;
    writeFileSync(secrets, damaged);
    for (const input of [{ kioskId: 'counter-02' }, { smtpPassword: 'another-pw' }, { centralUrl: null }]) {
      const refused = await admin.call('ops.setup.save', input);
      expect(refused.ok ? 'ok' : refused.error).toEqual({ code: 'UNAVAILABLE', params: { reason: 'secrets-damaged', file: 'secrets.json' } });
      expect(readFileSync(deployment, 'utf8')).toBe(deploymentBefore);
      expect(readFileSync(secrets, 'utf8')).toBe(damaged);
    }
    const view = await admin.call('ops.setup.get', {});
    expect(view.ok ? 'ok' : view.error).toEqual({ code: 'UNAVAILABLE', params: { reason: 'secrets-damaged', file: 'secrets.json' } });
    expect(existsSync(`${secrets}.tmp`)).toBe(false);
  });

  it('sends a test mail through the saved SMTP settings to a real peer, and reports a refusal by code', async () => {
    const admin = staff(app, 'admin');
    await admin.ok('ops.setup.save', { smtpUrl: `smtp://${SMTP_USER}@127.0.0.1:${peer.port}`, smtpPassword: SMTP_PASSWORD });
    const sent = await admin.ok('ops.testMail', { to: 'operator@example.jp' });
    expect(sent).toMatchObject({ ok: true });
    expect(peer.mails).toHaveLength(1);
    expect(peer.mails[0]).toMatchObject({ to: ['operator@example.jp'], user: SMTP_USER });
    expect(peer.mails[0]!.subject).toContain('テストメール');

    // A typed URL with the wrong password: refused by the peer, reported as EAUTH / 535.
    const wrong = await admin.ok('ops.testMail', { to: 'operator@example.jp', smtpUrl: `smtp://${SMTP_USER}:nope@127.0.0.1:${peer.port}` });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'EAUTH', responseCode: 535 } });
    // A typed URL for another host never receives the stored password.
    const elsewhere = await startAuthPeer();
    try {
      const other = await admin.ok('ops.testMail', { to: 'operator@example.jp', smtpUrl: `smtp://${SMTP_USER}@127.0.0.1:${elsewhere.port}` });
      expect(other.ok).toBe(false); // that peer wants AUTH, and we had no password to give it
      expect(elsewhere.logins.map((l) => l.password)).not.toContain(SMTP_PASSWORD);
    } finally {
      await elsewhere.close();
    }
    // Nobody listening.
    const closed = await admin.ok('ops.testMail', { to: 'operator@example.jp', smtpUrl: `smtp://127.0.0.1:${await freePort()}` });
    expect(closed.ok).toBe(false);
    expect(closed.error?.code).toMatch(/^E[A-Z]+$/);
  });

  it('says what the admin has to fix for each way a test mail fails: port, host, password, login, TLS', async () => {
    const admin = staff(app, 'admin');
    const kind = async (smtpUrl: string) => {
      const result = await admin.ok('ops.testMail', { to: 'operator@example.jp', smtpUrl });
      expect(result.ok).toBe(false);
      return [result.error?.code, mailFailureKind(result.error?.code, result.error?.responseCode, result.error?.noGreeting)];
    };
    expect(await kind(`smtp://127.0.0.1:${await freePort()}`)).toEqual(['ECONNREFUSED', 'refused']);
    expect(await kind(`smtp://${SMTP_USER}:wrong-pw@127.0.0.1:${peer.port}`)).toEqual(['EAUTH', 'auth']);
    expect(await kind(`smtp://127.0.0.1:${peer.port}`)).toEqual(['EENVELOPE', 'authRequired']);
    // smtps:// (TLS from the first byte) to a relay that speaks plain SMTP first.
    expect(await kind(`smtps://127.0.0.1:${peer.port}`)).toEqual(['ERR_SSL_WRONG_VERSION_NUMBER', 'tls']);
    // smtp:// to a relay that waits for TLS first (port 465): connected, and no greeting ever comes.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      expect(await kind(`smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`)).toEqual(['ETIMEDOUT', 'noGreeting']);
    } finally {
      silent.close();
    }
    // What the network says without a relay to ask here (no DNS or timeout in a test): a host not found, no answer.
    expect([mailFailureKind('ENOTFOUND'), mailFailureKind('EDNS'), mailFailureKind('ETIMEDOUT'), mailFailureKind('EHOSTUNREACH')]).toEqual(['host', 'host', 'unreachable', 'unreachable']);
    expect(mailFailureKind('ESOCKET')).toBe('other');
  });

  it('tests the central database connection: server version, and the schema version once migrated', async () => {
    const admin = staff(app, 'admin');
    const before = await admin.ok('ops.testCentral', { centralUrl: postgres.url });
    expect(before).toMatchObject({ ok: true, schemaVersion: null, tls: false });
    expect(before.serverVersion).toMatch(/^\d+/);

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE IF NOT EXISTS knex_migrations (id serial PRIMARY KEY, name text, batch int, migration_time timestamptz)');
      await client.query("INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('0001_central_accounts', 1, now()), ('0002_change_log', 1, now())");
    } finally {
      await client.end();
    }
    // The saved URL (with a password kept in the SecretStore) is used when none is typed.
    await admin.ok('ops.setup.save', { centralUrl: postgres.url.replace('postgres@', 'postgres:any-pw@') });
    const after = await admin.ok('ops.testCentral', {});
    expect(after).toMatchObject({ ok: true, schemaVersion: '0002_change_log' });

    const refused = await admin.ok('ops.testCentral', { centralUrl: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ECONNREFUSED' } });
    const noDb = await admin.ok('ops.testCentral', { centralUrl: postgres.url.replace(/\/postgres$/, '/no_such_db') });
    expect(noDb).toMatchObject({ ok: false, error: { code: '3D000' } });
  });
});
