import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { publicHealthSchema } from '../../../src-main/contract/ops-calls';
import { createHttpTransport } from '../../../src-main/transport/http';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { MAIL_DELAYED_MS } from '../../../src-main/services/ops/health';
import { queueMail } from '../../../src-main/services/mail/mail-outbox';
import { kiosk, manualClock } from '../support/test-app';
import { fullReset, startOpsApp, staff } from './ops-support';

const EMAIL = 'tanaka@example.co.jp';
const JSA_ID = '12345678901';

describe('health and diagnostics', () => {
  let dir: TempDir;
  let app: App;
  beforeEach(async () => {
    dir = await makeTempDir();
    app = await startOpsApp({ dataDir: dir.path, env: { WEBDESK_SMTP_URL: 'smtp://mailer:hunter2-smtp-pw@127.0.0.1:1' } });
  });
  afterEach(async () => {
    await app.close();
    await dir.remove();
  });

  it('serves /health with every figure and no address, JSA-ID, secret, password or recent error in it', async () => {
    // Some history first: a finished reset and a few refused calls for the error ring.
    await app.close();
    app = await startOpsApp({ dataDir: dir.path });
    const { code, token, grant } = await fullReset(app, { jsaId: JSA_ID, email: EMAIL }, 'kiosk-health-Passw0rd!');
    const k = kiosk(app);
    await k.call('reset.verifyCode', { identifier: JSA_ID, code: 'ZZZZZZZZZZ' });
    await k.call('reset.request', { jsaId: '123', email: EMAIL });
    await app.dispatch(`lookup ${EMAIL}`, {}, { session: k.session, transport: 'http', actor: 'kiosk' });

    const http = createHttpTransport({
      dispatch: app.dispatch,
      sessions: app.sessions,
      timeouts: async () => ({ customerMinutes: 5, staffMinutes: 15 }),
      staticDir: dir.path,
      getRoutes: { '/health': () => app.publicHealth() },
    });
    const port = await http.listen(0);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      expect(response.status).toBe(200);
      const text = await response.text();
      const body = publicHealthSchema.strict().parse(JSON.parse(text));
      expect(body.status === 'ok' || body.status === 'degraded').toBe(true);
      expect(body.versions.node).toBe(process.versions.node);
      expect(body.versions.sqlite).toMatch(/^3\.\d+/);
      expect(body.versions.electron).toBeNull();
      expect(body.schema).toBe(body.schemaExpected);
      expect(body.store).toEqual({ startupCheck: 'ok' });
      // The code key by its id only (a fingerprint; the key itself is checked absent below).
      expect(body.sync).toEqual({ central: false, state: null, offlineSince: null, lastErrorCode: null, lagSeconds: null, clockAheadMs: null, codeKey: { state: 'standalone', currentKeyId: expect.stringMatching(/^k-[0-9a-f]{12}$/), mismatch: null } });
      expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
      // Anyone on the PC may read /health: which calls failed, and when, is for supervisors.
      expect(text).not.toContain('lastErrors');
      // Nor when the newest audit entry was written (clock.referenceAt on a store never purged).
      expect(text).not.toContain('referenceAt');
      // Nor when the last backup and purge ran (the problems say when either is overdue or distrusted).
      for (const when of ['backups', 'newestAt', 'retention', 'lastPurgeAt']) expect(text).not.toContain(when);
      for (const told of ['reset.verifyCode', 'reset.request', 'CODE_INVALID', 'INVALID_INPUT']) expect(text).not.toContain(told);

      const secret = readFileSync(join(dir.path, 'secret.key'), 'utf8').trim();
      for (const forbidden of [EMAIL, 'tanaka', JSA_ID, secret, code, token, grant, '田中', '@']) {
        expect(text, `health must not contain ${forbidden}`).not.toContain(forbidden);
      }
    } finally {
      await http.close();
    }
  });

  it('moves no figure on /health when a 「サポートメール依頼」 matches, so anyone on the PC cannot tell it from a no match', async () => {
    // SMTP refuses (beforeEach), so a matched request's code mail stays queued: before, the
    // anonymous /health showed outboxDepth 0 → 1 (and the store's WAL grow) for a registered
    // JSA-ID and address only, while the kiosk answered 受付完了 to both.
    const figures = async () => {
      const { uptimeSeconds: _moves, ...rest } = await app.publicHealth();
      return rest;
    };
    const k = kiosk(app);
    const before = await figures();
    await k.ok('reset.request', { jsaId: '99999999998', email: 'nobody@example.co.jp', locale: 'ja' });
    const afterNoMatch = await figures();
    await k.ok('reset.request', { jsaId: JSA_ID, email: EMAIL, locale: 'ja' });
    const afterMatch = await figures();
    expect(afterNoMatch).toEqual(before);
    expect(afterMatch).toEqual(afterNoMatch);
    // Supervisors still read the queue on 診断情報 (ops.diagnostics).
    expect((await app.health()).outboxDepth).toBe(1);
  });

  it('gives the same figures and the recent errors to supervisors through ops.diagnostics, and none to others', async () => {
    const k = kiosk(app);
    await k.call('reset.verifyCode', { identifier: JSA_ID, code: 'ZZZZZZZZZZ' });
    await app.dispatch(`lookup ${EMAIL}`, {}, { session: k.session, transport: 'http', actor: 'kiosk' });
    const diag = await staff(app, 'supervisor').ok('ops.diagnostics', {});
    const direct = await app.health();
    expect(diag.schema).toBe(direct.schema);
    expect(diag.sync.central).toBe(false);
    expect(Object.keys(diag).sort()).toEqual(Object.keys(direct).sort());
    expect(Object.keys(await app.publicHealth()).sort()).toEqual(Object.keys(direct).filter((key) => !['lastErrors', 'clock', 'backups', 'retention', 'outboxDepth', 'outboxFailed', 'outboxUnknown'].includes(key)).sort());
    expect(diag.lastErrors).toEqual(expect.arrayContaining([expect.objectContaining({ call: 'reset.verifyCode', code: 'CODE_INVALID' })]));
    // An unknown call name is not echoed: it could carry anything a caller typed.
    expect(diag.lastErrors.find((e) => e.code === 'UNKNOWN_CALL')?.call).toBeNull();
    const text = JSON.stringify(diag);
    expect(text).not.toContain('hunter2-smtp-pw');
    expect(text).not.toContain('mailer');

    expect((await kiosk(app).call('ops.diagnostics', {})).ok).toBe(false);
    const agent = await staff(app, 'agent').call('ops.diagnostics', {});
    expect(agent.ok ? 'ok' : agent.error.code).toBe('FORBIDDEN');
    const setup = await staff(app, 'supervisor').call('ops.setup.get', {});
    expect(setup.ok ? 'ok' : setup.error.code).toBe('FORBIDDEN');
  });
});

describe('/health while code mail is stuck', () => {
  let dir: TempDir;
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    await dir.remove();
  });

  it('says mail-delayed once a code mail has waited more than 2 minutes with SMTP refusing, long before mail-failed', async () => {
    dir = await makeTempDir();
    const clock = manualClock();
    // Port 1: every connection refused, as with a relay that is down.
    app = await startOpsApp({ dataDir: dir.path, clock, env: { WEBDESK_SMTP_URL: 'smtp://127.0.0.1:1' } });
    expect((await app.health()).problems).not.toContain('mail-delayed');

    expect(await kiosk(app).call('reset.request', { jsaId: JSA_ID, email: EMAIL })).toEqual({ ok: true, value: { status: 'accepted' } });
    await app.mailWorker.drainOnce();
    clock.advance(MAIL_DELAYED_MS);
    expect((await app.health()).problems).not.toContain('mail-delayed');

    clock.advance(1_000);
    const health = await app.health();
    expect(health.problems).toContain('mail-delayed');
    expect(health.problems).not.toContain('mail-failed');
    expect(health.status).toBe('degraded');
  });

  it('leaves mail without a code out: a notice that waits is no customer waiting at the kiosk', async () => {
    dir = await makeTempDir();
    const clock = manualClock();
    app = await startOpsApp({ dataDir: dir.path, clock, env: { WEBDESK_SMTP_URL: 'smtp://127.0.0.1:1' } });
    const started = app;
    await started.db.transaction((tx) =>
      queueMail(tx, started.box, { template: 'reset-locked', locale: 'ja', to: EMAIL, params: { maskedJsaId: '•••••••8901', supportEmail: 'webdesk@jisa.or.jp' } }, clock.nowMs()),
    );
    clock.advance(10 * 60_000);
    expect((await app.health()).problems).not.toContain('mail-delayed');
  });

  it('says nothing once the code mail is delivered (maildrop)', async () => {
    dir = await makeTempDir();
    const clock = manualClock();
    app = await startOpsApp({ dataDir: dir.path, clock });
    expect(await kiosk(app).call('reset.request', { jsaId: JSA_ID, email: EMAIL })).toEqual({ ok: true, value: { status: 'accepted' } });
    await app.mailWorker.drainOnce();
    clock.advance(10 * 60_000);
    expect((await app.health()).problems).not.toContain('mail-delayed');
  });
});

