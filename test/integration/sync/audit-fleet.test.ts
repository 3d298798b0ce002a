// The fleet's audit calls (issue 14 item 6) through the dispatcher, as the staff screens make
// them: two running kiosks on one central; a supervisor at A reads B's entries, filters by
// counter and action, exports them (audited at A); an agent sees the streams but not the log;
// a standalone counter has no fleet scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { appendAudit } from '../../../src-main/store/audit-repo';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { readyAdmin, readyStaff, type StaffClient } from '../staff/staff-support';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';
import { startTestApp } from '../support/test-app';

describe('the fleet audit calls', () => {
  let central: Central;
  const dirs: TempDir[] = [];
  let a: App;
  let b: App;
  let supervisorA: StaffClient;
  let agentA: StaffClient;
  let adminB: StaffClient;

  beforeAll(async () => {
    central = await startCentral();
    for (let i = 0; i < 2; i += 1) dirs.push(await makeTempDir(`webdesk-audit-fleet-${i}-`));
    a = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: await central.kioskUrl('kiosk_fa') });
    b = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-b', centralUrl: await central.kioskUrl('kiosk_fb') });
    await Promise.all([waitOnline(a), waitOnline(b)]);
    const adminA = await readyAdmin(a);
    supervisorA = await readyStaff(a, adminA, 'supervisor');
    agentA = await readyStaff(a, adminA, 'agent');
    adminB = await readyAdmin(b);
    await readyStaff(b, adminB, 'agent');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  /** Until central holds every entry both kiosks have written so far. */
  async function bothStreamed(): Promise<void> {
    await waitFor(
      async () => {
        const { streams } = await agentA.ok('audit.fleet.streams', {});
        const heads = await Promise.all([a, b].map(async (app) => ((await app.db('audit_log').max({ m: 'seq' }).first()) as { m: number }).m));
        return streams.length === 2 && streams.every((s, i) => s.state === 'complete' && s.heldThroughSeq === heads[i]) ? true : undefined;
      },
      { what: 'both audit streams complete', timeoutMs: 15_000 },
    );
  }

  it('shows each counter’s stream to an agent, and this counter’s own head', async () => {
    await bothStreamed();
    const { streams } = await agentA.ok('audit.fleet.streams', {});
    const localA = await a.db('audit_log').max({ m: 'seq' }).first();
    const localB = await b.db('audit_log').max({ m: 'seq' }).first();
    expect(streams.map((s) => [s.kioskId, s.thisCounter, s.state])).toEqual([
      ['kiosk-a', true, 'complete'],
      ['kiosk-b', false, 'complete'],
    ]);
    expect(streams[0]).toMatchObject({ heldThroughSeq: localA!.m, localSeq: localA!.m, reportedAt: null });
    expect(streams[1]).toMatchObject({ heldThroughSeq: localB!.m, rowsHeld: localB!.m, localSeq: localB!.m });
    expect(await agentA.fails('audit.fleet.list', {})).toBe('FORBIDDEN');
    expect(await agentA.fails('audit.fleet.export', {})).toBe('FORBIDDEN');
  });

  it('lists every counter’s entries newest first, filtered by counter, action and actor', async () => {
    await bothStreamed();
    const all = await supervisorA.ok('audit.fleet.list', { pageSize: 100 });
    expect(all.kiosks).toEqual(['kiosk-a', 'kiosk-b']);
    expect(new Set(all.items.map((i) => i.kioskId))).toEqual(new Set(['kiosk-a', 'kiosk-b']));
    expect(all.actions).toEqual(expect.arrayContaining(['staff.created', 'staff.login']));
    const ats = all.items.map((i) => i.at);
    expect(ats).toEqual([...ats].sort().reverse());

    const fromB = await supervisorA.ok('audit.fleet.list', { kiosk: 'kiosk-b', action: 'staff.', pageSize: 100 });
    const bRows = (await b.db('audit_log').where('action', '>=', 'staff.').andWhere('action', '<', 'staff/').orderBy('seq', 'desc').select('seq', 'action')) as Array<{ seq: number; action: string }>;
    expect(fromB.items.map((i) => [i.kioskId, i.seq, i.action])).toEqual(bRows.map((r) => ['kiosk-b', r.seq, r.action]));
    expect(fromB.total).toBe(bRows.length);

    const adminBId = (await adminB.ok('staff.me', {})).staffId;
    const byAdminB = await supervisorA.ok('audit.fleet.list', { actor: `staff:${adminBId}`, kiosk: 'kiosk-b', action: 'staff.created' });
    expect(byAdminB.items).toHaveLength(1);
    expect(byAdminB.items[0]!.fields).toContainEqual({ key: 'role', value: 'agent' });
    expect((await supervisorA.ok('audit.fleet.list', { from: '2001-01-01', to: '2001-01-31' })).total).toBe(0);
  });

  it('shows this counter’s entries as its own log does: people by name, the detail as labelled fields, a JSA-ID masked; another counter’s staff by kind', async () => {
    // As 本人確認 writes it (a kiosk in sync mode has no demo account to open).
    const supervisorId = (await supervisorA.ok('staff.me', {})).staffId;
    const entryAt = new Date().toISOString();
    await a.db.transaction((tx) => appendAudit(tx, { actor: `staff:${supervisorId}`, action: 'staff.identity-revealed', subject: '12345678901', detail: { document: 'passport', note: '窓口で確認', email: 'tanaka@example.co.jp' } }, entryAt));
    await bothStreamed();
    const fleet = await supervisorA.ok('audit.fleet.list', { kiosk: 'kiosk-a', action: 'staff.identity-revealed' });
    const local = await supervisorA.ok('staff.audit.list', { action: 'staff.identity-revealed' });
    expect(fleet.items).toHaveLength(1);
    const { kioskId, clientId, ...entry } = fleet.items[0]!;
    expect([kioskId, typeof clientId]).toEqual(['kiosk-a', 'string']);
    expect(entry).toEqual(local.items[0]);
    expect(entry.actorView.displayName).toBe('supervisor さん');
    expect(entry.subject).not.toContain('12345678901');
    expect(entry.fields.map((f) => f.key)).toEqual(['document', 'note', 'email']);
    expect(JSON.stringify(entry)).not.toContain('tanaka@example.co.jp');
    // kiosk-b's staff live at kiosk-b: named by kind there, never by another user's name here.
    const fromB = await supervisorA.ok('audit.fleet.list', { kiosk: 'kiosk-b', action: 'staff.created', actor: 'staff:' });
    expect(fromB.items[0]!.actorView).toMatchObject({ kind: 'staff', displayName: null });
  });

  it('exports the fleet as CSV with the counter first, and records the export at this counter', async () => {
    await bothStreamed();
    const exported = await supervisorA.ok('audit.fleet.export', { kiosk: 'kiosk-b' });
    const lines = exported.csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"kiosk","seq","at","actor","action","subject","detail","prev_hash","hash"');
    expect(lines.slice(1).every((l) => l.startsWith('"kiosk-b",'))).toBe(true);
    expect(exported.rows).toBe(lines.length - 1);
    expect(exported.filename).toMatch(/^audit-fleet-\d{8}T\d{6}\.csv$/);
    const recorded = (await a.db('audit_log').where({ action: 'audit.exported' }).orderBy('seq', 'desc').first('detail_json')) as { detail_json: string };
    expect(JSON.parse(recorded.detail_json)).toMatchObject({ rows: exported.rows, scope: 'fleet', filter: { kiosk: 'kiosk-b' } });
  });

  it('has no fleet scope on a standalone counter', async () => {
    const dir = await makeTempDir('webdesk-audit-standalone-');
    const app = await startTestApp({ dataDir: dir.path, startMailWorker: false });
    try {
      const admin = await readyAdmin(app);
      expect(await admin.fails('audit.fleet.list', {})).toBe('NOT_FOUND');
      expect(await admin.ok('audit.fleet.streams', {})).toEqual({ streams: [] });
    } finally {
      await app.close();
      await dir.remove();
    }
  });
});
