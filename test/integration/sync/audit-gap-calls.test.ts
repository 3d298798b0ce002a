// Accepting a cut counter log from 同期の状態 (audit.fleet.acceptGap) through the dispatcher, as
// the screen calls it: two running counters on one central; B's newest entries are removed and
// central refuses what B writes next; only an admin may accept, with a reason; the acceptance is
// recorded at central and audited at A; B's stream resumes and the gap stays in the history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { appendAudit } from '../../../src-main/store/audit-repo';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { readyAdmin, readyStaff, type StaffClient } from '../staff/staff-support';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';

describe('audit.fleet.acceptGap', () => {
  let central: Central;
  const dirs: TempDir[] = [];
  let a: App;
  let b: App;
  let adminA: StaffClient;
  let supervisorA: StaffClient;

  beforeAll(async () => {
    central = await startCentral();
    for (let i = 0; i < 2; i += 1) dirs.push(await makeTempDir(`webdesk-audit-gap-${i}-`));
    a = await startKiosk({ dataDir: dirs[0]!.path, kioskId: 'kiosk-a', centralUrl: await central.kioskUrl('kiosk_ga') });
    b = await startKiosk({ dataDir: dirs[1]!.path, kioskId: 'kiosk-b', centralUrl: await central.kioskUrl('kiosk_gb') });
    await Promise.all([waitOnline(a), waitOnline(b)]);
    adminA = await readyAdmin(a);
    supervisorA = await readyStaff(a, adminA, 'supervisor');
    await readyAdmin(b);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await central?.stop();
    for (const d of dirs) await d.remove();
  });

  const headOf = async (app: App) => ((await app.db('audit_log').max({ m: 'seq' }).first()) as { m: number }).m;
  const streamOf = async (kioskId: string) => (await supervisorA.ok('audit.fleet.streams', {})).streams.find((s) => s.kioskId === kioskId)!;
  const waitState = (kioskId: string, state: string, heldThrough?: number) =>
    waitFor(async () => {
      const s = await streamOf(kioskId);
      return s.state === state && (heldThrough === undefined || s.heldThroughSeq === heldThrough) ? s : undefined;
    }, { what: `${kioskId} stream ${state}`, timeoutMs: 15_000 });

  it('lets an admin accept a cut log with a reason; the stream resumes and the gap stays in the history', async () => {
    const last = await headOf(b);
    await waitState('kiosk-b', 'complete', last);
    // Someone with B's store file removes its newest 2 entries; B writes on.
    const trigger = ((await b.db.raw(`SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'`)) as Array<{ sql: string }>)[0]!.sql;
    await b.db.raw('DROP TRIGGER audit_log_no_delete');
    await b.db('audit_log').where('seq', '>', last - 2).delete();
    await b.db.raw(trigger);
    await b.db.transaction((tx) => appendAudit(tx, { actor: 'kiosk', action: 'reset.requested', detail: {} }, new Date().toISOString()));
    const refused = await waitState('kiosk-b', 'refused');
    expect(refused).toMatchObject({ acceptable: true, acceptedGaps: [], heldThroughSeq: last });

    expect(await supervisorA.fails('audit.fleet.acceptGap', { clientId: refused.clientId, reason: 'x' })).toBe('FORBIDDEN');
    expect(await adminA.fails('audit.fleet.acceptGap', { clientId: refused.clientId, reason: '   ' })).toBe('INVALID_INPUT');
    expect(await adminA.fails('audit.fleet.acceptGap', { clientId: '0190a000-0000-7000-8000-000000000000', reason: 'x' })).toBe('NOT_FOUND');
    expect(await central.query(`SELECT count(*)::int AS n FROM kiosk_audit_acceptances`)).toEqual([{ n: 0 }]);

    const gap = await adminA.ok('audit.fleet.acceptGap', { clientId: refused.clientId, reason: '端末の故障による復元を確認（チケット 4711）' });
    const actor = `staff:${adminA.session.principal.staff!.staffId}`;
    expect(gap).toMatchObject({ fromSeq: last - 1, toSeq: last, acceptedBy: actor, acceptedAtKiosk: 'kiosk-a', acceptedRole: 'kiosk_ga', reason: '端末の故障による復元を確認（チケット 4711）' });
    expect(await adminA.fails('audit.fleet.acceptGap', { clientId: refused.clientId, reason: 'again' })).toBe('CONFLICT');
    const audited = await a.db('audit_log').where('action', 'audit.gap_accepted').select('actor', 'subject', 'detail_json');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor, subject: 'kiosk-b' });

    // B's next stream run links its entry to the last one it kept: central takes it.
    const resumed = await waitState('kiosk-b', 'complete', await headOf(b));
    expect(resumed.acceptedGaps).toEqual([gap]);
    expect(resumed.acceptable).toBe(false);
  });
});
